"""K&M ToR 8.2: "Whilst not part of the quorum, the Joint Committee shall endeavour to always have
a public health representative in attendance, unless a conflict of interest precludes this."

A rule of the committee expressed by seats (CommitteeRules.public_health_seats: the Directors of
Public Health, 6.4.4); no seats, no rule (M&SE's ToR have none)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings.conduct import services as record
from meetings.conduct.rules import NO_PUBLIC_HEALTH, PUBLIC_HEALTH_CONFLICTED, public_health_gap
from meetings.conduct.selectors import record_state
from meetings.minutes import services as minutes_services
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
    mse_fixture,
    seat_of,
)

DAY = dt.date(2026, 3, 10)
DPH, OTHER_DPH, MEMBER = 70, 71, 1


# --- the pure rule ---------------------------------------------------------------------------


def test_no_seats_no_rule_whoever_is_there():
    assert public_health_gap(has_rule=False, representatives=[], present=[]) == ""
    assert public_health_gap(has_rule=False, representatives=[DPH], present=[MEMBER]) == ""


def test_a_representative_in_attendance_meets_the_rule():
    assert public_health_gap(has_rule=True, representatives=[DPH], present=[DPH, MEMBER]) == ""


def test_none_present_is_a_gap_even_where_the_seats_are_vacant():
    assert (
        public_health_gap(has_rule=True, representatives=[DPH, OTHER_DPH], present=[MEMBER])
        == NO_PUBLIC_HEALTH
    )
    assert public_health_gap(has_rule=True, representatives=[], present=[MEMBER]) == (
        NO_PUBLIC_HEALTH
    )


def test_a_gap_when_every_representative_present_is_conflicted():
    kw = dict(has_rule=True, representatives=[DPH, OTHER_DPH])
    assert public_health_gap(present=[DPH], conflicted=[DPH], **kw) == PUBLIC_HEALTH_CONFLICTED
    assert public_health_gap(present=[DPH, OTHER_DPH], conflicted=[DPH], **kw) == ""
    # An absent representative's conflict does not make up for the one present.
    assert public_health_gap(present=[DPH], conflicted=[OTHER_DPH], **kw) == ""


# --- the record --------------------------------------------------------------------------------


@pytest.fixture
def km_dph(km):
    """The K&M world with its participant in a Director of Public Health seat (6.4.4)."""
    km.committee.rules.public_health_seats.set([seat_of(km, "participant")])
    return km


def test_the_record_warns_when_no_director_of_public_health_attends_but_stays_quorate(km_dph):
    meeting = meeting_with_agenda(km_dph, DAY)
    mark_present(km_dph, meeting, QUORATE_NINE)
    state = record_state(meeting)
    assert state.start_quorum.quorate and all(s.quorum.quorate for s in state.items)
    assert {s.public_health_gap for s in state.items} == {NO_PUBLIC_HEALTH}
    assert state.public_health_notes == [
        # Nine items: the automatic "Exclusion of the press and public" item stands before Part 2.
        "No public health representative was in attendance for items 1, 2, 3, 4, 5, 6, 7, 8 and 9 "
        "(ToR 8.2: not part of the quorum, but the committee endeavours to always have one in "
        "attendance)."
    ]


def test_a_director_of_public_health_who_arrives_late_is_missing_only_before(km_dph):
    meeting = meeting_with_agenda(km_dph, DAY)
    mark_present(km_dph, meeting, QUORATE_NINE)
    mark_present(km_dph, meeting, ["participant"], arrived_at_item=business_item(meeting))
    state = record_state(meeting)
    assert [s.item.number for s in state.items if s.public_health_gap] == [1, 2, 3, 4]
    assert state.public_health_notes[0].startswith(
        "No public health representative was in attendance for items 1, 2, 3 and 4 (ToR 8.2"
    )


def test_a_conflicted_director_of_public_health_is_a_gap_on_that_item_only(km_dph):
    meeting = meeting_with_agenda(km_dph, DAY)
    mark_present(km_dph, meeting, [*QUORATE_NINE, "participant"])
    item = business_item(meeting)
    record.record_declaration(
        item=item, person=km_dph.p("participant"), interest="Adviser to Acme", action="withdrew"
    )
    state = record_state(meeting)
    assert [(s.item.number, s.public_health_gap) for s in state.items if s.public_health_gap] == [
        (5, PUBLIC_HEALTH_CONFLICTED)
    ]
    assert state.public_health_notes == [
        "Every public health representative present had a conflict of interest on item 5 (ToR 8.2)."
    ]
    minutes = minutes_services.build_sections(meeting)
    quorum = next(s for s in minutes if s["key"] == "quorum")
    assert (
        "Every public health representative present had a conflict of interest on item 5"
        in (quorum["text"])
    )


def test_with_a_director_of_public_health_present_nothing_is_said(km_dph):
    meeting = meeting_with_agenda(km_dph, DAY)
    mark_present(km_dph, meeting, [*QUORATE_NINE, "participant"])
    state = record_state(meeting)
    assert not any(s.public_health_gap for s in state.items)
    assert state.public_health_notes == []


def test_without_public_health_seats_there_is_no_such_rule(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE)
    state = record_state(meeting)
    assert not any(s.public_health_gap for s in state.items)
    assert state.public_health_notes == []


def test_the_minutes_say_no_public_health_representative_attended(km_dph):
    meeting = meeting_with_agenda(km_dph, DAY)
    mark_present(km_dph, meeting, QUORATE_NINE)
    sections = minutes_services.build_sections(meeting)
    quorum = next(s for s in sections if s["key"] == "quorum")
    assert "No public health representative was in attendance for items 1, 2" in quorum["text"]
    assert "(ToR 8.2" in quorum["text"]


def test_the_record_screen_and_item_page_warn(client, km_dph):
    meeting = meeting_with_agenda(km_dph, DAY)
    mark_present(km_dph, meeting, QUORATE_NINE)
    client.force_login(km_dph.users["secretariat"])
    page = client.get(reverse("record:screen", args=[meeting.pk])).content.decode()
    assert 'id="public-health"' in page
    assert "No public health representative was in attendance" in page
    item = business_item(meeting)
    page = client.get(reverse("record:item", args=[meeting.pk, item.pk])).content.decode()
    assert "No public health representative in attendance" in page
    assert "ToR 8.2" in page
