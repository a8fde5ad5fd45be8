"""Writes to the partnership's structure. Views and commands call these; each validates the
model (its `clean()` carries the Terms of Reference rules) before saving, so no caller can skip
the rules, and raises `django.core.exceptions.ValidationError` with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from committees.models import Committee, CommitteeRules, Organisation, Place, Seat


def _apply(instance: models.Model, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()


def create_organisation(
    *,
    name: str,
    kind: str,
    short_name: str = "",
    website: str = "",
    governance_contact_name: str = "",
    governance_contact_email: str = "",
) -> Organisation:
    org = Organisation(
        name=name,
        kind=kind,
        short_name=short_name,
        website=website,
        governance_contact_name=governance_contact_name,
        governance_contact_email=governance_contact_email,
    )
    _apply(org, {})
    return org


def update_organisation(*, organisation: Organisation, **changes: Any) -> Organisation:
    _apply(organisation, changes)
    return organisation


def create_place(*, name: str, kind: str) -> Place:
    place = Place(name=name, kind=kind)
    _apply(place, {})
    return place


def update_place(*, place: Place, **changes: Any) -> Place:
    _apply(place, changes)
    return place


_COMMITTEE_M2M = ("statutory_partners", "places", "secretariat")


@transaction.atomic
def create_committee(*, name: str, slug: str, created_by=None, **fields: Any) -> Committee:
    """A committee with the default (K&M) rules; its creator joins its secretariat so they can
    go on to manage it."""
    m2m = {k: fields.pop(k) for k in _COMMITTEE_M2M if k in fields}
    committee = Committee(name=name, slug=slug, **fields)
    _apply(committee, {})
    for key, values in m2m.items():
        getattr(committee, key).set(values)
    CommitteeRules.objects.create(committee=committee)
    if created_by is not None and not created_by.is_superuser:
        committee.secretariat.add(created_by)
    return committee


@transaction.atomic
def update_committee(*, committee: Committee, **changes: Any) -> Committee:
    m2m = {k: changes.pop(k) for k in _COMMITTEE_M2M if k in changes}
    if changes.get("parent") is not None and _would_cycle(committee, changes["parent"]):
        raise ValidationError(
            {"parent": "A committee cannot sit under itself or its own sub-committee."}
        )
    _apply(committee, changes)
    for key, values in m2m.items():
        getattr(committee, key).set(values)
    return committee


def _would_cycle(committee: Committee, parent: Committee) -> bool:
    seen = set()
    node: Committee | None = parent
    while node is not None and node.pk not in seen:
        if node.pk == committee.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def update_committee_rules(
    *,
    rules: CommitteeRules,
    changes: Mapping[str, Any],
    save: Iterable[models.Model] = (),
    delete: Iterable[models.Model] = (),
    save_m2m: Iterable[Callable[[], None]] = (),
) -> CommitteeRules:
    """Save the rules and, in the same transaction, their quorum conditions, office eligibility,
    presiding fallbacks and Part 2 grounds (rows already validated by the caller's formsets are
    validated again; `save_m2m` then saves the rows' seats). A rotating Chair is checked last,
    against the seats as saved, and a problem undoes the whole save."""
    changes = dict(changes)
    public_health_seats = changes.pop("public_health_seats", None)
    _apply(rules, changes)
    if public_health_seats is not None:
        rules.public_health_seats.set(public_health_seats)
    for row in delete:
        row.delete()
    for row in save:
        row.full_clean()
        row.save()
    for saving in save_m2m:
        saving()
    rules.validate_rotation()
    return rules


def create_seat(*, committee: Committee, title: str, **fields: Any) -> Seat:
    seat = Seat(committee=committee, title=title, **fields)
    _apply(seat, {})
    return seat


def update_seat(*, seat: Seat, **changes: Any) -> Seat:
    _apply(seat, changes)
    return seat


def save_retention_rule(*, rule):
    """Validate and save a committee's retention rule (at least six years of public record)."""
    rule.full_clean()
    rule.save()
    return rule
