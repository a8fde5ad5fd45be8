"""Reads of memberships and offices, with their relations loaded up front, and a user's
standing: which committees they are on, and in which capacity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from committees import rotation as rotation_rule
from committees.models import Committee, OfficeKind, Role, Seat
from committees.quorum import QuorumResult, attendees_for, evaluate_quorum, quorum_spec_for
from committees.selectors import is_administrator, is_staff_user
from members.models import Membership, Office, Person

OFFICER_KINDS = (OfficeKind.CHAIR, OfficeKind.VICE_CHAIR, OfficeKind.LEADERSHIP_TEAM)
MEMBER_ROLES = (Role.MEMBER, Role.PARTICIPANT)
GUEST_ROLES = (Role.OBSERVER, Role.ATTENDEE)
_SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Capacity:
    """What a user is on one committee."""

    secretariat: bool = False
    officer: bool = False  # Chair, Vice-Chair or Leadership Team
    member: bool = False  # Member or Participant
    guest: bool = False  # Observer or Attendee
    person_id: int | None = None

    @property
    def staff(self) -> bool:
        return self.secretariat or self.officer


@dataclass(frozen=True)
class Standing:
    """Which committees a user is on, in which capacity, and the person they sign in as."""

    person_id: int | None = None
    committees: Mapping[int, Capacity] = field(default_factory=dict)

    def of(self, committee_id: int) -> Capacity:
        """The capacity on one committee (nothing but the person id if not on it)."""
        return self.committees.get(committee_id) or Capacity(person_id=self.person_id)

    def _where(self, capacity: str) -> frozenset[int]:
        return frozenset(pk for pk, c in self.committees.items() if getattr(c, capacity))

    @property
    def committee_ids(self) -> frozenset[int]:
        """Every committee the user is on, in any capacity."""
        return frozenset(self.committees)

    @property
    def staff_of(self) -> frozenset[int]:
        """Committees the user serves as secretariat or officer."""
        return self._where("staff")

    @property
    def officer_of(self) -> frozenset[int]:
        return self._where("officer")

    @property
    def member_of(self) -> frozenset[int]:
        """Committees the user is a Member or Participant of."""
        return self._where("member")


def standing(user, on: dt.date | None = None) -> Standing:
    """Which committees a user is on, in which capacity, on a day (today by default).

    Secretariat (the committee's `secretariat`), officer (a current Chair, Vice-Chair or
    Leadership Team office), member (a current Member or Participant membership), guest (a
    current Observer or Attendee membership). Two queries whatever the number of committees:
    the person, then one union of the secretariat, membership and office rows.

    Facts only: a superuser is no one special here; the access rules decide what that means.
    """
    if user is None or not user.is_authenticated:
        return Standing()
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    secretariat = (
        Committee.secretariat.through.objects.filter(user=user)
        .values_list("committee_id", Value(_SECRETARIAT))
        .order_by()
    )
    if person_id is None:
        rows = secretariat
    else:
        memberships = (
            Membership.objects.current(on)
            .filter(person_id=person_id)
            .values_list("committee_id", "role")
            .order_by()
        )
        offices = (
            Office.objects.current(on)
            .filter(person_id=person_id, kind__in=OFFICER_KINDS)
            .values_list("committee_id", "kind")
            .order_by()
        )
        rows = memberships.union(offices, secretariat, all=True)
    labels: dict[int, set[str]] = {}
    for committee_id, label in rows:
        labels.setdefault(committee_id, set()).add(label)
    return Standing(
        person_id=person_id,
        committees={
            committee_id: Capacity(
                secretariat=_SECRETARIAT in found,
                officer=not found.isdisjoint(OFFICER_KINDS),
                member=not found.isdisjoint(MEMBER_ROLES),
                guest=not found.isdisjoint(GUEST_ROLES),
                person_id=person_id,
            )
            for committee_id, found in labels.items()
        },
    )


def must_use_two_factor(user, on: dt.date | None = None) -> bool:
    """Staff and secretariat, and the Chair, Vice-Chairs and Leadership Team of any committee:
    they see drafts and all of Part 2, so they sign in with a second factor."""
    if not user.is_authenticated:
        return False
    if is_staff_user(user):
        return True
    return Office.objects.current(on).filter(person__user=user, kind__in=OFFICER_KINDS).exists()


def people_editable_by(user) -> QuerySet[Person]:
    """The people whose details (name, email, job title) this user may change.

    An administrator (staff or superuser): everyone. A secretariat officer: those who sit (or sat) on a
    committee they are secretariat of, and directory entries placed on no committee yet that
    cannot sign in (just added, not yet given a membership). So one partnership's secretariat
    cannot redirect another partnership's members' notices by changing their email.
    """
    if not user.is_authenticated:
        return Person.objects.none()
    if is_administrator(user):
        return Person.objects.all()
    theirs = Membership.objects.filter(
        person_id=OuterRef("pk"), committee__in=Committee.objects.filter(secretariat=user)
    )
    placed = Membership.objects.filter(person_id=OuterRef("pk"))
    return Person.objects.filter(Q(Exists(theirs)) | (~Q(Exists(placed)) & Q(user__isnull=True)))


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


# --- The Chair's rotation (K&M ToR 6.3) -----------------------------------------------------

# The secretariat is offered to record the next Chair term from this many days before it starts.
OFFER_NEXT_TERM_DAYS = 30


@dataclass(frozen=True)
class ChairRotation:
    """Where a committee's Chair rotation stands on a day, as the secretariat's screens show it."""

    citation: str
    current: rotation_rule.Term | None  # the period the day falls in (None before the start)
    current_holder: Office | None  # the Chair office recorded for the day, if any
    next_due: rotation_rule.Term  # the first period with no Chair term recorded yet
    next_holder: Person | None  # who holds that period's seat when it starts
    seat_titles: Mapping[int, str]
    offer: bool  # whether to offer to record `next_due` now

    def seat_title(self, term: rotation_rule.Term | None) -> str:
        return self.seat_titles.get(term.seat_id, "") if term else ""


def chair_rotation_seats(rules) -> list[Seat]:
    """The seats the Chair rotates between: those eligible for Chair, in seat order."""
    return list(
        Seat.objects.filter(
            eligible_for__rules=rules, eligible_for__office=OfficeKind.CHAIR
        ).order_by("order", "pk")
    )


def chair_terms(committee: Committee, seat_ids: Iterable[int]) -> list[tuple[Office, int | None]]:
    """Every Chair term recorded, oldest first, with the rotation seat its holder held when it
    began (None if they held none of them)."""
    offices = list(
        Office.objects.filter(committee=committee, kind=OfficeKind.CHAIR)
        .select_related("person")
        .order_by("start", "pk")
    )
    held = Membership.objects.filter(
        committee=committee,
        role=Role.MEMBER,
        deputy_for__isnull=True,
        seat_id__in=list(seat_ids),
        person_id__in={o.person_id for o in offices},
    )
    seats = [(m.person_id, m.seat_id, m.start, m.end) for m in held]
    return [
        (
            o,
            next(
                (
                    seat
                    for person, seat, start, end in seats
                    if person == o.person_id
                    and start <= o.start
                    and (end is None or end >= o.start)
                ),
                None,
            ),
        )
        for o in offices
    ]


def chair_rotation(committee: Committee, on: dt.date | None = None) -> ChairRotation | None:
    """The Chair's rotation on a day, from the committee's rule and the terms recorded; None where
    the Chair does not rotate. A fixed number of queries whatever the number of terms."""
    on = on or dt.date.today()
    rules = getattr(committee, "rules", None)
    if rules is None or not rules.chair_rotation_years:
        return None
    seats = chair_rotation_seats(rules)
    if len(seats) < 2:
        return None
    terms = chair_terms(committee, [s.pk for s in seats])
    start = rules.chair_rotation_start or (terms[0][0].start if terms else None)
    if start is None:
        return None
    rule = rotation_rule.Rotation(rules.chair_rotation_years, tuple(s.pk for s in seats), start)
    recorded = [rotation_rule.RecordedTerm(seat, o.start, o.end) for o, seat in terms]
    next_due = rotation_rule.first_unrecorded(rule, recorded, on)
    holder = (
        Membership.objects.current(next_due.start)
        .filter(committee=committee, seat_id=next_due.seat_id, role=Role.MEMBER)
        .filter(deputy_for__isnull=True)
        .select_related("person")
        .first()
    )
    return ChairRotation(
        citation=rules.cite("chair_rotation"),
        current=rotation_rule.term_on(rule, recorded, on),
        current_holder=next(
            (o for o, _ in reversed(terms) if o.start <= on and (o.end is None or o.end >= on)),
            None,
        ),
        next_due=next_due,
        next_holder=holder.person if holder else None,
        seat_titles={s.pk: s.title for s in seats},
        offer=next_due.start <= on + dt.timedelta(days=OFFER_NEXT_TERM_DAYS),
    )
