"""People, their memberships of committees (with the seat they hold) and the offices they hold."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from committees.models import (
    Committee,
    OfficeEligibility,
    OfficeKind,
    Organisation,
    Place,
    Role,
    Seat,
)


class Person(models.Model):
    honorific = models.CharField(max_length=30, blank=True, help_text="Cllr, Dr, Professor...")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login this person signs in with, if they have one.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.honorific, self.first_name, self.last_name) if p)


class MembershipQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> MembershipQuerySet:
        on = on or dt.date.today()
        return self.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))


class Membership(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    voting = models.BooleanField(default=True, help_text="Only Members vote (K&M ToR 6.1, 6.4).")
    seat = models.ForeignKey(
        Seat, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    deputy_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deputies",
        help_text="Set when this person is a named deputy for a member.",
    )
    start = models.DateField(default=dt.date.today)
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "role", "seat__order", "person__last_name"]

    def __str__(self) -> str:
        return f"{self.person} – {self.seat_title} ({self.get_role_display()})"

    @property
    def seat_title(self) -> str:
        return self.seat.title if self.seat_id else self.get_role_display()

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        return self.start <= on and (self.end is None or self.end >= on)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = "The membership cannot end before it starts."
        rules = getattr(self.committee, "rules", None) if self.committee_id else None
        if self.voting and self.role != Role.MEMBER and not self.deputy_for_id:
            errors["voting"] = (
                f"{self.get_role_display()}s do not vote: only Members have a vote "
                f"({rules.cite('voting') if rules else 'the Terms of Reference'}). Untick "
                "'voting' or make this person a Member."
            )
        if self.seat_id and self.committee_id and self.seat.committee_id != self.committee_id:
            errors["seat"] = "That seat belongs to a different committee."
        if self.seat_id and self.role != self.seat.role:
            errors["role"] = (
                f"The seat '{self.seat.title}' is a {self.seat.get_role_display()} seat."
            )
        if self.deputy_for_id and self.committee_id:
            if rules is None or not rules.deputies_allowed:
                where = rules.cite("deputies") if rules else "the Terms of Reference"
                errors["deputy_for"] = f"This committee's rules do not allow deputies ({where})."
            elif self.voting and not rules.deputies_may_vote:
                errors["voting"] = "This committee's rules do not let deputies vote."
            elif self.deputy_for.committee_id != self.committee_id:
                errors["deputy_for"] = "A deputy must stand in for a member of the same committee."
        if errors:
            raise ValidationError(errors)


class OfficeQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> OfficeQuerySet:
        on = on or dt.date.today()
        return self.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))


class Office(models.Model):
    """Chair, Vice-Chair or Leadership Team, held for a period (K&M ToR 6.3, 6.7)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="offices")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offices")
    kind = models.CharField(max_length=20, choices=OfficeKind.choices)
    start = models.DateField(default=dt.date.today)
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "kind", "-start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person} ({self.start:%d %b %Y} – {self.end or 'now'})"

    def clean(self) -> None:
        if not (self.committee_id and self.person_id and self.start):
            return
        if self.end and self.end < self.start:
            raise ValidationError({"end": "The office cannot end before it starts."})
        end = self.end or dt.date.max
        overlapping = Q(start__lte=end) & (Q(end__isnull=True) | Q(end__gte=self.start))
        members = Membership.objects.filter(
            committee_id=self.committee_id, person_id=self.person_id, role=Role.MEMBER
        ).filter(Q(start__lte=self.start), Q(end__isnull=True) | Q(end__gte=self.start))
        if not members.exists():
            raise ValidationError(
                {
                    "person": f"{self.person} is not a Member of {self.committee} on "
                    f"{self.start:%d %B %Y}; only a Member can hold this office."
                }
            )
        self._check_eligible_seat(members)
        if self.kind == OfficeKind.CHAIR:
            clash = (
                Office.objects.filter(committee_id=self.committee_id, kind=OfficeKind.CHAIR)
                .filter(overlapping)
                .exclude(pk=self.pk)
                .select_related("person")
                .first()
            )
            if clash:
                raise ValidationError(
                    {
                        "start": f"{clash.person} is Chair from {clash.start:%d %B %Y}"
                        f"{' to ' + format(clash.end, '%d %B %Y') if clash.end else ''}; "
                        "a committee has one Chair at a time. End that term first."
                    }
                )

    def _check_eligible_seat(self, members: models.QuerySet) -> None:
        """The committee's rule for this office, if it has one, names the seats whose holders
        may hold it (K&M ToR 6.3: the Leader of KCC or of Medway Council)."""
        rule = (
            OfficeEligibility.objects.filter(
                rules__committee_id=self.committee_id, office=self.kind
            )
            .prefetch_related("seats")
            .first()
        )
        if rule is None:
            return
        seats = list(rule.seats.all())
        if not seats or members.filter(seat__in=seats).exists():
            return
        held = [m.seat.title for m in members.select_related("seat") if m.seat_id]
        holds = f"holds the seat “{held[0]}”" if held else "holds no seat"
        raise ValidationError(
            {
                "person": f"{self.person} cannot be {self.get_kind_display()}: only the "
                f"holder of the seat {_either(s.title for s in seats)} can ({rule.citation()}). "
                f"On {self.start:%d %B %Y} {self.person} {holds}."
            }
        )


