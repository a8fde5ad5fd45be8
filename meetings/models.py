"""Meetings of a committee. Agendas, papers and the record build on these."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.conf import settings as django_settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committees.models import Committee, Organisation, Part2Ground
from icp_secretariat.lib.recordings import validate_https_url


class MeetingQuerySet(models.QuerySet):
    def scheduled(self) -> MeetingQuerySet:
        return self.exclude(status=Meeting.Status.CANCELLED)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinary"
        EXTRAORDINARY = "extraordinary", "Extraordinary"
        URGENT = "urgent", "Urgent"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    webcast_link = models.URLField(
        "recording or live stream",
        blank=True,
        validators=[validate_https_url],
        help_text="The meeting's recording or live stream (https only): each Part 1 item can "
        "link to its moment in it.",
    )
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.ORDINARY)
    is_public = models.BooleanField(
        default=True, help_text="Untick for a meeting held wholly in private (Part 2)."
    )
    urgent_reason = models.TextField(
        blank=True, help_text="Why the meeting is called at short notice (K&M ToR 7.3)."
    )
    # K&M ToR 7.3: an urgent meeting "where possible ... agreed by the Leadership Team".
    leadership_agreed_by = models.ManyToManyField(
        "members.Person",
        blank=True,
        related_name="+",
        help_text="The members of the Leadership Team who agreed the urgent meeting.",
    )
    leadership_agreed_on = models.DateField(null=True, blank=True)
    leadership_not_possible = models.TextField(
        blank=True, help_text="Why the Leadership Team's agreement was not possible."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(blank=True)
    # Facts the deadlines are measured against (meetings.scheduling.deadlines).
    notice_given_at = models.DateTimeField(null=True, blank=True)
    papers_dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the agenda and papers were sent (K&M ToR 12.2)."
    )
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)
    # iCalendar SEQUENCE: goes up each time the meeting moves, so calendars replace the old entry.
    sequence = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self) -> str:
        return f"{self.committee.display_short_name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings_public:meeting", args=[self.committee.slug, self.pk])

    def get_secretariat_url(self) -> str:
        return reverse("meetings_admin:meeting", args=[self.committee.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def place(self) -> str:
        """Where it is held, for notices: the venue, the online link, or both."""
        if self.venue and self.online_link:
            return f"{self.venue} (or online: {self.online_link})"
        return self.venue or (f"Online: {self.online_link}" if self.online_link else "")


class MeetingChange(models.Model):
    """The log of a meeting's scheduling: when it was set, moved or cancelled, by whom and why."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        NOTICE = "notice", "Notice issued"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    old_date = models.DateField(null=True, blank=True)
    old_start_time = models.TimeField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True)
    new_start_time = models.TimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.meeting} ({self.at:%d %b %Y})"


# --- Agendas and papers (issue 4) ---
# Writes go through meetings.agenda.services; visibility through meetings.access only.


class Part(models.IntegerChoices):
    PUBLIC = 1, "Part 1 (public)"
    PRIVATE = 2, "Part 2 (private)"


class Agenda(models.Model):
    """The agenda of one meeting and where it stands in agreement and dispatch (ToR 12.1.1, 12.2)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_CHAIR = "awaiting_chair", "Awaiting agreement"
        RETURNED = "returned", "Returned with comments"
        AGREED = "agreed", "Agreed"
        DISPATCHED = "dispatched", "Dispatched and published"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="agenda")
    state = models.CharField(max_length=15, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every change after the agenda was sent or agreed."
    )
    sent_to_chair_at = models.DateTimeField(null=True, blank=True)
    sent_to_chair_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agreed_version = models.PositiveIntegerField(null=True, blank=True)
    chair_comments = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatched_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Agenda: {self.meeting}"

    @property
    def is_dispatched(self) -> bool:
        return self.state == self.State.DISPATCHED


class AgendaAgreement(models.Model):
    """One person's agreement to one version of an agenda. The agenda is agreed once everyone the
    committee's rule names has agreed its current version (CommitteeRules.agenda_agreed_by)."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField()
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    office = models.CharField(max_length=60, help_text="The office they agreed in, e.g. Chair.")
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the agreement was given, when the secretariat records it (e.g. by email).",
    )

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "version", "person"], name="one_agreement_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.office}) agreed v{self.version} of {self.agenda}"


