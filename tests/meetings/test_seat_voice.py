"""One voice per seat (M&SE ToR, Deputies: a deputy attends "on their behalf" when the member
"is unable to attend"), and a deputy for one matter (M&SE ToR, Conflicts of Interest: "Where the
Chair decides to exclude a member, the relevant organisation represented by that member may send
a deputy to take the place of the conflicted member in relation to that matter")."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.conduct import services as record
from meetings.conduct.rules import DEPUTY, MEMBER, seat_voice, seat_voice_changes
from meetings.conduct.selectors import record_state
from meetings.errors import ConductError
from meetings.minutes import services as minutes_services
from meetings.models import Declaration
from members.models import Membership
from tests.meetings.record_world import (  # noqa: F401
    _member,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
    mse_fixture,
)

DAY = dt.date(2026, 3, 10)
ALL = [f"m{n}" for n in range(1, 32)]  # 31 members: m1 to m31


# --- the pure rule ---------------------------------------------------------------------------


def test_the_member_holds_the_seat_whenever_there_and_not_excluded():
    assert seat_voice(member_here=True, deputy_here=True) == MEMBER
    assert seat_voice(member_here=True, deputy_here=False) == MEMBER


def test_a_deputy_holds_the_seat_only_while_the_member_is_unable_to_attend():
    assert seat_voice(member_here=False, deputy_here=True) == DEPUTY
    assert seat_voice(member_here=False, deputy_here=False) is None
    # A deputy for the meeting does not take the place of a member who is there but excluded.
    assert seat_voice(member_here=True, member_excluded=True, deputy_here=True) is None


def test_a_deputy_for_one_matter_holds_the_seat_for_those_items_only():
    kw = dict(member_here=True, deputy_here=True, deputy_items={5})
    assert seat_voice(member_excluded=True, item=5, **kw) == DEPUTY
    assert seat_voice(member_excluded=True, item=6, **kw) is None
    assert seat_voice(member_excluded=False, item=5, **kw) == MEMBER
    assert seat_voice(member_here=False, deputy_here=True, deputy_items={5}, item=None) is None


def test_seat_voice_changes_name_the_item_the_voice_passes_at():
    holders = [(1, DEPUTY), (2, DEPUTY), (3, MEMBER), (4, MEMBER), (5, DEPUTY)]
    assert seat_voice_changes(holders) == [(3, DEPUTY, MEMBER), (5, MEMBER, DEPUTY)]
    assert seat_voice_changes([(1, MEMBER)]) == []
    assert seat_voice_changes([]) == []


# --- the record: a member arriving after their deputy ------------------------------------------


@pytest.fixture
def big_mse(mse):
    """M&SE-shaped: 31 voting members, deputies who vote; quorum three quarters (24)."""
    org = Membership.objects.get(person=mse.p("m1")).organisation
    for n in range(5, 32):
        _member(mse, f"m{n}", org)
    return mse


@pytest.fixture
def late_member(big_mse):
    """m31's deputy is there from the start; m31 arrives at item 5 (the business item)."""
    w = big_mse
    meeting = meeting_with_agenda(w, DAY)
    mark_present(w, meeting, ALL[:30])
    record.record_attendance(
        meeting=meeting, person=w.p("deputy"), status="present", capacity="deputy",
        deputy_for=w.p("m31"),
    )  # fmt: skip
    record.record_attendance(
        meeting=meeting, person=w.p("m31"), status="present",
        arrived_at_item=business_item(meeting),
    )  # fmt: skip
    return meeting


def _split(w, *, for_, against, abstain=()):
    votes = {w.p(k).pk: "for" for k in for_}
    votes.update({w.p(k).pk: "against" for k in against})
    votes.update({w.p(k).pk: "abstain" for k in abstain})
    return votes


def test_a_tie_does_not_become_carried_by_the_deputy_of_a_member_who_arrived(big_mse, late_member):
    # 15 for (m31 among them), 15 against, one abstaining: a tie. Before the fix the deputy also
    # voted, and the tie became "Carried (16 for, 15 against, ...)".
    w, item = big_mse, business_item(late_member)
    votes = _split(w, for_=ALL[15:31], against=ALL[:15])
    votes[w.p("m16").pk] = "abstain"
    votes[w.p("deputy").pk] = "for"
    with pytest.raises(ConductError, match="Deputy Testperson may not vote"):
        record.record_decision(item=item, text="Fund it.", method="vote", votes_by_name=votes)
    with pytest.raises(ConductError, match="32 votes recorded but only 31"):
        record.record_decision(
            item=item, text="Fund it.", method="vote", votes_for=16, votes_against=15,
            abstentions=1,
        )  # fmt: skip
    del votes[w.p("deputy").pk]
    d = record.record_decision(item=item, text="Fund it.", method="vote", votes_by_name=votes)
    assert not d.passed and "tied" in d.outcome


