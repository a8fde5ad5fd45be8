"""The quorum function on the Terms of Reference's cases (K&M ToR 8.1, 8.3; M&SE rules)."""

from decimal import Decimal

from committees.quorum import Attendee, Condition, QuorumSpec, evaluate_quorum

KCC, MEDWAY, ICB, DISTRICT = 1, 2, 3, 4
DGS, WK, EK, MS = 11, 12, 13, 14

KM = QuorumSpec(
    basis="fixed",
    number=9,
    remote_attendance="chair",
    conditions=(
        Condition("organisation", 1, organisation_id=KCC, organisation_name="Kent County Council"),
        Condition("organisation", 1, organisation_id=MEDWAY, organisation_name="Medway Council"),
        Condition("organisation", 1, organisation_id=ICB, organisation_name="Kent and Medway ICB"),
        Condition("office", 1, office="leadership_team", office_name="Leadership Team"),
        Condition("places", 2),
    ),
)


def member(pid, org, place=None, offices=(), remote=False, voting=True):
    return Attendee(pid, f"Person {pid}", voting, org, place, frozenset(offices), remote)


def quorate_nine():
    return [
        member(1, KCC, offices={"leadership_team", "chair"}),
        member(2, MEDWAY, offices={"leadership_team"}),
        member(3, ICB, offices={"leadership_team"}),
        member(4, KCC),
        member(5, MEDWAY),
        member(6, ICB),
        member(7, ICB, place=DGS),
        member(8, DISTRICT, place=WK),
        member(9, KCC),
    ]


def test_exactly_nine_with_every_condition_met_is_quorate():
    result = evaluate_quorum(KM, quorate_nine(), voting_members_total=17)
    assert result.quorate, result.unmet
    assert result.counted == 9 and result.unmet == []


def test_nine_without_a_medway_member_is_inquorate_and_says_so():
    present = [m for m in quorate_nine() if m.organisation_id != MEDWAY]
    present += [member(20, KCC), member(21, ICB)]
    result = evaluate_quorum(KM, present, voting_members_total=17)
    assert len(present) == 9
    assert not result.quorate
    assert result.unmet == ["No member from Medway Council present"]


def test_ten_with_only_one_hcp_area_is_inquorate():
    present = [m for m in quorate_nine() if m.place_id != WK] + [
        member(30, KCC),
        member(31, MEDWAY),
    ]
    result = evaluate_quorum(KM, present, voting_members_total=17)
    assert result.counted == 10
    assert not result.quorate
    assert result.unmet == ["Only 1 place represented; at least 2 needed"]


def test_remote_member_does_not_count_unless_the_chair_allows_it():
    present = quorate_nine()
    present[8] = member(9, KCC, remote=True)
    refused = evaluate_quorum(KM, present, voting_members_total=17)
    assert not refused.quorate
    assert refused.counted == 8
    assert "8 voting members present; 9 needed for a quorum" in refused.unmet
    assert any("attending remotely" in u for u in refused.unmet)
    allowed = evaluate_quorum(KM, present, voting_members_total=17, chair_allows_remote=True)
    assert allowed.quorate


def test_remote_never_counts_when_rules_say_never():
    spec = QuorumSpec(basis="fixed", number=2, remote_attendance="never")
    present = [member(1, KCC), member(2, KCC, remote=True)]
    assert not evaluate_quorum(spec, present, voting_members_total=5, chair_allows_remote=True)


def test_non_voting_participants_do_not_count():
    present = quorate_nine()[:8] + [member(40, KCC, voting=False)]
    result = evaluate_quorum(KM, present, voting_members_total=17)
    assert result.counted == 8 and not result.quorate


def test_no_leadership_team_member_is_named():
    present = [member(m.person_id, m.organisation_id, m.place_id) for m in quorate_nine()]
    result = evaluate_quorum(KM, present, voting_members_total=17)
    assert result.unmet == ["No member of the Leadership Team present"]


def test_mse_fraction_rule_and_no_rule():
    # M&SE states no quorum; a deployment may configure a fraction or none.
    half = QuorumSpec(basis="fraction", fraction=Decimal("0.5"), remote_attendance="always")
    present = [member(i, ICB, remote=(i % 2 == 0)) for i in range(25)]
    assert evaluate_quorum(half, present, voting_members_total=50).quorate
    assert not evaluate_quorum(half, present[:24], voting_members_total=50).quorate
    none = QuorumSpec(basis="none")
    assert evaluate_quorum(none, [], voting_members_total=50).quorate
