"""Every quorum option a committee can choose (CommitteeRules.quorum_basis, quorum_number,
quorum_fraction, remote_attendance, and each QuorumCondition kind and minimum), each value tested,
so a small slip in `committees.quorum` turns one of these red.

A quorum that is a fraction of the voting members rounds UP: "a quorum shall be one half of the
voting members" is met by no fewer than half of them, so with 25 members 12 (less than half) is
not a quorum and 13 is. Neither demo ToR sets a fraction (K&M 8.1: nine; M&SE: none stated), so
this is the reading of the wording a committee would use."""

from __future__ import annotations

from decimal import Decimal

import pytest

from committees.quorum import Attendee, Condition, QuorumSpec, evaluate_quorum, required_number

ORG, OTHER_ORG = 1, 2


def people(n: int, *, start: int = 0, **kw) -> list[Attendee]:
    return [
        Attendee(start + i, f"Person {start + i}", kw.get("voting", True), kw.get("org", ORG),
                 kw.get("place"), frozenset(kw.get("offices", ())), kw.get("remote", False))
        for i in range(n)
    ]  # fmt: skip


# --- quorum_basis -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fraction, total, required",
    [
        ("0.5", 25, 13),  # 12.5: twelve is less than half, so thirteen
        ("0.5", 24, 12),  # exactly half: no rounding
        ("0.75", 4, 3),  # exactly three quarters
        ("0.75", 5, 4),  # 3.75
        ("0.333", 30, 10),  # one third written to three places: 9.99
        ("0.34", 50, 17),
        ("1", 17, 17),
        ("0.01", 10, 1),  # 0.1: never fewer than one
        ("0.5", 0, 1),
    ],
)
def test_a_fraction_of_the_members_rounds_up(fraction, total, required):
    spec = QuorumSpec(basis="fraction", fraction=Decimal(fraction))
    assert required_number(spec, total) == required


def test_a_fraction_quorum_is_met_by_the_rounded_up_number_and_not_one_fewer():
    spec = QuorumSpec(basis="fraction", fraction=Decimal("0.5"), remote_attendance="always")
    met = evaluate_quorum(spec, people(13), voting_members_total=25)
    assert met.quorate and (met.counted, met.required) == (13, 13)
    short = evaluate_quorum(spec, people(12), voting_members_total=25)
    assert not short.quorate
    assert short.unmet == ["12 voting members present; 13 needed for a quorum"]


def test_a_fraction_is_of_all_voting_members_not_of_those_present():
    spec = QuorumSpec(basis="fraction", fraction=Decimal("0.5"))
    # Ten present, all voting: a half of 30 members is 15, not a half of the 10 present.
    assert not evaluate_quorum(spec, people(10), voting_members_total=30).quorate


@pytest.mark.parametrize("number, present, quorate", [(9, 9, True), (9, 8, False), (4, 4, True)])
def test_a_fixed_number(number, present, quorate):
    spec = QuorumSpec(basis="fixed", number=number)
    result = evaluate_quorum(spec, people(present), voting_members_total=50)
    assert result.quorate is quorate and result.required == number


def test_no_quorum_is_met_by_anyone_or_no_one():
    spec = QuorumSpec(basis="none", number=9)
    assert required_number(spec, 50) == 0
    result = evaluate_quorum(spec, [], voting_members_total=50)
    assert result.quorate and result.required == 0 and result.unmet == []


def test_non_voting_people_count_under_no_basis():
    for spec in (QuorumSpec(basis="fixed", number=2), QuorumSpec(basis="fraction")):
        result = evaluate_quorum(
            spec, people(1) + people(5, start=10, voting=False), voting_members_total=2
        )
        assert result.counted == 1


# --- remote_attendance ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode, chair_allows, counts",
    [
        ("always", False, True),
        ("always", True, True),
        ("chair", True, True),
        ("chair", False, False),
        ("never", True, False),
        ("never", False, False),
    ],
)
def test_remote_attendance_by_each_rule(mode, chair_allows, counts):
    spec = QuorumSpec(basis="fixed", number=3, remote_attendance=mode)
    present = people(2) + people(1, start=10, remote=True)
    result = evaluate_quorum(
        spec, present, voting_members_total=10, chair_allows_remote=chair_allows
    )
    assert result.quorate is counts
    assert result.counted == (3 if counts else 2)
    assert result.not_counted == ([] if counts else ["Person 10"])


# --- conditions: each kind, with a minimum above one ------------------------------------------


def test_organisation_condition_counts_that_organisations_members():
    cond = Condition("organisation", 2, organisation_id=OTHER_ORG, organisation_name="Medway")
    spec = QuorumSpec(basis="fixed", number=3, conditions=(cond,))
    one = people(2) + people(1, start=10, org=OTHER_ORG)
    result = evaluate_quorum(spec, one, voting_members_total=10)
    assert result.unmet == ["Only 1 of the 2 members needed from Medway present"]
    two = people(1) + people(2, start=10, org=OTHER_ORG)
    assert evaluate_quorum(spec, two, voting_members_total=10).quorate
    none = people(3)
    assert evaluate_quorum(spec, none, voting_members_total=10).unmet == [
        "No member from Medway present"
    ]


def test_office_condition_counts_holders_of_the_office():
    cond = Condition("office", 2, office="leadership_team", office_name="Leadership Team")
    spec = QuorumSpec(basis="fixed", number=3, conditions=(cond,))
    one = people(2) + people(1, start=10, offices={"leadership_team"})
    assert evaluate_quorum(spec, one, voting_members_total=10).unmet == [
        "Only 1 of the 2 members needed from the Leadership Team present"
    ]
    two = people(1) + people(2, start=10, offices={"leadership_team"})
    assert evaluate_quorum(spec, two, voting_members_total=10).quorate


def test_places_condition_counts_distinct_places():
    spec = QuorumSpec(basis="fixed", number=3, conditions=(Condition("places", 2),))
    same = people(3, place=7)
    assert evaluate_quorum(spec, same, voting_members_total=10).unmet == [
        "Only 1 place represented; at least 2 needed"
    ]
    two = people(2, place=7) + people(1, start=10, place=8)
    assert evaluate_quorum(spec, two, voting_members_total=10).quorate


def test_a_condition_is_met_only_by_members_who_count():
    # A remote member who does not count does not satisfy a condition either.
    cond = Condition("organisation", 1, organisation_id=OTHER_ORG, organisation_name="Medway")
    spec = QuorumSpec(basis="fixed", number=2, remote_attendance="never", conditions=(cond,))
    present = people(2) + people(1, start=10, org=OTHER_ORG, remote=True)
    result = evaluate_quorum(spec, present, voting_members_total=10)
    assert not result.quorate and "No member from Medway present" in result.unmet