def test_the_member_who_arrives_takes_the_seat_from_that_item(big_mse, late_member):
    w = big_mse
    state = record_state(late_member)
    before = state.items[3]  # item 4, before m31 arrived
    at = state.item(business_item(late_member).pk)  # item 5
    assert w.p("deputy").pk in before.eligible_voter_ids
    assert w.p("m31").pk not in before.eligible_voter_ids
    assert w.p("deputy").pk not in at.eligible_voter_ids
    assert w.p("m31").pk in at.eligible_voter_ids
    assert before.quorum.counted == 31 and at.quorum.counted == 31
    assert len(at.eligible_voter_ids) == 31
    assert state.start_quorum.counted == 31
    assert state.seat_notes == [
        "From item 5, M31 Testperson held their own seat: Deputy Testperson, their deputy, no "
        "longer counted towards the quorum or voted (one voice per seat, ToR, Appendix 2, "
        "Deputies)."
    ]


def test_the_deputy_takes_the_seat_back_when_the_member_leaves(big_mse):
    w = big_mse
    meeting = meeting_with_agenda(w, DAY)
    items = {i.number: i for i in meeting.agenda.items.all()}
    mark_present(w, meeting, ALL[:30])
    record.record_attendance(
        meeting=meeting, person=w.p("m31"), status="present", left_before_item=items[5]
    )
    record.record_attendance(
        meeting=meeting, person=w.p("deputy"), status="present", capacity="deputy",
        deputy_for=w.p("m31"), arrived_at_item=items[5],
    )  # fmt: skip
    state = record_state(meeting)
    assert w.p("m31").pk in state.item(items[4].pk).eligible_voter_ids
    assert w.p("deputy").pk in state.item(items[5].pk).eligible_voter_ids
    assert w.p("m31").pk not in state.item(items[5].pk).eligible_voter_ids
    assert all(s.quorum.counted == 31 for s in state.items)
    assert state.seat_notes == [
        "From item 5, Deputy Testperson held the seat of M31 Testperson as deputy (counted and "
        "voted for it)."
    ]


def test_the_minutes_say_from_which_item_the_member_held_their_seat(big_mse, late_member):
    sections = minutes_services.build_sections(late_member)
    quorum = next(s for s in sections if s["key"] == "quorum")
    assert "From item 5, M31 Testperson held their own seat" in quorum["text"]


def test_quorum_counts_one_voice_per_seat(mse):
    # Quorum three quarters of 4 = 3. Two members and the deputy of a third make 3; once that
    # member arrives the deputy's voice is theirs, still 3, not 4.
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2"])
    record.record_attendance(
        meeting=meeting, person=mse.p("deputy"), status="present", capacity="deputy",
        deputy_for=mse.p("m3"),
    )  # fmt: skip
    record.record_attendance(
        meeting=meeting, person=mse.p("m3"), status="present",
        arrived_at_item=business_item(meeting),
    )  # fmt: skip
    state = record_state(meeting)
    assert state.item(business_item(meeting).pk).quorum.counted == 3
    assert state.start_quorum.counted == 3


# --- a deputy for one matter -------------------------------------------------------------------


def _exclude(w, meeting, key):
    item = business_item(meeting)
    record.record_declaration(
        item=item, person=w.p(key), interest="Director of Acme Care", action="withdrew"
    )
    return item


def test_a_deputy_for_the_matter_counts_and_votes_for_that_item_only(mse):
    mse.committee.rules.conflict_deputies_allowed = True
    mse.committee.rules.save()
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2", "m3"])
    item = _exclude(mse, meeting, "m3")
    a = record.record_attendance(
        meeting=meeting, person=mse.p("deputy"), status="present", capacity="deputy",
        deputy_for=mse.p("m3"), deputy_items=[item],
    )  # fmt: skip
    assert a.deputy_votes and list(a.deputy_items.all()) == [item]
    state = record_state(meeting)
    at = state.item(item.pk)
    other = state.items[0]
    assert mse.p("deputy").pk in at.eligible_voter_ids
    assert mse.p("m3").pk not in at.eligible_voter_ids
    assert at.quorum.counted == 3 and at.quorum.quorate
    assert mse.p("deputy").pk not in other.eligible_voter_ids
    assert other.quorum.counted == 3
    assert state.start_quorum.counted == 3
    # Saving the attendance table again keeps the items the deputy stands in for.
    record.record_attendance(
        meeting=meeting, person=mse.p("deputy"), status="present", capacity="deputy",
        deputy_for=mse.p("m3"),
    )  # fmt: skip
    assert list(a.deputy_items.all()) == [item]