class SupplementaryAgenda(models.Model):
    """A supplementary agenda raised after dispatch (issue 13): new items, agreed as the main
    agenda is (the agenda's version goes up and the same agreements are recorded against it),
    then dispatched: the items join the agenda marked "Supplementary agenda N", a new pack
    version is built and Members and Participants get one email listing what was added.

    Until dispatch the proposed items live here (`proposed`), not on the agenda, so nothing of
    them reaches any reader before the Chair has agreed and the secretariat has sent them."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_CHAIR = "awaiting_chair", "Awaiting agreement"
        AGREED = "agreed", "Agreed"
        DISPATCHED = "dispatched", "Dispatched and published"

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="supplements")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=15, choices=State.choices, default=State.DRAFT)
    # [{"title", "purpose", "presenter", "description", "part", "part2_ground", "public_description"}]
    proposed = models.JSONField(default=list, blank=True)
    agenda_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The agenda version the agreement is given to."
    )
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_to_chair_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatched_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["agenda", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "number"], name="unique_supplement_number")
        ]

    def __str__(self) -> str:
        return f"Supplementary agenda {self.number}: {self.agenda.meeting}"


class AgendaItem(models.Model):
    class Purpose(models.TextChoices):
        DECISION = "decision", "For decision"
        DISCUSSION = "discussion", "For discussion"
        ASSURANCE = "assurance", "For assurance"
        INFORMATION = "information", "For information"

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(
        help_text="Set by the agenda service: Part 1 items first, then Part 2."
    )
    part = models.PositiveSmallIntegerField(choices=Part.choices, default=Part.PUBLIC)
    title = models.CharField(max_length=300)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.INFORMATION)
    presenter = models.CharField(max_length=200, blank=True)
    report_author = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who writes the paper: reminded before the report authors' deadline.",
    )
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    timing_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    part2_ground = models.ForeignKey(
        Part2Ground, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="For a Part 2 item: what the public agenda says instead of the title.",
    )
    standard_key = models.CharField(
        max_length=30, blank=True, help_text="Set on the standard items a new agenda starts with."
    )
    recording_start = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Part 1 only: seconds from the start of the recording where this item begins.",
    )
    part2_review_date = models.DateField(
        null=True,
        blank=True,
        help_text="Part 2 only: when the ground for taking it in private is reviewed (commercial "
        "sensitivity often ends at contract award).",
    )
    republished_at = models.DateTimeField(
        null=True, blank=True, help_text="When a Part 2 item was re-published as Part 1."
    )
    supplementary = models.ForeignKey(
        SupplementaryAgenda,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        help_text="Added by this supplementary agenda after the agenda was dispatched.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "number"], name="unique_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_part2(self) -> bool:
        return self.part == Part.PRIVATE

    @property
    def processing_papers(self) -> bool:
        """Any upload of this item still being processed (uses prefetched papers)."""
        return any(p.state == "processing" for p in self.papers.all())


class Paper(models.Model):
    """One version of a paper for an item. The PDF lives under PRIVATE_MEDIA_ROOT."""

    class Status(models.TextChoices):
        ORIGINAL = "original", "Original"
        REVISED = "revised", "Revised"
        LATE = "late", "Late paper"

    class State(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=300)
    storage_name = models.CharField(
        max_length=100, help_text="System-chosen file name under PRIVATE_MEDIA_ROOT."
    )
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True, help_text="Text extracted at upload, for search.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ORIGINAL)
    # Issue 15: an upload is checked by content in the request, then processed by Celery
    # (`meetings.process_paper`): defused, converted, counted, text and HTML extracted. Until
    # it is ready it is not current, so no reader, pack or page ever sees it.
    state = models.CharField(max_length=10, choices=State.choices, default=State.READY)
    failure = models.TextField(blank=True, help_text="Why processing failed, in words.")
    source_name = models.CharField(
        max_length=100, blank=True, help_text="The uploaded original (office file), if any."
    )
    source_format = models.CharField(max_length=10, blank=True)
    original_sha256 = models.CharField(
        max_length=64, blank=True, help_text="Digest of the file as uploaded, kept for the record."
    )
    removed = models.TextField(blank=True, help_text="What was removed from a hostile PDF.")
    html = models.TextField(blank=True, help_text="The HTML reading version (sanitised).")
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_versions",
        help_text="The current paper this upload replaces once processed.",
    )
    reason = models.TextField(
        blank=True, help_text="Why the paper was revised or is late; shown to readers."
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    is_current = models.BooleanField(default=True)
    taken_down_at = models.DateTimeField(
        null=True, blank=True, help_text="Removed from view by a take-down (see TakeDown)."
    )
    uploaded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    announced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A late or revised paper: when readers were told of it by email, in one batch "
        "with the others uploaded since the last one (issue 13).",
    )
    history = HistoricalRecords(excluded_fields=["text", "html"])

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def part(self) -> int:
        return self.item.part


class PaperDownload(models.Model):
    """Who opened a Part 2 paper, and when (shown to the secretariat)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} opened {self.paper} at {self.at:%Y-%m-%d %H:%M}"


