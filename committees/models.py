"""The partnership's structure: organisations, places, committees and each committee's rules.

Every number and switch of the Terms of Reference is a field of `CommitteeRules`, editable by
staff, with the Kent and Medway values as defaults (DOMAIN.md section 2).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ICB = "icb", "Integrated Care Board"
        UPPER_TIER = "upper_tier", "County or unitary council"
        DISTRICT = "district", "District or borough council"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        VCSE = "vcse", "Voluntary, community and social enterprise body"
        NHS_PROVIDER = "nhs_provider", "NHS provider"
        ACADEMIC = "academic", "Academic body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True, help_text="For example KCC or ICB.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(blank=True)
    # Where a statutory partner's governance team receives the committee's minutes (K&M ToR
    # 12.4: "presented to KCC, Medway Council and the ICB").
    governance_contact_name = models.CharField(
        "governance contact", max_length=200, blank=True, help_text="Who receives the minutes."
    )
    governance_contact_email = models.EmailField(
        "governance contact's email",
        blank=True,
        help_text="The approved Part 1 minutes are sent here where the committee's rules say so.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("secretariat:organisation_edit", args=[self.pk])

    @property
    def has_governance_contact(self) -> bool:
        return bool(self.governance_contact_email.strip())

    def clean(self) -> None:
        if self.governance_contact_name.strip() and not self.governance_contact_email.strip():
            raise ValidationError(
                {"governance_contact_email": "Give the governance contact's email address."}
            )


class Place(models.Model):
    """A Health and Care Partnership area (K&M) or an Alliance (M&SE)."""

    class Kind(models.TextChoices):
        HCP = "hcp", "Health and Care Partnership"
        ALLIANCE = "alliance", "Alliance"
        OTHER = "other", "Other place"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HCP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcommittees",
        help_text="Set for a sub-committee.",
    )
    purpose = models.TextField(blank=True)
    terms_of_reference = models.TextField(
        blank=True, help_text="The Terms of Reference as published (plain text or Markdown)."
    )
    terms_of_reference_url = models.URLField(blank=True)
    statutory_partners = models.ManyToManyField(
        Organisation, blank=True, related_name="statutory_partner_of"
    )
    places = models.ManyToManyField(Place, blank=True, related_name="committees")
    secretariat = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="secretariat_of",
        help_text="Staff who run this committee's business.",
    )
    established = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[statutory_partners, places, secretariat])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:committee", args=[self.slug])

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


class CountingBasis(models.TextChoices):
    CLEAR = "clear", "clear working days"
    PLAIN = "plain", "working days"


class CommitteeRules(models.Model):
    """The rules a committee's Terms of Reference set. Defaults are the K&M ToR values."""

    class Region(models.TextChoices):
        ENG = "ENG", "England"
        WLS = "WLS", "Wales"
        SCT = "SCT", "Scotland"
        NIR = "NIR", "Northern Ireland"

    class MajorityBasis(models.TextChoices):
        PRESENT = "present", "Majority of voting members present"
        VOTES_CAST = "votes_cast", "Majority of votes cast"
        ALL_MEMBERS = "all_members", "Majority of all voting members"

    class RemoteAttendance(models.TextChoices):
        CHAIR_DISCRETION = "chair", "Counts towards quorum at the Chair's discretion"
        ALWAYS = "always", "Always counts towards quorum"
        NEVER = "never", "Never counts towards quorum"

    class QuorumBasis(models.TextChoices):
        NONE = "none", "No quorum"
        FIXED = "fixed", "A fixed number of voting members"
        FRACTION = "fraction", "A fraction of the voting members"

    class AgendaAgreedBy(models.TextChoices):
        """Whose agreement makes an agenda agreed (K&M ToR 12.1.1; M&SE "Conduct & Operation")."""

        CHAIR = "chair", "The Chair"
        CHAIR_AND_VICE_CHAIRS = "chair_vice_chairs", "The Chair and every Vice-Chair"
        CHAIR_AND_LEADERSHIP_TEAM = (
            "chair_leadership_team",
            "The Chair and every member of the Leadership Team",
        )

    class NoticeAppliesTo(models.TextChoices):
        """Which meetings the notice period applies to (K&M ToR 10.2.1; M&SE "a minimum of
        five working days' notice will be given when calling an extraordinary meeting")."""

        ALL_BUT_URGENT = (
            "all_but_urgent",
            "Every meeting (an urgent meeting may be called at shorter notice)",
        )
        EXTRAORDINARY = (
            "extraordinary",
            "Extraordinary meetings only (ordinary meetings follow the published schedule)",
        )

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="rules")
    holiday_region = models.CharField(
        "bank holiday region", max_length=3, choices=Region.choices, default=Region.ENG
    )
    notice_days = models.PositiveSmallIntegerField(
        default=5, help_text="Notice of a meeting (K&M ToR 10.2.1)."
    )
    notice_counting = models.CharField(
        max_length=5, choices=CountingBasis.choices, default=CountingBasis.CLEAR
    )
    notice_applies_to = models.CharField(
        "the notice period applies to",
        max_length=15,
        choices=NoticeAppliesTo.choices,
        default=NoticeAppliesTo.ALL_BUT_URGENT,
        help_text="K&M ToR 10.2.1: every meeting, except an urgent one. M&SE: extraordinary "
        "meetings; ordinary meetings follow the published schedule.",
    )
    papers_days = models.PositiveSmallIntegerField(
        default=5, help_text="Agenda and papers sent and published (K&M ToR 12.2)."
    )
    papers_counting = models.CharField(
        max_length=5, choices=CountingBasis.choices, default=CountingBasis.CLEAR
    )
    item_request_days = models.PositiveSmallIntegerField(
        default=20, help_text="Members' requests for agenda items (K&M ToR 12.3)."
    )
    item_request_counting = models.CharField(
        max_length=5, choices=CountingBasis.choices, default=CountingBasis.CLEAR
    )
    urgent_item_request_days = models.PositiveSmallIntegerField(
        default=10, help_text="Urgent agenda item requests (K&M ToR 12.3)."
    )
    urgent_item_request_counting = models.CharField(
        max_length=5, choices=CountingBasis.choices, default=CountingBasis.CLEAR
    )
    author_papers_days = models.PositiveSmallIntegerField(
        "report authors' papers due",
        default=10,
        help_text="Working days before the meeting that report authors send papers to the secretariat.",
    )
    minutes_circulation_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days after the meeting by which draft minutes circulate."
    )
    max_months_between_meetings = models.PositiveSmallIntegerField(
        "minimum frequency: at most this many months between meetings",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="3 means at least quarterly (K&M ToR 10.1); 2 means bi-monthly.",
    )
    # When reminders go out, in working days before the deadline they are about (issue 3).
    item_request_reminder_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Working days before the item-request deadline that members and participants "
        "are reminded they can ask for an item.",
    )
    author_papers_reminder_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="Working days before their papers are due that report authors are reminded.",
    )
    secretariat_deadline_warning_days = models.PositiveSmallIntegerField(
        default=2,
        help_text="Working days before the notice or papers deadline that the secretariat is "
        "warned if it is not yet met (and again on the day it is missed).",
    )
    minutes_reminder_days = models.PositiveSmallIntegerField(
        default=2,
        help_text="Working days before draft minutes are due that the secretariat is reminded.",
    )
    deputies_allowed = models.BooleanField(default=False, help_text="K&M ToR 6.2: not permitted.")
    deputies_may_vote = models.BooleanField(default=False)
    conflict_deputies_allowed = models.BooleanField(
        "a deputy may take an excluded member's place for that matter",
        default=False,
        help_text="M&SE, Conflicts of Interest: where the Chair excludes a member, their "
        "organisation may send a deputy to take their place in relation to that matter (the "
        "deputy counts and votes for those items only). K&M ToR 6.2: no deputies.",
    )
    chair_has_casting_vote = models.BooleanField(default=False, help_text="K&M ToR 7.4: no.")
    majority_basis = models.CharField(
        max_length=12, choices=MajorityBasis.choices, default=MajorityBasis.PRESENT
    )
    remote_attendance = models.CharField(
        max_length=6, choices=RemoteAttendance.choices, default=RemoteAttendance.CHAIR_DISCRETION
    )
    quorum_basis = models.CharField(
        max_length=8, choices=QuorumBasis.choices, default=QuorumBasis.FIXED
    )
    quorum_number = models.PositiveSmallIntegerField(
        default=9, help_text="Used when the quorum is a fixed number (K&M ToR 8.1: nine)."
    )
    quorum_fraction = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text="Used when the quorum is a fraction of voting members, for example 0.5.",
    )
    # The annual cycle (issue 6): when these were last done, so the next is due a year on.
    decision_prefix = models.CharField(
        max_length=20,
        blank=True,
        help_text="Starts each decision number, e.g. KMICP in KMICP/2026/07. Blank: the "
        "initials of the committee's short name.",
    )
    tor_last_reviewed = models.DateField(
        "Terms of Reference last reviewed",
        null=True,
        blank=True,
        help_text="K&M ToR 14.1: reviewed at least annually.",
    )
    self_assessment_required = models.BooleanField(
        "an annual self-assessment of effectiveness",
        default=True,
        help_text="K&M ToR 11.5: yes. Untick where the Terms of Reference do not ask for one.",
    )
    self_assessment_last_done = models.DateField(
        "self-assessment of effectiveness last done",
        null=True,
        blank=True,
        help_text="K&M ToR 11.5: at least annually.",
    )
    # The Chair's rotation (issue 14): between the seats eligible for Chair, in seat order.
    chair_rotation_years = models.PositiveSmallIntegerField(
        "the Chair rotates every this many years",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="K&M ToR 6.3: 2, between the seats eligible for Chair. Leave blank where the "
        "Chair does not rotate (M&SE: the ICB Chair chairs).",
    )
    chair_rotation_start = models.DateField(
        "the rotation counts from",
        null=True,
        blank=True,
        help_text="The first meeting, where the first Chair was elected (K&M ToR 6.3). Blank: "
        "the start of the first Chair term recorded.",
    )
    public_health_seats = models.ManyToManyField(
        "Seat",
        blank=True,
        related_name="+",
        verbose_name="public health representatives",
        help_text="K&M ToR 8.2: the seats of the Directors of Public Health, of whom the "
        "committee endeavours to always have one in attendance (not part of the quorum). The "
        "record warns when none is present, or all present are conflicted. Leave empty where "
        "the Terms of Reference have no such rule.",
    )
    # Reporting after each meeting (issue 14).
    key_messages_required = models.BooleanField(
        "a summary of key messages after each meeting",
        default=False,
        help_text="M&SE, Accountability and Reporting: “a summary of key messages arising from "
        "each meeting will be submitted to all members … and made available on the ICS "
        "website”. K&M: no.",
    )
    minutes_to_partners = models.BooleanField(
        "the minutes are presented to each statutory partner",
        default=True,
        help_text="K&M ToR 12.4: a copy of the minutes is presented to KCC, Medway Council and "
        "the ICB. Once published, the Part 1 minutes are sent to each statutory partner's "
        "governance contact.",
    )
    agenda_agreed_by = models.CharField(
        "the agenda is agreed by",
        max_length=25,
        choices=AgendaAgreedBy.choices,
        default=AgendaAgreedBy.CHAIR,
        help_text="Everyone named must agree the same version before it can be dispatched. "
        "K&M ToR 12.1.1: the Chair. M&SE: the Chair and Vice Chairs.",
    )
    urgent_meeting_needs_leadership_agreement = models.BooleanField(
        "an urgent meeting records the Leadership Team's agreement",
        default=True,
        help_text="K&M ToR 7.3: “Where possible this will be agreed by the Leadership Team”: "
        "an urgent meeting records who agreed and when, or why it was not possible.",
    )
    tor_version = models.CharField(
        "version of the Terms of Reference in force",
        max_length=200,
        blank=True,
        help_text="As the ToR document names itself, e.g. “Draft v1”. Meetings show the version "
        "they were held under.",
    )
    tor_version_from = models.DateField(
        "in force from",
        null=True,
        blank=True,
        help_text="The date that version of the Terms of Reference took effect.",
    )
    references = models.JSONField(
        "the ToR paragraph of each rule",
        default=dict,
        blank=True,
        help_text="Topic (a RuleTopic value) to the paragraph or heading of this committee's own "
        "ToR that sets it; messages cite it through `cite(topic)`.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "committee rules"
        verbose_name_plural = "committee rules"

    def __str__(self) -> str:
        return f"Rules of {self.committee}"

    def reference(self, topic: str) -> str:
        """The paragraph or heading as the secretariat entered it; blank where not set."""
        return str((self.references or {}).get(topic, "")).strip()

    def cite(self, topic: str) -> str:
        """The committee's own paragraph for a rule, as a message cites it: "ToR 7.4",
        "ToR, Voting", or "the Terms of Reference" where the secretariat has not set one."""
        return cite(self.reference(topic))

    def clean(self) -> None:
        if self.deputies_may_vote and not self.deputies_allowed:
            raise ValidationError(
                {"deputies_may_vote": "Deputies can only vote where deputies are allowed."}
            )

    @property
    def tor_version_text(self) -> str:
        """The ToR version as pages show it: "Draft v1, from 11 May 2022"; blank if not set."""
        if not self.tor_version:
            return ""
        if self.tor_version_from:
            return f"{self.tor_version}, in force from {self.tor_version_from:%-d %B %Y}"
        return self.tor_version

    def validate_rotation(self) -> None:
        """A rotating Chair needs two seats to rotate between. Checked once the rules and their
        office eligibility are saved together, since the seats live in related rows."""
        if not self.chair_rotation_years:
            return
        seats = Seat.objects.filter(
            eligible_for__rules=self, eligible_for__office=OfficeKind.CHAIR
        ).count()
        if seats < 2:
            raise ValidationError(
                {
                    "chair_rotation_years": "The Chair rotates between the seats eligible for "
                    "Chair: name at least two under “Who may hold each office”, or leave this "
                    "blank."
                }
            )


class RuleTopic(models.TextChoices):
    """The rules whose paragraph of the committee's own ToR a message cites (K&M paragraph in the
    comment). Every citation in a message goes through `CommitteeRules.cite(topic)`, never a
    paragraph number written in code: another committee's ToR number their rules differently."""

    CHAIR_ROTATION = "chair_rotation", "The Chair and the Chair's rotation"  # K&M 6.3
    DEPUTIES = "deputies", "Deputies"  # K&M 6.2
    ATTENDEES = "attendees", "Attendees called by the Chair"  # 6.5
    OBSERVERS = "observers", "Observers"  # 6.6
    LEADERSHIP_TEAM = "leadership_team", "The Leadership Team and the forward plan"  # 6.7
    PRESIDING = "presiding", "Who presides when the Chair cannot"  # 6.8
    PART2 = "part2", "Business taken in private"  # 7.1
    PART2_ORDER = "part2_order", "Part 1 and Part 2 of a meeting"  # 7.2
    URGENT_MEETING = "urgent_meeting", "Urgent meetings at short notice"  # 7.3
    VOTING = "voting", "Consensus and voting"  # 7.4
    DECLARATIONS = "declarations", "Declarations of interest"  # 7.5
    QUORUM = "quorum", "Quorum"  # 8.1
    PUBLIC_HEALTH = "public_health", "A public health representative in attendance"  # 8.2
    REMOTE = "remote", "Remote attendance"  # 8.3
    FREQUENCY = "frequency", "How often the committee meets"  # 10.1
    NOTICE = "notice", "Notice of meetings"  # 10.2
    AGENDA = "agenda", "Who agrees the agenda"  # 12.1.1
    PAPERS = "papers", "Agenda and papers sent and published"  # 12.2
    ITEM_REQUESTS = "item_requests", "Members' requests for agenda items"  # 12.3
    MINUTES = "minutes", "Minutes"  # 12.4
    PUBLIC_RECORD = "public_record", "What the public record says of private business"  # 13.2
    SELF_ASSESSMENT = "self_assessment", "The annual self-assessment of effectiveness"  # 11.5
    TOR_REVIEW = "tor_review", "The annual review of the Terms of Reference"  # 14.1
    CONFLICT_DEPUTIES = (
        "conflict_deputies",
        "A deputy in place of a member excluded for a conflict",
    )  # 6.2
    KEY_MESSAGES = "key_messages", "A summary of key messages after each meeting"  # M&SE only


def cite(reference: str) -> str:
    """How a message cites a paragraph of the committee's own Terms of Reference: "ToR 6.3" for
    a numbered paragraph, "ToR, Review" for a heading, "the Terms of Reference" when not set."""
    reference = reference.strip()
    if not reference:
        return "the Terms of Reference"
    return f"ToR {reference}" if reference[0].isdigit() else f"ToR, {reference}"


class QuorumCondition(models.Model):
    """One extra condition of a quorum, beyond the head count (K&M ToR 8.1.1 to 8.1.3)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "At least N voting members from an organisation"
        OFFICE = "office", "At least N holders of an office"
        PLACES = "places", "At least N places represented"

    rules = models.ForeignKey(CommitteeRules, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    minimum = models.PositiveSmallIntegerField(default=1)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.CharField(max_length=20, blank=True, help_text="For an office condition.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        if self.kind == self.Kind.ORGANISATION:
            return f"At least {self.minimum} from {self.organisation}"
        if self.kind == self.Kind.OFFICE:
            return f"At least {self.minimum} of the {self.office.replace('_', ' ')}"
        return f"At least {self.minimum} places represented"

    def clean(self) -> None:
        if self.kind == self.Kind.ORGANISATION and not self.organisation_id:
            raise ValidationError({"organisation": "Choose the organisation this condition names."})
        if self.kind == self.Kind.OFFICE and not self.office:
            raise ValidationError({"office": "Choose the office this condition names."})


class Part2Ground(models.Model):
    """A ground on which business may be taken in private (K&M ToR 7.1.x, or LGA 1972 Sch 12A)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="part2_grounds")
    reference = models.CharField(max_length=20, help_text="For example 7.1.2 or Para 3.")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "reference"], name="unique_ground_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text}"


