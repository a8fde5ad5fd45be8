"""Pick-lists that offer a committee's own people and organisations first (issue 13).

A clerk choosing a report author, an action owner, a lead organisation or a deputy nearly always
wants someone on the committee. The lists show the committee's own first, in an optgroup named
after it; the rest of the installation only on request (`everyone=True`, from a "Show everyone"
link), in a second optgroup. The field's queryset stays the whole installation, so a choice made
from the longer list (or kept from before) still validates.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from committees.models import Committee
from members.models import Membership, Person

EVERYONE_PARAM = "everyone"


def committee_person_ids(committee: Committee, on: dt.date | None = None) -> set[int]:
    """People with a current membership of the committee (any role), and its secretariat."""
    ids = set(
        Membership.objects.current(on)
        .filter(committee=committee)
        .values_list("person_id", flat=True)
    )
    ids |= set(
        Person.objects.filter(user__in=committee.secretariat.all()).values_list("pk", flat=True)
    )
    return ids


def committee_organisation_ids(committee: Committee, on: dt.date | None = None) -> set[int]:
    """Organisations of the committee's seats and current memberships."""
    ids = set(
        Membership.objects.current(on)
        .filter(committee=committee, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    ids |= set(
        committee.seats.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )
    return ids


def _label(field: forms.ModelChoiceField, obj) -> str:
    return field.label_from_instance(obj)


def group_choices(
    field: forms.ModelChoiceField,
    *,
    own_ids: set[int],
    group_name: str,
    everyone: bool,
    keep: set[int] = frozenset(),
) -> None:
    """Set the field's choices: the committee's own first; the others only when asked for (and
    any already chosen, so an edit never loses its value)."""
    own, others = [], []
    if not own_ids:
        everyone = True  # nobody of the committee's own to offer: never an empty list
    for obj in field.queryset:
        choice = (obj.pk, _label(field, obj))
        if obj.pk in own_ids:
            own.append(choice)
        elif everyone or obj.pk in keep:
            others.append(choice)
    choices: list = [("", field.empty_label or "")] if field.empty_label is not None else []
    choices.append((group_name, own))
    if others:
        choices.append(("Everyone else" if everyone else "Chosen before", others))
    field.choices = choices


def people_first(
    field: forms.ModelChoiceField,
    committee: Committee,
    *,
    everyone: bool = False,
    on: dt.date | None = None,
    keep: set[int] = frozenset(),
) -> None:
    group_choices(
        field,
        own_ids=committee_person_ids(committee, on),
        group_name=f"{committee.display_short_name}",
        everyone=everyone,
        keep=keep,
    )


def organisations_first(
    field: forms.ModelChoiceField,
    committee: Committee,
    *,
    everyone: bool = False,
    keep: set[int] = frozenset(),
) -> None:
    group_choices(
        field,
        own_ids=committee_organisation_ids(committee),
        group_name=f"Organisations of {committee.display_short_name}",
        everyone=everyone,
        keep=keep,
    )


def wants_everyone(request) -> bool:
    return request.GET.get(EVERYONE_PARAM) == "1"
