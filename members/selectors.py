"""Reads of memberships and offices, with their relations loaded up front."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from committees.models import Committee
from committees.quorum import QuorumResult, attendees_for, evaluate_quorum, quorum_spec_for
from members.models import Membership, Office


def memberships_for_secretariat(
    committee: Committee, *, include_past: bool = False, on: dt.date | None = None
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(committee=committee)
    if not include_past:
        qs = qs.current(on)
    return qs.select_related("person", "seat", "organisation", "place").order_by(
        "role", "seat__order", "person__last_name", "person__first_name", "-start"
    )


def offices_for_secretariat(committee: Committee) -> QuerySet[Office]:
    return (
        Office.objects.filter(committee=committee)
        .select_related("person")
        .order_by("kind", "-start")
    )


def public_memberships(
    *, committee_slug: str | None = None, include_past: bool = False, on: dt.date | None = None
) -> QuerySet[Membership]:
    """Memberships for the open-data API: of active committees, current unless asked."""
    qs = Membership.objects.filter(committee__is_active=True)
    if not include_past:
        qs = qs.current(on)
    if committee_slug:
        qs = qs.filter(committee__slug=committee_slug)
    return qs.select_related("committee", "person", "seat", "organisation", "place").order_by(
        "committee__name", "role", "seat__order", "person__last_name", "pk"
    )


def public_offices(
    *, committee_slug: str | None = None, include_past: bool = False, on: dt.date | None = None
) -> QuerySet[Office]:
    qs = Office.objects.filter(committee__is_active=True)
    if not include_past:
        qs = qs.current(on)
    if committee_slug:
        qs = qs.filter(committee__slug=committee_slug)
    return qs.select_related("committee", "person").order_by("committee__name", "kind", "-start")


def evaluate_committee_quorum(
    committee,
    person_ids: Iterable[int],
    *,
    on: dt.date,
    remote_person_ids=frozenset(),
    chair_allows_remote: bool = False,
) -> QuorumResult:
    """Evaluate a set of people present at a committee on a date against its rules."""
    person_ids = set(person_ids)
    current = list(
        Membership.objects.current(on).filter(committee=committee).select_related("person")
    )
    present = [m for m in current if m.person_id in person_ids]
    offices = Office.objects.current(on).filter(committee=committee, person_id__in=person_ids)
    voting_total = sum(1 for m in current if m.voting and not m.deputy_for_id)
    return evaluate_quorum(
        quorum_spec_for(committee.rules),
        attendees_for(present, offices, remote_person_ids=set(remote_person_ids)),
        voting_members_total=voting_total,
        chair_allows_remote=chair_allows_remote,
    )