class Role(models.TextChoices):
    """A person's role on a committee (K&M ToR 6.1, 6.4, 6.5, 6.6)."""

    MEMBER = "member", "Member"
    PARTICIPANT = "participant", "Participant"
    ATTENDEE = "attendee", "Attendee"
    OBSERVER = "observer", "Observer"


class OfficeKind(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-Chair"
    LEADERSHIP_TEAM = "leadership_team", "Leadership Team"


class Seat(models.Model):
    """A seat as the Terms of Reference word it, for example "Leader of Medway Council"."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats")
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=20, blank=True, help_text="ToR paragraph, e.g. 6.1.2.")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.role in (Role.ATTENDEE, Role.OBSERVER):
            raise ValidationError(
                {
                    "role": "Seats are for Members and Participants; attendees and observers "
                    "are invited by the Chair without a seat."
                }
            )


class PresidingFallback(models.Model):
    """Who presides when the Chair is absent or conflicted, in order (K&M ToR 6.8)."""

    rules = models.ForeignKey(
        CommitteeRules, on_delete=models.CASCADE, related_name="presiding_fallbacks"
    )
    order = models.PositiveSmallIntegerField(default=0)
    office = models.CharField(max_length=20, choices=OfficeKind.choices, blank=True)
    seat = models.ForeignKey(
        Seat, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_rotation_seat = models.BooleanField(
        "the other seat in the Chair's rotation",
        default=False,
        help_text="The holder of the seat eligible for Chair that is not the Chair's, e.g. "
        "“the other Local Authority leader” (K&M ToR 6.8).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    OTHER_ROTATION_SEAT_LABEL = "the other seat in the Chair's rotation"

    def __str__(self) -> str:
        return f"{self.order}. {self.label}"

    @property
    def label(self) -> str:
        if self.other_rotation_seat:
            return self.OTHER_ROTATION_SEAT_LABEL
        return self.get_office_display() if self.office else str(self.seat or "")

    def clean(self) -> None:
        if [bool(self.office), bool(self.seat_id), self.other_rotation_seat].count(True) != 1:
            raise ValidationError(
                "Name one of: an office, a seat, or the other seat in the Chair's rotation."
            )


class OfficeEligibility(models.Model):
    """Which seats may hold an office (K&M ToR 6.3: the Chair is the Leader of Kent County
    Council or of Medway Council). Without a row for an office, any Member may hold it."""

    rules = models.ForeignKey(
        CommitteeRules, on_delete=models.CASCADE, related_name="office_eligibility"
    )
    office = models.CharField(max_length=20, choices=OfficeKind.choices)
    seats = models.ManyToManyField(
        Seat,
        related_name="eligible_for",
        help_text="The holders of these seats, and no one else, may hold the office.",
    )
    reference = models.CharField(
        "ToR paragraph", max_length=60, blank=True, help_text="For example 6.3 (K&M)."
    )
    wording = models.TextField(
        "the ToR's words",
        blank=True,
        help_text="Quoted exactly when the secretariat names someone else.",
    )
    history = HistoricalRecords(m2m_fields=[seats])

    class Meta:
        ordering = ["office", "pk"]
        verbose_name_plural = "office eligibility"
        constraints = [
            models.UniqueConstraint(fields=["rules", "office"], name="one_eligibility_per_office")
        ]

    def __str__(self) -> str:
        return f"Who may be {self.get_office_display()}"

    def citation(self) -> str:
        """The rule as a refusal quotes it: the paragraph, then the ToR's words."""
        quoted = f": “{self.wording.strip()}”" if self.wording.strip() else ""
        return f"{cite(self.reference)}{quoted}"


class ClosureDayQuerySet(models.QuerySet):
    def for_region(self, region: str) -> ClosureDayQuerySet:
        return self.filter(models.Q(region="") | models.Q(region=region))

    def for_committee(self, committee_id: int | None) -> ClosureDayQuerySet:
        """The days that apply to one committee: its own and the installation-wide ones."""
        return self.filter(models.Q(committee__isnull=True) | models.Q(committee_id=committee_id))


class ClosureDay(models.Model):
    """A day partners' offices are closed (e.g. between Christmas and New Year): not a working day.

    It belongs to one committee (kept by that committee's secretariat); a day with no committee
    applies to every committee and only an administrator keeps it.
    """

    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closure_days",
        help_text="Leave blank (administrators only) for every committee.",
    )
    date = models.DateField()
    description = models.CharField(max_length=200)
    region = models.CharField(
        max_length=3,
        choices=CommitteeRules.Region.choices,
        blank=True,
        help_text="Leave blank for every region.",
    )
    history = HistoricalRecords()

    objects = ClosureDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            # One row per day, region and committee; "every committee" (NULL) counts as one value.
            models.UniqueConstraint(
                fields=["committee", "date", "region"],
                name="unique_closure_day",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%a %-d %b %Y}: {self.description}"


