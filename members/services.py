"""Writes to people, memberships and offices. Each validates the model first, so the rules in
`members.models` (dates, who votes, deputies, one Chair at a time, offices only for Members) hold
whoever calls, and a breach raises `ValidationError` with a message a person can act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from committees.models import Committee
from members.models import Membership, Office, Person


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
