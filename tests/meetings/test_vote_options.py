"""Every voting option a committee can choose (CommitteeRules.majority_basis, chair_has_casting_vote,
deputies_allowed, deputies_may_vote), each value tested at its boundary, so that a small slip in
`meetings.conduct.rules.vote_outcome` or in who may vote turns one of these red.

K&M ToR 7.4: "a majority of members' present ... Where a majority vote is not achieved the
proposal will not be passed. The Chair shall not have a second or casting vote". M&SE, Voting:
"a simple majority of ICP members present at the meeting"; Deputies: "Deputies will be eligible to
vote if required"."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.conduct import services as record
from meetings.conduct.rules import vote_outcome
from meetings.conduct.selectors import record_state
from meetings.errors import ConductError
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
    mse_fixture,
)

DAY = dt.date(2026, 3, 10)


def outcome(votes_for, against, abstain, *, basis, present=10, total=17, **kw):
    return vote_outcome(
        votes_for=votes_for,
        votes_against=against,
        abstentions=abstain,
        eligible_present=present,
        voting_members_total=total,
        majority_basis=basis,
        quorate=True,
        **kw,
    )


# --- majority_basis: each value at its boundary -----------------------------------------------


@pytest.mark.parametrize(
    "votes, basis, passed",
    [
        # Of those present (K&M 7.4, M&SE): more than half of the 10 present, abstainers too.
        ((6, 0, 4), "present", True),
        ((5, 0, 5), "present", False),  # exactly half is not a majority
        ((5, 4, 1), "present", False),
        # Of votes cast: more for than against, abstentions aside.
        ((5, 4, 1), "votes_cast", True),
        ((3, 2, 5), "votes_cast", True),
        ((2, 3, 5), "votes_cast", False),
        # Of all members (17): nine, however few are present.
        ((9, 0, 1), "all_members", True),
        ((8, 0, 2), "all_members", False),  # a majority of the 10 present, not of all 17
        ((9, 1, 0), "all_members", True),
    ],
)
def test_each_majority_basis(votes, basis, passed):
    out = outcome(*votes, basis=basis)
    assert out.passed is passed, out.summary
    assert out.summary.startswith("Carried" if passed else "Not passed")


def test_a_majority_of_all_members_is_more_than_half_of_an_even_membership():
    assert not outcome(9, 0, 1, basis="all_members", total=18).passed
    assert outcome(10, 0, 0, basis="all_members", total=18).passed


def test_each_refusal_names_the_majority_needed():
    assert (
        "a majority of the 10 voting members present" in outcome(5, 4, 1, basis="present").summary
    )
    assert "a majority of all 17 voting members" in outcome(8, 0, 2, basis="all_members").summary
    assert "a majority of votes cast is needed" in outcome(4, 5, 0, basis="votes_cast").summary


# --- chair_has_casting_vote: both values, both ways --------------------------------------------


@pytest.mark.parametrize("basis", ["present", "votes_cast", "all_members"])
def test_without_a_casting_vote_a_tie_is_not_passed_whatever_the_chair_says(basis):
    for said in (True, False, None):
        out = outcome(5, 5, 0, basis=basis, chair_has_casting_vote=False, casting_vote_for=said)
        assert not out.passed and not out.casting_vote_used


def test_with_a_casting_vote_the_chair_decides_a_tie_either_way():
    carried = outcome(5, 5, 0, basis="present", chair_has_casting_vote=True, casting_vote_for=True)
    assert carried.passed and carried.casting_vote_used
    assert "carried on the Chair's casting vote" in carried.summary
    lost = outcome(5, 5, 0, basis="present", chair_has_casting_vote=True, casting_vote_for=False)
    assert not lost.passed and lost.casting_vote_used
    assert "lost on the Chair's casting vote" in lost.summary
    unused = outcome(5, 5, 0, basis="present", chair_has_casting_vote=True, casting_vote_for=None)
    assert not unused.passed and not unused.casting_vote_used


def test_no_more_votes_than_voters_present_whatever_the_basis():
    for basis in ("present", "votes_cast", "all_members"):
        with pytest.raises(ConductError, match="11 votes recorded but only 10"):
            outcome(6, 4, 1, basis=basis)
        outcome(6, 4, 0, basis=basis)  # ten is fine


# --- all members, through the record: deputies and non-members aside ---------------------------


def test_all_members_majority_counts_the_committees_seventeen_voting_members(km):
    rules = km.committee.rules
    rules.majority_basis = "all_members"
    rules.save()
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, [*QUORATE_NINE, "participant"])
    item = business_item(meeting)
    assert record_state(meeting).voting_total == 17
    lost = record.record_decision(
        item=item, text="Agree.", method="vote", votes_for=8, votes_against=1
    )
    assert not lost.passed and "a majority of all 17 voting members" in lost.outcome
    carried = record.record_decision(
        item=item, text="Agree.", method="vote", votes_for=9, votes_against=0
    )
    assert carried.passed


# --- deputies_allowed and deputies_may_vote ---------------------------------------------------


@pytest.mark.parametrize("may_vote", [True, False])
def test_a_deputy_votes_and_counts_only_where_the_rules_say(mse, may_vote):
    rules = mse.committee.rules
    rules.deputies_may_vote = may_vote
    rules.save()
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2"])
    a = record.record_attendance(
        meeting=meeting, person=mse.p("deputy"), status="present", capacity="deputy",
        deputy_for=mse.p("m3"),
    )  # fmt: skip
    assert a.deputy_votes is may_vote
    state = record_state(meeting)
    at = state.item(business_item(meeting).pk)
    # Quorum three quarters of 4 = 3: two members and a deputy who counts.
    assert state.start_quorum.counted == (3 if may_vote else 2)
    assert at.quorum.quorate is may_vote
    assert (mse.p("deputy").pk in at.eligible_voter_ids) is may_vote
    assert state.voting_total == 4  # a deputy is never an extra member


def test_a_deputy_who_may_not_vote_cannot_cast_a_vote_by_name(mse):
    rules = mse.committee.rules
    rules.deputies_may_vote = False
    rules.quorum_basis = "none"
    rules.save()
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2"])
    record.record_attendance(
        meeting=meeting, person=mse.p("deputy"), status="present", capacity="deputy",
        deputy_for=mse.p("m3"),
    )  # fmt: skip
    votes = {mse.p("m1").pk: "for", mse.p("m2").pk: "against", mse.p("deputy").pk: "for"}
    with pytest.raises(ConductError, match="Deputy Testperson may not vote"):
        record.record_decision(
            item=business_item(meeting), text="x", method="vote", votes_by_name=votes
        )
    with pytest.raises(ConductError, match="3 votes recorded but only 2"):
        record.record_decision(
            item=business_item(meeting), text="x", method="vote", votes_for=2, votes_against=1
        )


@pytest.mark.parametrize("allowed", [True, False])
def test_deputies_allowed_or_refused_citing_the_committees_own_tor(km, allowed):
    rules = km.committee.rules
    rules.deputies_allowed = allowed
    rules.save()
    meeting = meeting_with_agenda(km, DAY)
    kw = dict(
        meeting=meeting, person=km.p("guest_speaker"), status="present", capacity="deputy",
        deputy_for=km.p("icb_ned"),
    )  # fmt: skip
    if allowed:
        assert not record.record_attendance(**kw).deputy_votes  # may_vote is off by default
    else:
        with pytest.raises(ConductError, match=r"do not allow deputies \(ToR 6\.2\)"):
            record.record_attendance(**kw)
