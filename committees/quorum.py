"""Quorum: a pure function of who is present and the committee's rules (K&M ToR 8.1, 8.3).

`evaluate_quorum` takes plain values so the ToR cases test without a database; `quorum_spec_for`
and `attendee_for` build those values from the models.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from committees.models import OfficeKind


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    voting: bool
    organisation_id: int | None = None
    place_id: int | None = None
    offices: frozenset[str] = frozenset()
    remote: bool = False


@dataclass(frozen=True)
class Condition:
    kind: str  # "organisation" | "office" | "places"
    minimum: int = 1
    organisation_id: int | None = None
    organisation_name: str = ""
    office: str = ""
    office_name: str = ""


@dataclass(frozen=True)
class QuorumSpec:
    basis: str = "fixed"  # "none" | "fixed" | "fraction"
    number: int = 0
    fraction: Decimal = Decimal("0.5")
    remote_attendance: str = "chair"  # "chair" | "always" | "never"
    conditions: tuple[Condition, ...] = ()


@dataclass
class QuorumResult:
    quorate: bool
    counted: int
    required: int
    unmet: list[str] = field(default_factory=list)
    not_counted: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.quorate


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def required_number(spec: QuorumSpec, voting_members_total: int) -> int:
    if spec.basis == "none":
        return 0
    if spec.basis == "fraction":
        return max(1, math.ceil(spec.fraction * voting_members_total))
    return spec.number


def evaluate_quorum(
    spec: QuorumSpec,
    present: Iterable[Attendee],
    *,
    voting_members_total: int,
    chair_allows_remote: bool = False,
) -> QuorumResult:
    """Say whether those present make a quorum, and in words what is missing if not."""
    remote_counts = spec.remote_attendance == "always" or (
        spec.remote_attendance == "chair" and chair_allows_remote
    )
    counted: list[Attendee] = []
    not_counted: list[str] = []
    seen: set[int] = set()
    for person in present:
        if not person.voting or person.person_id in seen:
            continue
        if person.remote and not remote_counts:
            not_counted.append(person.name)
            continue
        seen.add(person.person_id)
        counted.append(person)

    required = required_number(spec, voting_members_total)
    unmet: list[str] = []
    if spec.basis == "none":
        return QuorumResult(True, len(counted), 0, [], not_counted)
    if len(counted) < required:
        unmet.append(
            f"{_plural(len(counted), 'voting member')} present; {required} needed for a quorum"
        )
    for cond in spec.conditions:
        if cond.kind == "organisation":
            n = sum(1 for a in counted if a.organisation_id == cond.organisation_id)
            if n < cond.minimum:
                unmet.append(
                    f"No member from {cond.organisation_name} present"
                    if n == 0
                    else f"Only {n} of the {cond.minimum} members needed from "
                    f"{cond.organisation_name} present"
                )
        elif cond.kind == "office":
            n = sum(1 for a in counted if cond.office in a.offices)
            if n < cond.minimum:
                name = cond.office_name or cond.office.replace("_", " ")
                unmet.append(
                    f"No member of the {name} present"
                    if n == 0
                    else f"Only {n} of the {cond.minimum} members needed from the {name} present"
                )
        elif cond.kind == "places":
            places = {a.place_id for a in counted if a.place_id is not None}
            if len(places) < cond.minimum:
                unmet.append(
                    f"Only {_plural(len(places), 'place')} represented; "
                    f"at least {cond.minimum} needed"
                )
    if not_counted and unmet:
        unmet.append(
            f"{_plural(len(not_counted), 'member')} attending remotely "
            f"({', '.join(not_counted)}) not counted: remote attendance counts only where the "
            "Chair allows it"
        )
    return QuorumResult(not unmet, len(counted), required, unmet, not_counted)


def quorum_spec_for(rules) -> QuorumSpec:
    """Build the pure spec from a CommitteeRules instance (conditions prefetched if possible)."""

    offices = dict(OfficeKind.choices)
    conditions = tuple(
        Condition(
            kind=c.kind,
            minimum=c.minimum,
            organisation_id=c.organisation_id,
            organisation_name=c.organisation.name if c.organisation_id else "",
            office=c.office,
            office_name=offices.get(c.office, c.office),
        )
        for c in rules.conditions.select_related("organisation").all()
    )
    return QuorumSpec(
        basis=rules.quorum_basis,
        number=rules.quorum_number,
        fraction=Decimal(rules.quorum_fraction),
        remote_attendance=rules.remote_attendance,
        conditions=conditions,
    )


def attendees_for(memberships, offices, *, remote_person_ids=frozenset()) -> list[Attendee]:
    """Attendees from Membership rows (with person) and current Office rows of the same date."""
    held: dict[int, set[str]] = {}
    for office in offices:
        held.setdefault(office.person_id, set()).add(office.kind)
    return [
        Attendee(
            person_id=m.person_id,
            name=m.person.full_name,
            voting=m.voting,
            organisation_id=m.organisation_id,
            place_id=m.place_id,
            offices=frozenset(held.get(m.person_id, ())),
            remote=m.person_id in remote_person_ids,
        )
        for m in memberships
    ]