class PaperWithholding(models.Model):
    """The Chair withholds a Part 2 paper from a conflicted member (DOMAIN section 4)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="withholdings")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["paper", "person"], name="unique_withholding")
        ]

    def __str__(self) -> str:
        return f"{self.paper} withheld from {self.person}"


class ItemRequest(models.Model):
    """A member's request for an agenda item (ToR 12.3); the Chair decides."""

    class Timing(models.TextChoices):
        ON_TIME = "on_time", "On time"
        URGENT = "urgent", "Urgent window"

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting the Chair's decision"
        INCLUDED = "included", "Included on the agenda"
        DECLINED = "declined", "Declined"
        DEFERRED = "deferred", "Deferred to a later meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="item_requests")
    requested_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=300)
    summary = models.TextField()
    why = models.TextField("why it matters")
    urgent = models.BooleanField(default=False)
    urgent_reason = models.TextField(blank=True)
    timing = models.CharField(max_length=10, choices=Timing.choices)
    submitted_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    deferred_to = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="deferred_requests"
    )
    agenda_item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.title


class MeetingInvitation(models.Model):
    """An observer or attendee invited to a meeting; `part2` admits them to the private part."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    part2 = models.BooleanField(
        "invited to Part 2", default=True, help_text="Admits them to the private session."
    )
    note = models.CharField(max_length=300, blank=True)
    invited_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.person} invited to {self.meeting}"


# --- The meeting record (issue 6) ---
# Writes go through meetings.conduct.services; reads through meetings.conduct.selectors; who may see
# minutes and Part 2 decisions through meetings.access only.


class MeetingRecord(models.Model):
    """Switches the officer sets during the meeting (one row per meeting, made on first use)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="record")
    chair_allows_remote = models.BooleanField(
        "the Chair allows remote attendance to count towards the quorum",
        default=False,
        help_text="K&M ToR 8.3: remote attendance counts at the Chair's discretion.",
    )
    started_at = models.TimeField("the meeting started at", null=True, blank=True)
    finished_at = models.TimeField("the meeting finished at", null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Record of {self.meeting}"


class Attendance(models.Model):
    """One person at (or absent from) a meeting, in one capacity, with arrivals and departures."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present in person"
        REMOTE = "remote", "Present remotely"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    class Capacity(models.TextChoices):
        MEMBER = "member", "Member"
        DEPUTY = "deputy", "Deputy"
        PARTICIPANT = "participant", "Participant"
        ATTENDEE = "attendee", "Attendee"
        OBSERVER = "observer", "Observer"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=12, choices=Capacity.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)
    deputy_for = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member this deputy stands in for.",
    )
    deputy_votes = models.BooleanField(
        default=False, help_text="Whether the deputy may vote, as the committee's rules say."
    )
    deputy_items = models.ManyToManyField(
        AgendaItem,
        blank=True,
        related_name="+",
        help_text="A deputy for one matter (M&SE, Conflicts of Interest): the items from which "
        "the member is excluded, for which alone the deputy takes their place. Empty: the "
        "deputy stands in while the member is unable to attend.",
    )
    for_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For an attendee: the item they attend for (K&M ToR 6.5).",
    )
    arrived_at_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Arrived late: present from this item on.",
    )
    left_before_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Left early: not present from this item on.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "capacity", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()} ({self.get_capacity_display()})"

    @property
    def is_present(self) -> bool:
        return self.status in (self.Status.PRESENT, self.Status.REMOTE)


class Declaration(models.Model):
    """An interest declared on an item and what the member did (ToR 7.5, 11.4.3)."""

    class Action(models.TextChoices):
        WITHDREW = "withdrew", "Withdrew from the discussion and the vote"
        NOT_VOTING = "not_voting", "Stayed for the discussion but did not vote"
        PERMITTED = "permitted", "The Chair permitted them to take part"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    interest = models.TextField(help_text="The interest as declared.")
    action = models.CharField(max_length=12, choices=Action.choices)
    recorded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="one_declaration_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.item}: {self.get_action_display()}"

    @property
    def conflicted(self) -> bool:
        """Out of the item's vote and quorum (and so cannot preside over it)."""
        return self.action != self.Action.PERMITTED


class Decision(models.Model):
    """A decision of the committee, numbered in its register (ToR 7.4, 13.2)."""

    class Method(models.TextChoices):
        CONSENSUS = "consensus", "By consensus"
        VOTE = "vote", "By a vote"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField(
        null=True, blank=True, help_text="None for a motion that fell: it takes no number."
    )
    number = models.CharField(max_length=40, blank=True, help_text="For example KMICP/2026/07.")
    part = models.PositiveSmallIntegerField(choices=Part.choices, default=Part.PUBLIC)
    text = models.TextField(help_text="The decision as minuted.")
    public_summary = models.TextField(
        blank=True,
        help_text="For a Part 2 decision: what the public register says (no confidential detail).",
    )
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.CONSENSUS)
    by_name = models.BooleanField(default=False, help_text="The vote was recorded by name.")
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=True)
    outcome = models.CharField(max_length=300, blank=True)
    casting_vote_used = models.BooleanField(default=False)
    presiding = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    notice_taken_down_at = models.DateTimeField(
        null=True, blank=True, help_text="Its notice removed from view by a take-down."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "sequence"], name="unique_decision_number"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_part2(self) -> bool:
        return self.part == Part.PRIVATE