def _either(titles) -> str:
    """“A”, “A” or “B”, “A”, “B” or “C”."""
    names = [f"“{t}”" for t in titles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


# --- The Register of Members' Interests (DOMAIN.md section 6, K&M ToR 11.4.2) ---------------


class InterestCategory(models.TextChoices):
    """NHS "Managing conflicts of interest" categories, plus the councillors' two registers."""

    FINANCIAL = "financial", "Financial interest"
    NON_FINANCIAL_PROFESSIONAL = "nf_professional", "Non-financial professional interest"
    NON_FINANCIAL_PERSONAL = "nf_personal", "Non-financial personal interest"
    INDIRECT = "indirect", "Indirect interest (through a relative or close associate)"
    COUNCILLOR_DPI = "councillor_dpi", "Councillor: disclosable pecuniary interest"
    COUNCILLOR_ORI = "councillor_ori", "Councillor: other registrable interest"


class Interest(models.Model):
    """One entry a person keeps on the register. Every save is kept in `history`.

    The published register is read from history, so an entry that was published and is now
    pending review after an edit keeps showing its last published text until reviewed.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        WITHHELD = "withheld", "Withheld from publication"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interests")
    category = models.CharField(max_length=20, choices=InterestCategory.choices)
    involved = models.CharField(
        "organisation or person involved",
        max_length=300,
        help_text="The company, body or person the interest is with.",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests",
        help_text="Set when the organisation involved is one of the partnership's organisations.",
    )
    description = models.TextField(help_text="The nature of the interest.")
    start_date = models.DateField("from", help_text="When the interest began.")
    end_date = models.DateField("to", null=True, blank=True, help_text="When it ended.")
    changed_on = models.DateField(
        help_text="When the interest began or last changed: the 28 days to declare run from here."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    withheld_reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(help_text="When the person last declared or changed it.")
    is_late = models.BooleanField(
        default=False, help_text="Declared more than 28 days after the interest began or changed."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "category", "start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_category_display()} – {self.involved}"

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class Confirmation(models.Model):
    """A person's confirmation that their register entries are complete; `is_nil` for a nil return."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="confirmations")
    confirmed_at = models.DateTimeField()
    is_nil = models.BooleanField(
        "nil return", default=False, help_text="The person declared they have no interests."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-confirmed_at"]
        get_latest_by = "confirmed_at"

    def __str__(self) -> str:
        kind = "Nil return" if self.is_nil else "Confirmation"
        return f"{kind} by {self.person} on {self.confirmed_at:%d %b %Y}"


class ConfirmationCampaign(models.Model):
    """The secretariat's annual request that a committee's members confirm their entries."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="confirmation_campaigns"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    due_date = models.DateField(help_text="Confirm by this date.")
    reminder_every_days = models.PositiveSmallIntegerField(
        default=7, help_text="Remind those who have not confirmed every this many days."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.committee} confirmation of interests, {self.started_at:%B %Y}"


class ConfirmationRequest(models.Model):
    """One person asked in a campaign: the invitation and the reminders sent to them."""

    campaign = models.ForeignKey(
        ConfirmationCampaign, on_delete=models.CASCADE, related_name="requests"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited = models.BooleanField(default=False, help_text="False when there is no email address.")
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="one_request_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.campaign}"
