"""A Kent and Medway-shaped committee (17 voting seats, the ToR 8.1 quorum conditions, the 6.8
presiding order) and a Mid and South Essex-shaped one (deputies who vote), for the record tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from committees.models import (
    Committee,
    CommitteeRules,
    OfficeEligibility,
    OfficeKind,
    Organisation,
    Part2Ground,
    Place,
    PresidingFallback,
    QuorumCondition,
    Role,
    Seat,
)
from demo.committees import KM_REFERENCES, MSE_REFERENCES
from meetings.agenda import services as services_agenda
from meetings.models import Meeting
from members.models import Membership, Office, Person
from tests.conftest import make_user

SINCE = dt.date(2024, 1, 1)


@dataclass
class World:
    committee: Committee
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)

    def p(self, key: str) -> Person:
        return self.people[key]


def _person(world: World, key: str, *, login: bool = False) -> Person:
    user = make_user(f"{world.committee.slug}-{key}") if login else None
    person = Person.objects.create(
        first_name=key.replace("_", " ").title(),
        last_name="Testperson",
        email=f"{key}@{world.committee.slug}.example.org",
        user=user,
    )
    world.people[key] = person
    if user:
        world.users[key] = user
    return person


def _member(world, key, org, *, place=None, role=Role.MEMBER, voting=True, login=False):
    person = _person(world, key, login=login)
    seat = Seat.objects.create(
        committee=world.committee,
        title=f"Seat of {key}",
        role=role,
        organisation=org,
        place=place,
        order=len(world.people),
    )
    Membership.objects.create(
        committee=world.committee,
        person=person,
        role=role,
        voting=voting,
        seat=seat,
        organisation=org,
        place=place,
        start=SINCE,
    )
    return person, seat


def km_world() -> World:
    c = Committee.objects.create(
        name="Kent and Medway ICP Joint Committee (test)",
        slug="km-test",
        short_name="Kent and Medway ICP",
    )
    # K&M's paragraphs as the demo cites them (one table: demo.committees.KM_REFERENCES).
    rules = CommitteeRules.objects.create(
        committee=c, quorum_basis="fixed", quorum_number=9, references=dict(KM_REFERENCES)
    )
    w = World(committee=c)
    for key, kind in (("kcc", "upper_tier"), ("medway", "upper_tier"), ("icb", "icb")):
        w.orgs[key] = Organisation.objects.create(name=f"{key.upper()} (test)", kind=kind)
    w.orgs["acme"] = Organisation.objects.create(name="Acme Care Limited", kind="other")
    places = [Place.objects.create(name=f"HCP area {n}") for n in range(1, 5)]
    for kind, org in (
        ("organisation", w.orgs["kcc"]),
        ("organisation", w.orgs["medway"]),
        ("organisation", w.orgs["icb"]),
    ):
        QuorumCondition.objects.create(rules=rules, kind=kind, minimum=1, organisation=org)
    QuorumCondition.objects.create(
        rules=rules, kind="office", minimum=1, office=OfficeKind.LEADERSHIP_TEAM
    )
    QuorumCondition.objects.create(rules=rules, kind="places", minimum=2)

    _member(w, "kcc_leader", w.orgs["kcc"], login=True)
    _member(w, "medway_leader", w.orgs["medway"])
    _, icb_chair_seat = _member(w, "icb_chair", w.orgs["icb"])
    for n in (1, 2):
        _member(w, f"kcc_exec{n}", w.orgs["kcc"], login=(n == 1))
        _member(w, f"medway_exec{n}", w.orgs["medway"])
    _member(w, "icb_ned", w.orgs["icb"])
    _member(w, "icb_partner", w.orgs["icb"])
    for n, place in enumerate(places, start=1):
        _member(w, f"hcp_chair{n}", Organisation.objects.create(name=f"HCP {n}"), place=place)
        _member(w, f"district{n}", Organisation.objects.create(name=f"District {n}"), place=place)
    _member(w, "participant", w.orgs["kcc"], role=Role.PARTICIPANT, voting=False, login=True)
    observer = _person(w, "observer", login=True)
    Membership.objects.create(
        committee=c, person=observer, role=Role.OBSERVER, voting=False, start=SINCE
    )
    _person(w, "guest_speaker")
    for key in ("kcc_leader", "medway_leader", "icb_chair"):
        Office.objects.create(
            committee=c, person=w.p(key), kind=OfficeKind.LEADERSHIP_TEAM, start=SINCE
        )
    Office.objects.create(committee=c, person=w.p("kcc_leader"), kind=OfficeKind.CHAIR, start=SINCE)
    Office.objects.create(
        committee=c, person=w.p("medway_leader"), kind=OfficeKind.VICE_CHAIR, start=SINCE
    )
    PresidingFallback.objects.create(rules=rules, order=1, office=OfficeKind.VICE_CHAIR)
    PresidingFallback.objects.create(rules=rules, order=2, seat=icb_chair_seat)
    Part2Ground.objects.create(committee=c, reference="7.1.2", text="Commercially sensitive")
    sec = make_user("km-secretariat")
    c.secretariat.add(sec)
    w.users["secretariat"] = sec
    w.users["outsider"] = make_user("km-outsider")
    return w


VOTERS = [
    "kcc_leader", "medway_leader", "icb_chair", "kcc_exec1", "kcc_exec2", "medway_exec1",
    "medway_exec2", "icb_ned", "icb_partner", "hcp_chair1", "hcp_chair2", "hcp_chair3",
    "hcp_chair4", "district1", "district2", "district3", "district4",
]  # fmt: skip

# Nine who meet every K&M condition: KCC, Medway, ICB, a Leadership Team member, two places.
QUORATE_NINE = [
    "kcc_leader", "medway_leader", "icb_chair", "kcc_exec1", "medway_exec1", "icb_ned",
    "hcp_chair1", "hcp_chair2", "district1",
]  # fmt: skip


def meeting_with_agenda(w: World, day: dt.date, *, business: str = "Home care contract") -> Meeting:
    meeting = Meeting.objects.create(committee=w.committee, date=day, start_time=dt.time(14))
    agenda = services_agenda.get_or_create_agenda(meeting=meeting)
    services_agenda.add_item(
        agenda=agenda,
        by=None,
        title=business,
        purpose="decision",
        lead_organisation=w.orgs.get("acme"),
        description="Award of the contract.",
    )
    services_agenda.add_item(
        agenda=agenda,
        by=None,
        title="Riverside site acquisition",
        purpose="decision",
        part=2,
        part2_ground=w.committee.part2_grounds.first(),
        public_description="A property matter",
    )
    return meeting


def business_item(meeting: Meeting, title: str = "Home care contract"):
    return meeting.agenda.items.get(title=title)


def part2_item(meeting: Meeting):
    return meeting.agenda.items.get(part=2)


def mark_present(w: World, meeting: Meeting, keys, *, status: str = "present", **kw) -> None:
    from meetings.conduct import services as record

    for key in keys:
        record.record_attendance(meeting=meeting, person=w.p(key), status=status, **kw)


KM_TOR_6_3 = (
    "The Chair of the Joint Committee shall be either the Leader of Kent County Council or "
    "Medway Council and will be elected at the first meeting of the Joint Committee to serve as "
    "Chair for a two year period. The Chair will rotate every two years between the Local "
    "Authority leaders."
)


def seat_of(w: World, key: str) -> Seat:
    return Membership.objects.get(committee=w.committee, person=w.p(key)).seat


def km_chair_rule(w: World, *, rotation_years: int | None = 2) -> OfficeEligibility:
    """K&M ToR 6.3 on the world: the Chair is the KCC or Medway Leader, rotating every two years
    (counted from the first Chair term), and 6.8's order by seats."""
    rules = w.committee.rules
    rule = OfficeEligibility.objects.create(
        rules=rules, office=OfficeKind.CHAIR, reference="6.3", wording=KM_TOR_6_3
    )
    rule.seats.set([seat_of(w, "kcc_leader"), seat_of(w, "medway_leader")])
    rules.chair_rotation_years = rotation_years
    rules.references = {**rules.references, "chair_rotation": "6.3", "presiding": "6.8"}
    rules.save()
    return rule


def mse_world() -> World:
    c = Committee.objects.create(
        name="Mid and South Essex ICP (test)", slug="mse-test", short_name="Mid and South Essex ICP"
    )
    CommitteeRules.objects.create(
        committee=c,
        deputies_allowed=True,
        deputies_may_vote=True,
        quorum_basis="fraction",
        quorum_fraction="0.75",
        remote_attendance="always",
        references=dict(MSE_REFERENCES),
    )
    w = World(committee=c)
    org = Organisation.objects.create(name="MSE ICB (test)", kind="icb")
    for n in range(1, 5):
        _member(w, f"m{n}", org)
    Office.objects.create(committee=c, person=w.p("m1"), kind=OfficeKind.CHAIR, start=SINCE)
    _person(w, "deputy")
    from committees.models import Part2Ground

    Part2Ground.objects.create(committee=c, reference="Para 3", text="Financial affairs")
    return w


@pytest.fixture(name="km")
def km_fixture(db) -> World:
    return km_world()


@pytest.fixture(name="mse")
def mse_fixture(db) -> World:
    return mse_world()
