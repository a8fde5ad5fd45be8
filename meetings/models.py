"""Meetings of a committee. Agendas, papers and the record build on these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committees.models import Committee


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
    webcast_link = models.URLField(blank=True)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.ORDINARY)
    is_public = models.BooleanField(
        default=True, help_text="Untick for a meeting held wholly in private (Part 2)."
    )
    urgent_reason = models.TextField(
        blank=True, help_text="Why the meeting is called at short notice (K&M ToR 7.3)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(blank=True)
    # Facts the deadlines are measured against (meetings.deadlines).
    notice_given_at = models.DateTimeField(null=True, blank=True)
    papers_dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the agenda and papers were sent (ToR 12.2)."
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
# Writes go through meetings.services_agenda; visibility through meetings.access only.

import uuid  # noqa: E402

from django.conf import settings as django_settings  # noqa: E402

from committees.models import Organisation, Part2Ground  # noqa: E402


class Part(models.IntegerChoices):
    PUBLIC = 1, "Part 1 (public)"
    PRIVATE = 2, "Part 2 (private)"


class Agenda(models.Model):
    """The agenda of one meeting and where it stands in agreement and dispatch (ToR 12.1.1, 12.2)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_CHAIR = "awaiting_chair", "Awaiting the Chair's agreement"
        RETURNED = "returned", "Returned by the Chair with comments"
        AGREED = "agreed", "Agreed by the Chair"
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


class Paper(models.Model):
    """One version of a paper for an item. The PDF lives under PRIVATE_MEDIA_ROOT."""

    class Status(models.TextChoices):
        ORIGINAL = "original", "Original"
        REVISED = "revised", "Revised"
        LATE = "late", "Late paper"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=300)
    storage_name = models.CharField(
        max_length=100, help_text="System-chosen file name under PRIVATE_MEDIA_ROOT."
    )
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField()
    text = models.TextField(blank=True, help_text="Text extracted at upload, for search.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ORIGINAL)
    reason = models.TextField(
        blank=True, help_text="Why the paper was revised or is late; shown to readers."
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["text"])

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
