"""Reads for the public committee pages: the committee with its current Members, Participants
and office holders, and the list of committees, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from committees.models import Committee, OfficeKind, Organisation, Role
from members.models import Membership, Office


@dataclass
class OrganisationGroup:
    """Members and participants who represent one organisation, for the public page."""

    name: str
    organisation: Organisation | None
    rows: list = field(default_factory=list)


@dataclass
class PublicCommitteePage:
    committee: Committee
    groups: list[OrganisationGroup]
    chairs: list
    vice_chairs: list
    leadership_team: list
    on: dt.date


def public_committee_page(slug: str, *, on: dt.date | None = None) -> PublicCommitteePage:
    """Everything the public committee page shows, in a fixed number of queries.

    Only current memberships of Members and Participants are listed; attendees and observers are
    invited meeting by meeting and hold no seat (K&M ToR 6.5, 6.6).
    """
    on = on or dt.date.today()
    memberships = (
        Membership.objects.current(on)
        .filter(role__in=[Role.MEMBER, Role.PARTICIPANT])
        .select_related(
            "person", "seat", "seat__organisation", "organisation", "place", "deputy_for__person"
        )
        .order_by("role", "seat__order", "person__last_name", "person__first_name")
    )
    offices = Office.objects.current(on).select_related("person").order_by("kind", "start")
    committee = (
        Committee.objects.filter(slug=slug, is_active=True)
        .select_related("parent", "retention")
        .prefetch_related(
            "statutory_partners",
            "places",
            Prefetch(
                "subcommittees",
                queryset=Committee.objects.filter(is_active=True).order_by("name"),
            ),
            Prefetch("memberships", queryset=memberships, to_attr="current_memberships"),
            Prefetch("offices", queryset=offices, to_attr="current_offices"),
        )
        .first()
    )
    if committee is None:
        raise Http404("No such committee")

    offices_by_person: dict[int, list[str]] = {}
    chairs, vice_chairs, leadership = [], [], []
    for office in committee.current_offices:
        offices_by_person.setdefault(office.person_id, []).append(office.get_kind_display())
        {
            OfficeKind.CHAIR: chairs,
            OfficeKind.VICE_CHAIR: vice_chairs,
            OfficeKind.LEADERSHIP_TEAM: leadership,
        }[office.kind].append(office.person)

    groups: dict[object, OrganisationGroup] = {}
    for m in committee.current_memberships:
        org = m.organisation or (m.seat.organisation if m.seat_id else None)
        key = org.pk if org else None
        if key not in groups:
            groups[key] = OrganisationGroup(name=org.name if org else "Other", organisation=org)
        m.current_offices = offices_by_person.get(m.person_id, [])
        groups[key].rows.append(m)
    ordered = sorted(groups.values(), key=lambda g: (g.organisation is None, g.name))
    return PublicCommitteePage(
        committee=committee,
        groups=ordered,
        chairs=chairs,
        vice_chairs=vice_chairs,
        leadership_team=leadership,
        on=on,
    )


def public_committees() -> QuerySet[Committee]:
    """Active top-level committees with their active sub-committees, for the home page."""
    return (
        Committee.objects.filter(is_active=True, parent__isnull=True)
        .prefetch_related(
            Prefetch(
                "subcommittees",
                queryset=Committee.objects.filter(is_active=True).order_by("name"),
            )
        )
        .order_by("name")
    )