class VoteCast(models.Model):
    """One member's vote, where a vote is recorded by name."""

    class Choice(models.TextChoices):
        FOR = "for", "For"
        AGAINST = "against", "Against"
        ABSTAIN = "abstain", "Abstained"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)

    class Meta:
        ordering = ["decision", "choice", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class ItemNote(models.Model):
    """The officer's note of an item's discussion, for the minutes."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="note")
    discussion = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Note of {self.item}"


class Action(models.Model):
    """An action from a meeting: carried forward to matters arising until done or dropped."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="actions")
    due = models.DateField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    update = models.TextField(blank=True, help_text="Progress, or why it was dropped.")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Minutes(models.Model):
    """One version of a meeting's minutes. Approved versions are never edited: a correction is
    a new version with its reason (DOMAIN section 4)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        CIRCULATED = "circulated", "Draft circulated to members"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Approved and published"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # [{"key", "heading", "part", "text"}]: plain text the secretariat edits, one per section.
    sections = models.JSONField(default=list)
    reason = models.TextField(blank=True, help_text="Why this version corrects the one before.")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_at_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
        help_text="The 'minutes of the last meeting' item of the meeting that approved them.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    taken_down_at = models.DateTimeField(
        null=True, blank=True, help_text="Removed from view by a take-down (see TakeDown)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name_plural = "minutes"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="unique_minutes_version")
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting} (version {self.version})"

    @property
    def is_draft(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.CIRCULATED)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def sections_for(self, part: int) -> list[dict]:
        return [s for s in self.sections if int(s.get("part", 1)) == part]


class MinutesDocument(models.Model):
    """A built PDF of one minutes version for one audience; never overwritten."""

    class Audience(models.TextChoices):
        PUBLIC = "public", "Public (Part 1)"
        MEMBERS = "members", "Members (Parts 1 and 2)"

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="documents")
    audience = models.CharField(max_length=8, choices=Audience.choices)
    draft = models.BooleanField(default=True)
    fingerprint = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["minutes", "audience", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "audience", "fingerprint"], name="unique_minutes_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} PDF ({self.audience})"


class ForwardPlanItem(models.Model):
    """A topic planned for a future meeting (ToR 6.7): the secretariat enters it, a member of
    the Leadership Team agrees it, and the agenda builder offers it."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="forward_plan")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="forward_plan_items"
    )
    title = models.CharField(max_length=300)
    purpose = models.CharField(
        max_length=12, choices=AgendaItem.Purpose.choices, default=AgendaItem.Purpose.DISCUSSION
    )
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    presenter = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    agreed_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agenda_item = models.OneToOneField(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forward_plan_item",
    )
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None