# --- The public record and personal data (issue 19) ---
# The rule is applied by the retention job (public_site.retention), which logs each removal here.

RECORD_MIN_YEARS = 6  # Local Government Act 1972 s100C: the habit partners follow


class RetentionRule(models.Model):
    """How long a committee keeps its public record, and when personal data is removed."""

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="retention")
    record_years = models.PositiveSmallIntegerField(
        "years the public record stays available",
        default=RECORD_MIN_YEARS,
        help_text="At least six years after the meeting (Local Government Act 1972 s100C).",
    )
    non_member_attendance_months = models.PositiveSmallIntegerField(
        "months non-members' attendance details are kept",
        default=24,
        help_text="Attendees' and observers' attendance records, counted from the meeting.",
    )
    former_member_interests_months = models.PositiveSmallIntegerField(
        "months former members' interests are kept",
        default=6,
        help_text="After the last membership ended; the register shows ended interests for six "
        "months.",
    )
    unconfirmed_subscription_days = models.PositiveSmallIntegerField(
        "days an alert subscription is kept once not confirmed",
        default=30,
        help_text="Never confirmed, counted from the request; or unsubscribed, from that day.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Retention rule of {self.committee}"

    def clean(self) -> None:
        errors = {}
        if self.record_years is not None and self.record_years < RECORD_MIN_YEARS:
            errors["record_years"] = (
                f"Keep the public record for at least {RECORD_MIN_YEARS} years."
            )
        months = self.former_member_interests_months
        if months is not None and months < 6:
            errors["former_member_interests_months"] = (
                "Ended interests stay on the published register for at least six months."
            )
        if errors:
            raise ValidationError(errors)


class RetentionLog(models.Model):
    """One thing the retention job removed: what, of whom or which meeting, and under which rule."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", "Non-member's attendance"
        INTERESTS = "interests", "Former member's interests"
        SUBSCRIPTION = "subscription", "Alert subscription not confirmed"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    count = models.PositiveIntegerField(default=0)
    detail = models.CharField(max_length=300, help_text="What was removed (no personal data).")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d}: {self.get_kind_display()} ({self.count})"