def test_a_deputy_for_the_matter_needs_the_member_excluded_from_it(mse):
    mse.committee.rules.conflict_deputies_allowed = True
    mse.committee.rules.save()
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2", "m3"])
    item = business_item(meeting)
    kw = dict(
        meeting=meeting, person=mse.p("deputy"), status="present", capacity="deputy",
        deputy_for=mse.p("m3"), deputy_items=[item],
    )  # fmt: skip
    with pytest.raises(ConductError, match="not excluded from item 5"):
        record.record_attendance(**kw)
    Declaration.objects.create(item=item, person=mse.p("m3"), interest="x", action="permitted")
    with pytest.raises(ConductError, match="not excluded from item 5"):
        record.record_attendance(**kw)


def test_a_deputy_for_the_matter_only_where_the_rules_provide_for_one(mse):
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2", "m3"])
    item = _exclude(mse, meeting, "m3")
    with pytest.raises(ConductError, match="do not provide for a deputy"):
        record.record_attendance(
            meeting=meeting, person=mse.p("deputy"), status="present", capacity="deputy",
            deputy_for=mse.p("m3"), deputy_items=[item],
        )  # fmt: skip


def test_km_refuses_a_deputy_for_the_matter_citing_its_own_tor(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, ["icb_ned"])
    item = _exclude(km, meeting, "icb_ned")
    with pytest.raises(ConductError, match=r"\(ToR 6\.2\)"):
        record.record_attendance(
            meeting=meeting, person=km.p("guest_speaker"), status="present", capacity="deputy",
            deputy_for=km.p("icb_ned"), deputy_items=[item],
        )  # fmt: skip


# --- the record screen -------------------------------------------------------------------------


def test_the_screen_records_a_deputy_for_the_matter_and_shows_whose_voice(client, mse):
    from django.urls import reverse

    mse.committee.rules.conflict_deputies_allowed = True
    mse.committee.rules.save()
    sec = mse.users.get("secretariat")
    if sec is None:
        from tests.conftest import make_user

        sec = make_user("mse-secretariat")
        mse.committee.secretariat.add(sec)
    client.force_login(sec)
    meeting = meeting_with_agenda(mse, DAY)
    mark_present(mse, meeting, ["m1", "m2", "m3"])
    item = _exclude(mse, meeting, "m3")
    screen = reverse("record:screen", args=[meeting.pk])
    assert "Only for these items" in client.get(screen).content.decode()
    response = client.post(
        reverse("record:add_person", args=[meeting.pk]),
        {
            "person": mse.p("deputy").pk,
            "capacity": "deputy",
            "status": "present",
            "deputy_for": mse.p("m3").pk,
            "deputy_items": [item.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(screen).content.decode()
    assert "for item 5 only" in page
    assert 'id="seat-voices"' in page
    assert "From item 5, Deputy Testperson held the seat of M3 Testperson as deputy" in page
    assert (
        "From item 6, M3 Testperson held their own seat: Deputy Testperson, their deputy, no "
        "longer counted towards the quorum or voted (one voice per seat, ToR, Conflicts of "
        "Interest)." in page
    )


def test_km_screen_offers_no_deputy_for_a_matter(client, km):
    from django.urls import reverse

    client.force_login(km.users["secretariat"])
    meeting = meeting_with_agenda(km, DAY)
    page = client.get(reverse("record:screen", args=[meeting.pk])).content.decode()
    assert "Only for these items" not in page


def test_saving_attendance_again_keeps_a_deputy_whose_member_arrived_late(big_mse, late_member):
    # The attendance table re-saves every row: the deputy of a member who arrived at item 5 is
    # still a deputy (for items 1 to 4), not refused as standing in for a member present.
    w = big_mse
    a = record.record_attendance(
        meeting=late_member, person=w.p("deputy"), status="present", capacity="deputy",
        deputy_for=w.p("m31"),
    )  # fmt: skip
    assert a.deputy_for == w.p("m31")
