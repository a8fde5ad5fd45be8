"""Quorum details the ToR cases leave open (issue 16, mutation testing): one person counted once,
the words of each unmet condition, the "no quorum" result, and the spec built from the rules."""

from decimal import Decimal

import pytest

from committees.models import Committee, CommitteeRules, QuorumCondition
from committees.quorum import (
    Condition,
    QuorumSpec,
    attendees_for,
    evaluate_quorum,
    quorum_spec_for,
)
from tests.committees.test_quorum import ICB, KCC, KM, MEDWAY, member, quorate_nine


def test_a_person_listed_twice_counts_once_and_a_non_voter_first_stops_nothing():
    spec = QuorumSpec(basis="fixed", number=3, remote_attendance="never")
    present = [member(9, KCC, voting=False), member(1, KCC), member(1, KCC), member(2, ICB)]
    result = evaluate_quorum(spec, present, voting_members_total=10)
    assert result.counted == 2 and not result.quorate
    assert result.unmet == ["2 voting members present; 3 needed for a quorum"]
    remote_first = [member(5, KCC, remote=True), member(1, KCC), member(2, ICB), member(3, ICB)]
    result = evaluate_quorum(spec, remote_first, voting_members_total=10)
    assert result.quorate and result.counted == 3 and result.not_counted == ["Person 5"]


def test_no_quorum_rule_reports_who_was_counted_and_not():
    none = QuorumSpec(basis="none", remote_attendance="never")
    result = evaluate_quorum(
        none, [member(1, KCC), member(2, KCC, remote=True)], voting_members_total=5
    )
    assert (result.quorate, result.counted, result.required, result.unmet) == (True, 1, 0, [])
    assert result.not_counted == ["Person 2"]


def test_the_words_of_each_unmet_condition():
    spec = QuorumSpec(
        basis="fixed",
        number=1,
        remote_attendance="chair",
        conditions=(
            Condition("organisation", 2, organisation_id=MEDWAY, organisation_name="Medway"),
            Condition("office", 2, office="vice_chair"),
            Condition("office", 1, office="leadership_team"),
        ),
    )
    present = [
        member(1, MEDWAY, offices={"vice_chair"}),
        member(2, KCC, remote=True),
        member(3, ICB, remote=True),
    ]
    result = evaluate_quorum(spec, present, voting_members_total=10)
    assert result.unmet == [
        "Only 1 of the 2 members needed from Medway present",
        "Only 1 of the 2 members needed from the vice chair present",
        "No member of the leadership team present",
        "2 members attending remotely (Person 2, Person 3) not counted: remote attendance "
        "counts only where the Chair allows it",
    ]
    one_remote = evaluate_quorum(
        KM, quorate_nine()[:8] + [member(9, KCC, remote=True)], voting_members_total=17
    )
    assert one_remote.unmet[-1].startswith("1 member attending remotely (Person 9)")


def test_fraction_rounds_up_and_needs_at_least_one():
    third = QuorumSpec(basis="fraction", fraction=Decimal("0.34"), remote_attendance="always")
    assert evaluate_quorum(third, [member(1, KCC)] * 1, voting_members_total=1).required == 1
    assert evaluate_quorum(third, [], voting_members_total=10).required == 4
    assert evaluate_quorum(third, [], voting_members_total=0).required == 1


@pytest.mark.django_db
def test_spec_and_attendees_from_the_rules(org):
    committee = Committee.objects.create(name="Q", slug="q")
    rules = CommitteeRules.objects.create(
        committee=committee, quorum_basis="fraction", quorum_number=4, quorum_fraction="0.25",
        remote_attendance="always",
    )  # fmt: skip
    QuorumCondition.objects.create(rules=rules, kind="organisation", minimum=2, organisation=org)
    QuorumCondition.objects.create(rules=rules, kind="office", minimum=1, office="chair")
    spec = quorum_spec_for(rules)
    assert (spec.basis, spec.number, spec.fraction, spec.remote_attendance) == (
        "fraction", 4, Decimal("0.25"), "always",
    )  # fmt: skip
    by_kind = {c.kind: c for c in spec.conditions}
    assert by_kind["organisation"].organisation_id == org.pk
    assert by_kind["organisation"].organisation_name == org.name
    assert by_kind["organisation"].minimum == 2
    assert by_kind["office"].office == "chair" and by_kind["office"].office_name == "Chair"


def test_attendees_carry_their_offices_vote_and_remote_attendance():
    from types import SimpleNamespace as Row

    memberships = [
        Row(person_id=1, person=Row(full_name="Ann A"), voting=True, organisation_id=KCC,
            place_id=None),
        Row(person_id=2, person=Row(full_name="Bob B"), voting=False, organisation_id=ICB,
            place_id=7),
    ]  # fmt: skip
    offices = [Row(person_id=1, kind="chair"), Row(person_id=1, kind="leadership_team")]
    ann, bob = attendees_for(memberships, offices, remote_person_ids=frozenset({2}))
    assert (ann.person_id, ann.name, ann.voting, ann.organisation_id, ann.place_id) == (
        1, "Ann A", True, KCC, None,
    )  # fmt: skip
    assert ann.offices == frozenset({"chair", "leadership_team"}) and not ann.remote
    assert (bob.voting, bob.place_id, bob.offices, bob.remote) == (False, 7, frozenset(), True)


def test_no_quorum_rule_ignores_its_conditions():
    none = QuorumSpec(
        basis="none",
        conditions=(Condition("organisation", 1, organisation_id=MEDWAY, organisation_name="M"),),
    )
    result = evaluate_quorum(none, [member(1, KCC)], voting_members_total=5)
    assert result.quorate and result.unmet == [] and result.required == 0
