"""People, their memberships of committees (with the seat they hold) and the offices they hold."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from committees.models import Committee, OfficeKind, Organisation, Place, Role, Seat


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
        if self.voting and self.role != Role.MEMBER and not self.deputy_for_id:
            errors["voting"] = (
                f"{self.get_role_display()}s do not vote: only Members have a vote "
                "(Terms of Reference 6.4 to 6.6). Untick 'voting' or make this person a Member."
            )
        if self.seat_id and self.committee_id and self.seat.committee_id != self.committee_id:
            errors["seat"] = "That seat belongs to a different committee."
        if self.seat_id and self.role != self.seat.role:
            errors["role"] = (
                f"The seat '{self.seat.title}' is a {self.seat.get_role_display()} seat."
            )
        if self.deputy_for_id and self.committee_id:
            rules = getattr(self.committee, "rules", None)
            if rules is None or not rules.deputies_allowed:
                errors["deputy_for"] = (
                    "This committee's rules do not allow deputies (K&M ToR 6.2: members are not "
                    "permitted to have deputies)."
                )
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