# --- Reporting after each meeting (issue 14) ---
# Writes go through meetings.minutes.key_messages and meetings.minutes.reporting; who may read
# key messages through meetings.access only.


class KeyMessages(models.Model):
    """One version of a meeting's summary of key messages (M&SE, Accountability and Reporting):
    drafted from the Part 1 record, approved by the secretariat, sent to all members and
    published. A published version is never edited: a revision is a new version with its reason.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved by the secretariat"
        PUBLISHED = "published", "Sent to members and published"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="key_messages")
    version = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    text = models.TextField(blank=True)
    reason = models.TextField(blank=True, help_text="Why this version revises the one before.")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.PositiveIntegerField(
        default=0, help_text="How many members it was sent to when published."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name_plural = "key messages"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "version"], name="unique_key_messages_version"
            )
        ]

    def __str__(self) -> str:
        return f"Key messages of {self.meeting} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class MinutesPresentation(models.Model):
    """The Part 1 minutes presented to one statutory partner (K&M ToR 12.4): sent to its
    governance contact, or not sent and why, for one version of the minutes."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        NO_CONTACT = "no_contact", "Not sent: no governance contact"

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="presentations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    message = models.ForeignKey(
        "communications.OutboxMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["minutes", "organisation__name", "-at"]

    def __str__(self) -> str:
        return f"{self.minutes} to {self.organisation}: {self.get_status_display()}"


# --- Part 2 that lapses (issue 19) ---
# Writes go through meetings.conduct.part2_review; nothing Part 2 becomes public but by its
# explicit republish step.


class Part2Review(models.Model):
    """What the secretariat did when a Part 2 item's review date came: re-published it as
    Part 1, or extended the review date, with who and why."""

    class Action(models.TextChoices):
        REPUBLISHED = "republished", "Re-published as Part 1"
        EXTENDED = "extended", "Review date extended"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="part2_reviews")
    action = models.CharField(max_length=12, choices=Action.choices)
    reason = models.TextField()
    ground = models.CharField(
        max_length=300, blank=True, help_text="The ground the item was taken in private on."
    )
    old_review_date = models.DateField(null=True, blank=True)
    new_review_date = models.DateField(null=True, blank=True)
    by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_action_display()} ({self.at:%d %b %Y})"


class TakeDown(models.Model):
    """The secretariat removed a published paper version, minutes version or decision notice
    from view (published by mistake, e.g. personal data). The file is kept privately; readers
    see "removed on [date]: [public reason]"; packs are rebuilt without it and the old pack
    versions that contained it are no longer served. This row is the log of the act."""

    class Kind(models.TextChoices):
        PAPER = "paper", "Paper"
        MINUTES = "minutes", "Minutes"
        DECISION = "decision", "Decision notice"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="take_downs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    paper = models.OneToOneField(
        Paper, null=True, blank=True, on_delete=models.PROTECT, related_name="take_down"
    )
    minutes = models.OneToOneField(
        Minutes, null=True, blank=True, on_delete=models.PROTECT, related_name="take_down"
    )
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="take_down"
    )
    title = models.CharField(max_length=300, help_text="What was removed, as readers knew it.")
    public_reason = models.TextField(help_text="Shown to readers where it was published.")
    note = models.TextField(blank=True, help_text="For the secretariat only: what went wrong.")
    taken_down_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_down_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "taken_down_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="paper",
                        paper__isnull=False,
                        minutes__isnull=True,
                        decision__isnull=True,
                    )
                    | models.Q(
                        kind="minutes",
                        paper__isnull=True,
                        minutes__isnull=False,
                        decision__isnull=True,
                    )
                    | models.Q(
                        kind="decision",
                        paper__isnull=True,
                        minutes__isnull=True,
                        decision__isnull=False,
                    )
                ),
                name="take_down_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} taken down: {self.title}"
