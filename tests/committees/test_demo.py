"""`manage.py load_demo`: both ICPs as the Terms of Reference describe them, loaded twice without
duplicates, and a K&M quorum made of the demo's own members."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from committees.models import Committee, OfficeKind, Role
from demo.committees import DEMO_LOGINS, DEMO_PASSWORD, KM_SLUG, KM_SUB_SLUG, MSE_SLUG
from meetings.forward_plan.services import annual_cycle
from members.models import Membership, Office
from members.selectors import chair_rotation, evaluate_committee_quorum
from tests.conftest import load_demo_once

TODAY = dt.date(2026, 11, 22)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(request):
    """The structure tests read memberships as at TODAY; the whole-demo tests (which hold on
    any day) run on the real date, so they share the session's demo with the other tests."""
    if "demo" in request.fixturenames:
        yield
        return
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, 0), tick=False):
        yield


@pytest.fixture
def demo(db) -> str:
    """The whole demo as `manage.py load_demo` loads it (with the documents the worker would
    then build), and what the command printed; loaded once per session, restored here."""
    return load_demo_once(documents=True)


@pytest.fixture
def structure() -> None:
    """Only the partnership's structure, which the remaining tests read (loaded once per session
    and date, restored for each test)."""
    from demo import committees as committees_demo
    from tests import snapshots

    snapshots.restore(("demo-structure", timezone.localdate()), committees_demo.load)


def row_counts() -> dict[str, int]:
    """Every table of ours and its history table, so an update in place would show too."""
    labels = ("committees", "members", "auth", "meetings", "documents", "communications")
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in labels
    }


def current(committee, **filters):
    return Membership.objects.current(TODAY).filter(committee=committee, **filters)


def holder(committee, seat_title):
    return current(committee, seat__title=seat_title).get().person


def test_loading_twice_creates_no_duplicates_and_changes_nothing(demo):
    first = row_counts()
    call_command("load_demo", stdout=StringIO())
    assert row_counts() == first
    assert first["members.Membership"] > 80 and first["members.HistoricalMembership"] > 80


def test_load_demo_prints_a_login_per_persona_that_works(demo, client):
    assert DEMO_PASSWORD in demo
    for login in DEMO_LOGINS:
        assert login.username in demo
        assert client.login(username=login.username, password=DEMO_PASSWORD), login.username
        client.logout()


def test_the_demo_password_is_hashed_once_for_every_login(demo):
    # Production's hasher takes about half a second a hash: a fresh `make run` hashed the same
    # published password once per login (3.6 s). One hash, shared, still checks.
    users = get_user_model().objects.filter(username__in=[x.username for x in DEMO_LOGINS])
    hashes = {u.password for u in users}
    assert users.count() == len(DEMO_LOGINS) and len(hashes) == 1, hashes
    assert users[0].check_password(DEMO_PASSWORD)


def test_kent_and_medway_has_every_seat_of_its_terms_of_reference(structure):
    km = Committee.objects.get(slug=KM_SLUG)
    assert km.name == "Kent and Medway Integrated Care Partnership Joint Committee"
    assert "Integrated Care Strategy" in km.purpose
    assert {o.name for o in km.statutory_partners.all()} == {
        "Kent and Medway ICB",
        "Kent County Council",
        "Medway Council",
    }
    assert {p.name for p in km.places.all()} == {
        "Dartford, Gravesham and Swanley",
        "West Kent",
        "East Kent",
        "Medway and Swale",
    }

    members = current(km, role=Role.MEMBER, voting=True, seat__isnull=False)
    assert members.count() == 17 and members.values("seat").distinct().count() == 17
    assert km.seats.filter(role=Role.MEMBER).count() == 17
    titles = [m.seat.title for m in members]
    for title in (
        "Leader of Kent County Council",
        "Leader of Medway Council",
        "Chair of the Kent and Medway ICB",
        "ICB Non-Executive Director",
        "ICB Partner Member (primary care)",
        "Chair of the West Kent Health and Care Partnership",
    ):
        assert title in titles
    assert titles.count("Elected executive member, Kent County Council") == 2
    assert titles.count("Elected executive member, Medway Council") == 2
    # One district council representative per HCP, each from a district council of that place.
    districts = members.filter(seat__reference="6.1.9").select_related("organisation", "place")
    assert {(m.place.name, m.organisation.kind) for m in districts} == {
        (p, "district")
        for p in ("Dartford, Gravesham and Swanley", "West Kent", "East Kent", "Medway and Swale")
    }

    participants = current(km, role=Role.PARTICIPANT)
    assert participants.count() == 16 and not participants.filter(voting=True).exists()
    p_titles = {m.seat.title for m in participants}
    assert {
        "Director of Public Health, Kent County Council",
        "Director of Public Health, Medway Council",
        "Medway Council Chief Executive",
        "Representative of the Local Medical Committee",
    } <= p_titles
    assert current(km, role=Role.OBSERVER).get().person.user.username == "observer"
    assert not current(km, deputy_for__isnull=False).exists()


