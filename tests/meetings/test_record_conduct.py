"""The Terms of Reference cases of the meeting itself: quorum during the meeting (K&M ToR 8.1,
8.3), conflicts (7.5), presiding (6.8), votes (7.4) and deputies (M&SE)."""

from __future__ import annotations

import datetime as dt

import pytest

from committees.models import OfficeKind, PresidingFallback
from meetings.conduct import services as record
from meetings.conduct.selectors import record_state
from meetings.errors import ConductError
from meetings.minutes import services as minutes_services
from meetings.models import Decision, Declaration
from members.models import Office
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_chair_rule,
    km_fixture,
    mark_present,
    meeting_with_agenda,
    mse_fixture,
    seat_of,
)

DAY = dt.date(2026, 3, 10)


def _swap(out: list[str], into: list[str]) -> list[str]:
    return [k for k in QUORATE_NINE if k not in out] + into


def test_nine_members_meeting_every_condition_are_quorate(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    state = record_state(meeting)
    assert state.start_quorum.quorate, state.start_quorum.unmet
    assert all(s.quorum.quorate for s in state.items)


@pytest.mark.parametrize(
    "present, missing",
    [
        (QUORATE_NINE[:-1], "8 voting members present; 9 needed"),
        (_swap(["kcc_leader", "kcc_exec1"], ["icb_partner", "district2"]), "No member from KCC"),
        (
            _swap(["medway_leader", "medway_exec1"], ["icb_partner", "district2"]),
            "No member from MEDWAY",
        ),
        (_swap(["icb_chair", "icb_ned"], ["kcc_exec2", "medway_exec2"]), "No member from ICB"),
        (
            _swap(
                ["kcc_leader", "medway_leader", "icb_chair"],
                ["kcc_exec2", "medway_exec2", "icb_partner"],
            ),
            "No member of the Leadership Team present",
        ),
        (_swap(["hcp_chair2"], ["kcc_exec2"]), "Only 1 place represented; at least 2 needed"),
    ],
    ids=["eight", "no-kcc", "no-medway", "no-icb", "no-leadership-team", "one-place"],
)
def test_each_missing_condition_makes_the_meeting_inquorate_and_refuses_a_vote(
    km, present, missing
):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, present)
    state = record_state(meeting)
    assert not state.start_quorum
    assert any(missing in line for line in state.start_quorum.unmet), state.start_quorum.unmet
    with pytest.raises(ConductError, match="not quorate"):
        record.record_decision(
            item=business_item(meeting),
            text="Award the contract.",
            method="vote",
            votes_for=5,
            votes_against=0,
        )
    assert not Decision.objects.exists()


def test_remote_attendance_counts_only_when_the_chair_allows(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE[:-1])
    mark_present(km, meeting, ["district1"], status="remote")
    state = record_state(meeting)
    assert not state.start_quorum
    assert any("attending remotely" in line for line in state.start_quorum.unmet)
    record.set_remote_counts(meeting=meeting, allowed=True)
    assert record_state(meeting).start_quorum.quorate
    decision = record.record_decision(item=business_item(meeting), text="Award the contract.")
    assert decision.passed


def test_remote_switch_refused_where_rules_give_no_discretion(mse):
    meeting = meeting_with_agenda(mse, DAY)
    with pytest.raises(ConductError, match="no discretion"):
        record.set_remote_counts(meeting=meeting, allowed=True)


