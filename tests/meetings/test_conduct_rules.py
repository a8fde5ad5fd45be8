"""Votes (K&M ToR 7.4, M&SE simple majority) and the presiding order (K&M ToR 6.8)."""

import pytest

from meetings.conduct.rules import Fallback, presiding_member, vote_outcome
from meetings.errors import ConductError

KM = dict(majority_basis="present", voting_members_total=17, quorate=True)


def test_vote_carried_by_majority_of_members_present():
    out = vote_outcome(votes_for=6, votes_against=3, abstentions=1, eligible_present=10, **KM)
    assert out.passed and out.summary.startswith("Carried")


def test_abstentions_count_against_majority_of_those_present():
    out = vote_outcome(votes_for=5, votes_against=2, abstentions=3, eligible_present=10, **KM)
    assert not out.passed
    assert "majority of the 10 voting members present" in out.summary
    cast = vote_outcome(
        votes_for=5,
        votes_against=2,
        abstentions=3,
        eligible_present=10,
        majority_basis="votes_cast",
        voting_members_total=17,
        quorate=True,
    )
    assert cast.passed


def test_tie_is_not_passed_without_casting_vote():
    out = vote_outcome(votes_for=5, votes_against=5, abstentions=0, eligible_present=10, **KM)
    assert not out.passed and "tied" in out.summary


def test_casting_vote_only_where_rules_give_one():
    with_cv = vote_outcome(
        votes_for=5,
        votes_against=5,
        abstentions=0,
        eligible_present=10,
        chair_has_casting_vote=True,
        casting_vote_for=True,
        **KM,
    )
    assert with_cv.passed and with_cv.casting_vote_used
    without = vote_outcome(
        votes_for=5,
        votes_against=5,
        abstentions=0,
        eligible_present=10,
        chair_has_casting_vote=False,
        casting_vote_for=True,
        **KM,
    )
    assert not without.passed


def test_no_vote_while_inquorate_or_with_more_votes_than_voters():
    with pytest.raises(ConductError, match="inquorate"):
        vote_outcome(
            votes_for=5,
            votes_against=0,
            abstentions=0,
            eligible_present=8,
            majority_basis="present",
            voting_members_total=17,
            quorate=False,
        )
    with pytest.raises(ConductError, match="one vote per voting member"):
        vote_outcome(votes_for=9, votes_against=2, abstentions=0, eligible_present=10, **KM)


KM_ORDER = [
    Fallback(office="vice_chair", label="the Vice-Chair"),
    Fallback(seat_id=3, label="the ICB Chair"),
]
KCC_LEADER, MEDWAY_LEADER, ICB_CHAIR, OTHER = 1, 2, 30, 4


def preside(available):
    return presiding_member(
        chair_id=KCC_LEADER,
        available_ids=available,
        fallbacks=KM_ORDER,
        office_holders={"vice_chair": [MEDWAY_LEADER]},
        seat_holders={3: [ICB_CHAIR]},
    )


def test_chair_presides_when_available():
    assert preside({KCC_LEADER, MEDWAY_LEADER, ICB_CHAIR})[0] == KCC_LEADER


def test_other_leader_presides_when_chair_absent_or_conflicted():
    person, why = preside({MEDWAY_LEADER, ICB_CHAIR, OTHER})
    assert person == MEDWAY_LEADER and "Vice-Chair" in why


def test_icb_chair_presides_when_neither_leader_available():
    assert preside({ICB_CHAIR, OTHER})[0] == ICB_CHAIR
    assert preside({OTHER})[0] is None


# K&M ToR 6.8 by seats: "In the event that the Joint Committee Chair is not available to chair the
# meeting (due to absence or a conflict of interest), the other Local Authority leader will
# preside over the matter(s) to be discussed. Where neither leader is available to preside, the
# ICB Chair will preside over matters."
KCC_SEAT, MEDWAY_SEAT, ICB_SEAT = 11, 12, 13
BY_SEATS = [
    Fallback(other_rotation_seat=True, label="the other seat in the Chair's rotation"),
    Fallback(seat_id=ICB_SEAT, label="Chair of the Kent and Medway ICB"),
]
SEAT_HOLDERS = {KCC_SEAT: [KCC_LEADER], MEDWAY_SEAT: [MEDWAY_LEADER], ICB_SEAT: [ICB_CHAIR]}
LEADER_SEATS = {KCC_SEAT: "Leader of Kent County Council", MEDWAY_SEAT: "Leader of Medway Council"}


def preside_by_seats(available, *, chair=KCC_LEADER, citation="ToR 6.8"):
    return presiding_member(
        chair_id=chair,
        available_ids=available,
        fallbacks=BY_SEATS,
        office_holders={},  # no Vice-Chair office recorded: the order does not need one
        seat_holders=SEAT_HOLDERS,
        rotation_seat_ids=list(LEADER_SEATS),
        seat_labels=LEADER_SEATS,
        citation=citation,
    )


def test_the_other_leader_presides_by_seat_without_a_vice_chair_office():
    person, why = preside_by_seats({MEDWAY_LEADER, ICB_CHAIR, OTHER})
    assert person == MEDWAY_LEADER
    assert why == (
        "The Chair is absent or conflicted: Leader of Medway Council presides (ToR 6.8)."
    )


def test_the_other_leader_is_whichever_leader_is_not_chair():
    # After the rotation the Medway Leader chairs; "the other" is now the KCC Leader.
    person, why = preside_by_seats({KCC_LEADER, ICB_CHAIR}, chair=MEDWAY_LEADER)
    assert person == KCC_LEADER and "Leader of Kent County Council presides" in why


def test_the_chair_presides_over_the_other_leader_when_available():
    assert preside_by_seats({KCC_LEADER, MEDWAY_LEADER, ICB_CHAIR})[0] == KCC_LEADER


def test_the_icb_chair_presides_where_neither_leader_is_available():
    person, why = preside_by_seats({ICB_CHAIR, OTHER})
    assert person == ICB_CHAIR and "Chair of the Kent and Medway ICB presides" in why
    assert preside_by_seats({OTHER})[0] is None


def test_with_no_chair_recorded_either_leader_is_the_other():
    assert preside_by_seats({MEDWAY_LEADER, ICB_CHAIR}, chair=None)[0] == MEDWAY_LEADER


def test_the_explanation_cites_only_the_committees_own_paragraph():
    _, why = preside_by_seats({MEDWAY_LEADER}, citation="")
    assert "ToR" not in why and why.endswith("Leader of Medway Council presides.")


def test_too_many_votes_cites_the_committees_own_voting_paragraph():
    """The refusal cites the paragraph the caller passes (K&M "ToR 7.4", M&SE "ToR, Voting"),
    never a K&M number written in the rule."""
    for citation in ("ToR 7.4", "ToR, Voting"):
        with pytest.raises(ConductError) as exc:
            vote_outcome(
                votes_for=9,
                votes_against=2,
                abstentions=0,
                eligible_present=10,
                citation=citation,
                **KM,
            )
        assert f"one vote per voting member ({citation})." in str(exc.value)
    with pytest.raises(ConductError) as exc:
        vote_outcome(votes_for=9, votes_against=2, abstentions=0, eligible_present=10, **KM)
    assert "(the Terms of Reference)" in str(exc.value) and "7.4" not in str(exc.value)