def test_kent_and_medway_rules_match_the_terms_of_reference(structure):
    rules = Committee.objects.get(slug=KM_SLUG).rules
    assert (rules.notice_days, rules.papers_days, rules.item_request_days) == (5, 5, 20)
    assert rules.urgent_item_request_days == 10 and rules.papers_counting == "clear"
    assert not rules.deputies_allowed and not rules.chair_has_casting_vote
    assert (rules.quorum_basis, rules.quorum_number) == ("fixed", 9)
    assert [c.describe() for c in rules.conditions.all()] == [
        "At least 1 from Kent County Council",
        "At least 1 from Medway Council",
        "At least 1 from Kent and Medway ICB",
        "At least 1 of the leadership team",
        "At least 2 places represented",
    ]
    # 6.8: "the other Local Authority leader will preside ... Where neither leader is available
    # to preside, the ICB Chair will preside": by seats, not by whoever is Vice-Chair.
    assert [str(f) for f in rules.presiding_fallbacks.all()] == [
        "1. the other seat in the Chair's rotation",
        "2. Chair of the Kent and Medway ICB",
    ]
    assert (rules.reference("presiding"), rules.reference("tor_review")) == ("6.8", "14.1")
    assert (rules.self_assessment_required, rules.reference("self_assessment")) == (True, "11.5")
    assert (rules.chair_rotation_years, rules.reference("chair_rotation")) == (2, "6.3")
    eligibility = {e.office: e for e in rules.office_eligibility.all()}
    assert set(eligibility) == {OfficeKind.CHAIR, OfficeKind.LEADERSHIP_TEAM}
    assert {s.title for s in eligibility[OfficeKind.CHAIR].seats.all()} == {
        "Leader of Kent County Council",
        "Leader of Medway Council",
    }
    assert eligibility[OfficeKind.CHAIR].wording.startswith(
        "The Chair of the Joint Committee shall be either the Leader of Kent County Council or "
        "Medway Council"
    )
    assert {s.title for s in eligibility[OfficeKind.LEADERSHIP_TEAM].seats.all()} == {
        "Leader of Kent County Council",
        "Leader of Medway Council",
        "Chair of the Kent and Medway ICB",
    }
    grounds = list(rules.committee.part2_grounds.values_list("reference", flat=True))
    assert grounds == [f"7.1.{n}" for n in range(1, 8)]