def test_conflicted_member_withdrawing_below_quorum_refuses_the_vote(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    item = business_item(meeting)
    record.record_declaration(
        item=item,
        person=km.p("icb_ned"),
        interest="Director of Acme Care Limited",
        action=Declaration.Action.WITHDREW,
    )
    state = record_state(meeting)
    assert state.start_quorum.quorate
    item_state = state.item(item.pk)
    assert not item_state.quorum
    assert km.p("icb_ned").pk not in item_state.eligible_voter_ids
    with pytest.raises(ConductError, match="8 voting members present; 9 needed"):
        record.record_decision(
            item=item, text="Award.", method="vote", votes_for=8, votes_against=0
        )
    # The other items stay quorate, and the minutes note the inquorate item.
    assert state.item(meeting.agenda.items.get(standard_key="minutes").pk).quorum.quorate
    assert any("inquorate once members with a conflict" in n for n in state.quorum_notes)


def test_permitted_participation_keeps_the_member_in_quorum_and_vote(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    item = business_item(meeting)
    record.record_declaration(
        item=item,
        person=km.p("icb_ned"),
        interest="Non-financial: relative works at Acme",
        action=Declaration.Action.PERMITTED,
    )
    state = record_state(meeting).item(item.pk)
    assert state.quorum.quorate and km.p("icb_ned").pk in state.eligible_voter_ids


def test_declaration_needs_the_member_present(km):
    meeting = meeting_with_agenda(km, DAY)
    with pytest.raises(ConductError, match="not recorded as present"):
        record.record_declaration(
            item=business_item(meeting), person=km.p("icb_ned"), interest="x", action="withdrew"
        )


def test_departure_makes_the_meeting_inquorate_and_the_minutes_say_when(km):
    meeting = meeting_with_agenda(km, DAY)
    item = business_item(meeting)
    mark_present(km, meeting, QUORATE_NINE[:-1])
    mark_present(km, meeting, ["district1"], left_before_item=item)
    state = record_state(meeting)
    assert state.start_quorum.quorate
    assert not state.item(item.pk).quorum
    assert any(
        n.startswith(f"The meeting became inquorate at item {item.number}")
        for n in state.quorum_notes
    )
    sections = minutes_services.build_sections(meeting)
    quorum_text = next(s["text"] for s in sections if s["key"] == "quorum")
    assert f"became inquorate at item {item.number}" in quorum_text


# --------------------------------------------------------------------------------- presiding


def test_chair_presides_when_present(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    state = record_state(meeting).item(business_item(meeting).pk)
    assert state.presiding_id == km.p("kcc_leader").pk


def test_vice_chair_presides_when_the_chair_is_absent(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, [k for k in QUORATE_NINE if k != "kcc_leader"] + ["kcc_exec2"])
    mark_present(km, meeting, ["kcc_leader"], status="apologies")
    state = record_state(meeting).item(business_item(meeting).pk)
    assert state.presiding_id == km.p("medway_leader").pk
    assert "Vice-Chair presides" in state.presiding_text


def test_fallback_order_when_the_chair_and_vice_chair_are_conflicted(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    item = business_item(meeting)
    record.record_declaration(
        item=item, person=km.p("kcc_leader"), interest="KCC contract", action="withdrew"
    )
    state = record_state(meeting)
    assert state.item(item.pk).presiding_id == km.p("medway_leader").pk
    # The Chair still presides over the other items.
    minutes_item = meeting.agenda.items.get(standard_key="minutes")
    assert state.item(minutes_item.pk).presiding_id == km.p("kcc_leader").pk
    record.record_declaration(
        item=item, person=km.p("medway_leader"), interest="Medway contract", action="not_voting"
    )
    item_state = record_state(meeting).item(item.pk)
    assert item_state.presiding_id == km.p("icb_chair").pk
    assert "Seat of icb_chair presides" in item_state.presiding_text


def _order_of_6_8(km) -> None:
    """K&M ToR 6.8 by seats: the other Local Authority leader, then the ICB Chair."""
    km_chair_rule(km)
    rules = km.committee.rules
    rules.presiding_fallbacks.all().delete()
    PresidingFallback.objects.create(rules=rules, order=1, other_rotation_seat=True)
    PresidingFallback.objects.create(rules=rules, order=2, seat=seat_of(km, "icb_chair"))


@pytest.mark.parametrize("vice_chair_recorded", [True, False])
def test_the_other_leader_presides_by_seat_whether_or_not_a_vice_chair_is_recorded(
    km, vice_chair_recorded
):
    _order_of_6_8(km)
    if not vice_chair_recorded:
        Office.objects.filter(committee=km.committee, kind=OfficeKind.VICE_CHAIR).delete()
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, [k for k in QUORATE_NINE if k != "kcc_leader"] + ["kcc_exec2"])
    mark_present(km, meeting, ["kcc_leader"], status="apologies")
    state = record_state(meeting).item(business_item(meeting).pk)
    assert state.presiding_id == km.p("medway_leader").pk
    assert state.presiding_text == (
        "The Chair is absent or conflicted: Seat of medway_leader presides (ToR 6.8)."
    )


def test_the_icb_chair_presides_when_neither_leader_can(km):
    _order_of_6_8(km)
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    item = business_item(meeting)
    for key in ("kcc_leader", "medway_leader"):
        record.record_declaration(
            item=item, person=km.p(key), interest="Contract", action="withdrew"
        )
    assert record_state(meeting).item(item.pk).presiding_id == km.p("icb_chair").pk


def test_after_the_rotation_the_kcc_leader_is_the_other_leader(km):
    _order_of_6_8(km)
    Office.objects.filter(committee=km.committee, kind=OfficeKind.CHAIR).update(
        end=dt.date(2025, 12, 31)
    )
    Office.objects.create(
        committee=km.committee,
        person=km.p("medway_leader"),
        kind=OfficeKind.CHAIR,
        start=dt.date(2026, 1, 1),
    )
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    item = business_item(meeting)
    record.record_declaration(
        item=item, person=km.p("medway_leader"), interest="Contract", action="withdrew"
    )
    state = record_state(meeting)
    assert state.item(item.pk).presiding_id == km.p("kcc_leader").pk


# ------------------------------------------------------------------------------------- votes


@pytest.fixture
def ten(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE + ["kcc_exec2"])
    return meeting


def test_vote_carried(km, ten):
    d = record.record_decision(
        item=business_item(ten),
        text="Award the contract.",
        method="vote",
        votes_for=6,
        votes_against=3,
        abstentions=1,
    )
    assert d.passed and d.outcome.startswith("Carried") and d.number == "KMICP/2026/01"
    assert d.presiding_id == km.p("kcc_leader").pk


def test_vote_lost_without_a_majority_of_members_present(ten):
    d = record.record_decision(
        item=business_item(ten),
        text="Award.",
        method="vote",
        votes_for=5,
        votes_against=2,
        abstentions=3,
    )
    assert not d.passed and "majority of the 10 voting members present" in d.outcome


def test_tie_is_not_passed_and_no_casting_vote_under_km_rules(ten):
    d = record.record_decision(
        item=business_item(ten),
        text="Award.",
        method="vote",
        votes_for=5,
        votes_against=5,
        casting_vote_for=True,
    )
    assert not d.passed and not d.casting_vote_used and "tied" in d.outcome


def test_more_votes_than_members_present_refused(ten):
    with pytest.raises(ConductError, match="only 10 members present may vote"):
        record.record_decision(
            item=business_item(ten), text="Award.", method="vote", votes_for=8, votes_against=3
        )


def test_vote_by_name_refuses_a_withdrawn_member(km, ten):
    item = business_item(ten)
    record.record_declaration(
        item=item, person=km.p("kcc_exec2"), interest="Acme shareholder", action="withdrew"
    )
    votes = {km.p(k).pk: "for" for k in QUORATE_NINE}
    votes[km.p("kcc_exec2").pk] = "against"
    with pytest.raises(ConductError, match="may not vote on this item"):
        record.record_decision(item=item, text="Award.", method="vote", votes_by_name=votes)
    del votes[km.p("kcc_exec2").pk]
    votes[km.p("district1").pk] = "against"
    d = record.record_decision(item=item, text="Award.", method="vote", votes_by_name=votes)
    assert (d.votes_for, d.votes_against, d.abstentions) == (8, 1, 0) and d.by_name
    assert d.votes.count() == 9


def test_decision_numbers_run_per_committee_and_year(km, ten):
    item = business_item(ten)
    first = record.record_decision(item=item, text="One.")
    second = record.record_decision(item=item, text="Two.")
    assert (first.number, second.number) == ("KMICP/2026/01", "KMICP/2026/02")


def test_part2_decision_needs_a_public_summary(km, ten):
    item = ten.agenda.items.get(part=2)
    with pytest.raises(ConductError, match="public summary"):
        record.record_decision(item=item, text="Buy the site for £1m.")
    d = record.record_decision(item=item, text="Buy the site for £1m.", public_summary="Agreed.")
    assert d.is_part2 and d.public_summary == "Agreed."


# ---------------------------------------------------------------------------------- deputies


def test_deputy_votes_under_mse_rules(mse):
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2"])
    mark_present(mse, meeting, ["m3", "m4"], status="apologies")
    with pytest.raises(ConductError, match="not quorate"):
        record.record_decision(item=business_item(meeting), text="x")
    a = record.record_attendance(
        meeting=meeting,
        person=mse.p("deputy"),
        status="present",
        capacity="deputy",
        deputy_for=mse.p("m3"),
    )
    assert a.deputy_votes
    state = record_state(meeting)
    assert state.start_quorum.quorate
    assert mse.p("deputy").pk in state.item(business_item(meeting).pk).eligible_voter_ids
    d = record.record_decision(
        item=business_item(meeting), text="Agree the plan.", method="vote", votes_for=2,
        votes_against=1,
    )  # fmt: skip
    assert d.passed and d.number == "MSEICP/2026/01"


def test_deputy_cannot_stand_in_for_a_member_who_is_present(mse):
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m3"])
    with pytest.raises(ConductError, match="stands in only for an absent member"):
        record.record_attendance(
            meeting=meeting,
            person=mse.p("deputy"),
            status="present",
            capacity="deputy",
            deputy_for=mse.p("m3"),
        )


def test_deputies_refused_under_km_rules(km):
    meeting = meeting_with_agenda(km, DAY)
    with pytest.raises(ConductError, match="6.2"):
        record.record_attendance(
            meeting=meeting,
            person=km.p("guest_speaker"),
            status="present",
            capacity="deputy",
            deputy_for=km.p("icb_ned"),
        )
