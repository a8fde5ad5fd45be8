"""Writes to people, memberships and offices. Each validates the model first, so the rules in
`members.models` (dates, who votes, deputies, one Chair at a time, offices only for Members) hold
whoever calls, and a breach raises `ValidationError` with a message a person can act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from committees.models import Committee, OfficeKind
from members.models import Membership, Office, Person
from members.selectors import OFFER_NEXT_TERM_DAYS, chair_rotation


def _apply(instance: models.Model, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()


def create_person(*, first_name: str, last_name: str, **fields: Any) -> Person:
    person = Person(first_name=first_name, last_name=last_name, **fields)
    _apply(person, {})
    return person


def update_person(*, person: Person, **changes: Any) -> Person:
    _apply(person, changes)
    return person


@transaction.atomic
def create_membership(*, committee: Committee, person: Person, **fields: Any) -> Membership:
    membership = Membership(committee=committee, person=person, **fields)
    _apply(membership, {})
    return membership


@transaction.atomic
def update_membership(*, membership: Membership, **changes: Any) -> Membership:
    _apply(membership, changes)
    return membership


@transaction.atomic
def create_office(*, committee: Committee, person: Person, kind: str, **fields: Any) -> Office:
    # Lock the committee row so two officers cannot appoint two Chairs at the same moment.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    office = Office(committee=committee, person=person, kind=kind, **fields)
    _apply(office, {})
    return office


@transaction.atomic
def update_office(*, office: Office, **changes: Any) -> Office:
    Committee.objects.select_for_update().filter(pk=office.committee_id).first()
    _apply(office, changes)
    return office


@transaction.atomic
def record_next_chair_term(*, committee: Committee, on: dt.date | None = None) -> Office:
    """Record the next Chair term the rotation calls for (K&M ToR 6.3): the holder of the next
    seat, for the whole period. A term left open before it is closed at the day before, so no
    term runs on past its period."""
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    on = on or dt.date.today()
    rotation = chair_rotation(committee, on)
    if rotation is None:
        raise ValidationError("This committee's rules do not rotate the Chair.")
    term = rotation.next_due
    if not rotation.offer:
        raise ValidationError(
            f"The next Chair term starts on {term.start:%-d %B %Y}; it can be recorded from "
            f"{term.start - dt.timedelta(days=OFFER_NEXT_TERM_DAYS):%-d %B %Y}."
        )
    if rotation.next_holder is None:
        raise ValidationError(
            f"Nobody holds the seat “{rotation.seat_title(term)}” on {term.start:%-d %B %Y}, "
            "whose turn it is to chair: record that membership first."
        )
    still_open = Office.objects.filter(
        committee=committee, kind=OfficeKind.CHAIR, start__lt=term.start
    ).filter(models.Q(end__isnull=True) | models.Q(end__gte=term.start))
    for office in still_open:
        _apply(office, {"end": term.start - dt.timedelta(days=1)})
    office = Office(
        committee=committee,
        person=rotation.next_holder,
        kind=OfficeKind.CHAIR,
        start=term.start,
        end=term.end,
    )
    _apply(office, {})
    return office