def test_the_chair_rotates_every_two_years_between_the_two_leaders(structure):
    km = Committee.objects.get(slug=KM_SLUG)
    kcc = holder(km, "Leader of Kent County Council")
    medway = holder(km, "Leader of Medway Council")

    def chair_and_vice(on):
        offices = Office.objects.current(on).filter(committee=km)
        return (
            offices.get(kind=OfficeKind.CHAIR).person,
            offices.get(kind=OfficeKind.VICE_CHAIR).person,
        )

    assert chair_and_vice(dt.date(2022, 7, 1)) == (kcc, medway)
    assert chair_and_vice(dt.date(2024, 6, 30)) == (kcc, medway)
    assert chair_and_vice(dt.date(2024, 7, 1)) == (medway, kcc)
    assert chair_and_vice(TODAY) == (kcc, medway)
    assert kcc.user.username == "chair"
    # No open-ended term: each ends at its two years, and the rule says who is next.
    terms = Office.objects.filter(committee=km, kind=OfficeKind.CHAIR).order_by("start")
    assert [(t.person, t.start, t.end) for t in terms] == [
        (kcc, dt.date(2022, 7, 1), dt.date(2024, 6, 30)),
        (medway, dt.date(2024, 7, 1), dt.date(2026, 6, 30)),
        (kcc, dt.date(2026, 7, 1), dt.date(2028, 6, 30)),
    ]
    rotation = chair_rotation(km, TODAY)
    assert rotation.current.end == dt.date(2028, 6, 30)
    assert rotation.current_holder.person == kcc
    assert (rotation.next_due.start, rotation.next_holder) == (dt.date(2028, 7, 1), medway)
    team = Office.objects.current(TODAY).filter(committee=km, kind=OfficeKind.LEADERSHIP_TEAM)
    assert {o.person for o in team} == {kcc, medway, holder(km, "Chair of the Kent and Medway ICB")}


def test_personas_hold_what_the_readme_says(structure):
    km = Committee.objects.get(slug=KM_SLUG)
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users["secretariat"].secretariat_of.values_list("slug", flat=True)) == {
        KM_SLUG,
        KM_SUB_SLUG,
    }
    assert list(users["mse-secretariat"].secretariat_of.values_list("slug", flat=True)) == [
        MSE_SLUG
    ]
    member = current(km, person__user=users["member"]).get()
    assert member.role == Role.MEMBER and member.voting
    participant = current(km, person__user=users["participant"]).get()
    assert participant.role == Role.PARTICIPANT and not participant.voting
    assert users["admin"].is_superuser and not users["secretariat"].is_superuser


def test_the_subcommittee_has_its_parent_members_and_own_rules(structure):
    sub = Committee.objects.get(slug=KM_SUB_SLUG)
    assert sub.name == "Broadening Social and Economic Development Sub-committee"
    assert sub.parent.slug == KM_SLUG
    assert current(sub, role=Role.MEMBER).count() >= 5
    assert Office.objects.current(TODAY).filter(committee=sub, kind=OfficeKind.CHAIR).count() == 1
    assert sub.rules.quorum_number != 9 and sub.rules.deputies_allowed


def test_mid_and_south_essex_has_the_fifty_members_of_appendix_2(structure):
    mse = Committee.objects.get(slug=MSE_SLUG)
    assert {o.name for o in mse.statutory_partners.all()} == {
        "Mid and South Essex ICB",
        "Southend City Council",
        "Essex County Council",
        "Thurrock Council",
    }
    assert {p.name for p in mse.places.all()} == {
        "Basildon and Brentwood",
        "Mid-Essex",
        "South-East Essex",
        "Thurrock",
    }
    members = current(mse, role=Role.MEMBER, deputy_for__isnull=True)
    assert members.count() == 50 and not members.filter(voting=False).exists()
    assert members.values("seat").distinct().count() == 50
    assert members.filter(seat__place__isnull=False).count() == 8  # the Alliance seats
    first = members.get(seat__order=1)
    assert first.seat.title == "Chair, Mid & South Essex ICB"
    assert members.get(seat__order=50).seat.title == "Medical Director, Mid & South Essex ICB"

    offices = Office.objects.current(TODAY).filter(committee=mse)
    assert offices.get(kind=OfficeKind.CHAIR).person == first.person
    vice = {o.person for o in offices.filter(kind=OfficeKind.VICE_CHAIR)}
    assert {m.seat.title for m in members.filter(person__in=vice)} == {
        "Chair, Southend City Council Health & Wellbeing Board",
        "Chair, Essex County Council Health & Wellbeing Board",
        "Chair, Thurrock Council Health & Wellbeing Board",
    }

    # "Chair and Vice Chair Arrangements": by seat, no rotation, no self-assessment.
    rules = mse.rules
    eligibility = {e.office: e for e in rules.office_eligibility.all()}
    assert [s.title for s in eligibility[OfficeKind.CHAIR].seats.all()] == [first.seat.title]
    assert eligibility[OfficeKind.VICE_CHAIR].seats.count() == 3
    assert eligibility[OfficeKind.CHAIR].wording == (
        "The Chair of Mid & South Essex ICB will act as Chair of the ICP."
    )
    assert rules.chair_rotation_years is None and chair_rotation(mse, TODAY) is None
    assert not rules.self_assessment_required and rules.reference("tor_review") == "Review"
    assert [(e.key, e.reference) for e in annual_cycle(mse, TODAY)] == [("tor", "ToR, Review")]

    deputies = current(mse, deputy_for__isnull=False)
    assert deputies.count() == 2 and all(d.voting for d in deputies)

    rules = mse.rules
    assert rules.deputies_allowed and rules.deputies_may_vote
    assert (rules.papers_days, rules.papers_counting) == (4, "plain")
    assert (rules.notice_days, rules.notice_counting) == (5, "plain")
    assert rules.max_months_between_meetings == 2 and rules.quorum_basis == "none"
    grounds = list(mse.part2_grounds.values_list("reference", flat=True))
    assert grounds == [f"Para {n}" for n in range(1, 8)]


QUORATE_NINE = [
    "Leader of Kent County Council",
    "Leader of Medway Council",
    "Chair of the Kent and Medway ICB",
    "ICB Non-Executive Director",
    "ICB Partner Member (primary care)",
    "Chair of the West Kent Health and Care Partnership",
    "District council representative, East Kent Health and Care Partnership",
]


def nine_present(km) -> list[int]:
    ids = [holder(km, title).pk for title in QUORATE_NINE]
    kcc_exec = current(km, seat__title="Elected executive member, Kent County Council")
    medway_exec = current(km, seat__title="Elected executive member, Medway Council")
    return ids + [kcc_exec.first().person_id, medway_exec.first().person_id]


def test_nine_demo_members_meeting_every_condition_of_8_1_are_quorate(structure):
    km = Committee.objects.get(slug=KM_SLUG)
    present = nine_present(km)
    assert len(set(present)) == 9
    result = evaluate_committee_quorum(km, present, on=TODAY)
    assert result.quorate, result.unmet
    assert (result.counted, result.required) == (9, 9)


def test_the_demo_quorum_fails_without_medway_and_says_so(structure):
    km = Committee.objects.get(slug=KM_SLUG)
    medway = current(km, organisation__name="Medway Council").values_list("person_id", flat=True)
    present = [p for p in nine_present(km) if p not in set(medway)]
    # Keep nine voting members: the second executive member of KCC and an HCP chair.
    present += [
        current(km, seat__title="Elected executive member, Kent County Council").last().person_id,
        holder(km, "Chair of the East Kent Health and Care Partnership").pk,
    ]
    assert len(set(present)) == 9
    result = evaluate_committee_quorum(km, present, on=TODAY)
    assert not result.quorate
    assert result.unmet == ["No member from Medway Council present"]
    # Participants do not count towards the quorum.
    dph = holder(km, "Director of Public Health, Medway Council").pk
    assert not evaluate_committee_quorum(km, [*present, dph], on=TODAY).quorate


def test_each_demo_committee_cites_its_own_terms_of_reference(structure):
    """K&M numbers its paragraphs; M&SE words its rules under headings and has no quorum rule,
    so a message about the quorum cites the Terms of Reference, never K&M's 8.1."""
    km = Committee.objects.get(slug=KM_SLUG).rules
    mse = Committee.objects.get(slug=MSE_SLUG).rules
    assert km.cite("voting") == "ToR 7.4" and km.cite("agenda") == "ToR 12.1.1"
    assert km.cite("remote") == "ToR 8.3" and km.cite("urgent_meeting") == "ToR 7.3"
    assert mse.cite("voting") == "ToR, Voting"
    assert mse.cite("papers") == "ToR, Conduct & Operation"
    assert mse.cite("quorum") == "the Terms of Reference"
    assert mse.cite("urgent_meeting") == "the Terms of Reference"
