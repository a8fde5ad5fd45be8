"""The minute-taking mode (issue 13): attendance first ("All present", then the exceptions), then
item by item with previous / next; each form saved with htmx updates the item's panel in place,
and without JavaScript posts and redirects back. Pick-lists offer the committee's own first; the
quorum explanation is not repeated on every row before attendance is taken."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from committees.models import Organisation
from meetings.models import Action, Attendance, Decision, Declaration, ItemNote, MeetingRecord
from members.models import Person
from tests.meetings.record_world import (  # noqa: F401
    VOTERS,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
    seat_of,
)

DAY = dt.date(2026, 3, 10)
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(km):
    return meeting_with_agenda(km, DAY)


@pytest.fixture
def clerk(client, km):
    client.force_login(km.users["secretariat"])
    return client


def test_the_mode_is_404_to_all_but_the_secretariat(client, km, meeting):
    client.force_login(km.users["kcc_exec1"])
    item = business_item(meeting)
    assert client.get(reverse("record:mode", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("record:mode_item", args=[meeting.pk, item.pk])).status_code == 404
    response = client.post(
        reverse("record:mode_act", args=[meeting.pk, item.pk, "note"]), {"discussion": "x"}
    )
    assert response.status_code == 404 and not ItemNote.objects.exists()


def test_all_present_then_the_exceptions_then_the_first_item(clerk, km, meeting):
    url = reverse("record:mode", args=[meeting.pk])
    page = clerk.get(url).content.decode()
    assert "All present" in page and "Record who is here to see the quorum." in page
    clerk.post(url, {"all_present": "1"})
    # Every Member and Participant, not the observer.
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == len(VOTERS) + 1
    assert not Attendance.objects.filter(person=km.p("observer")).exists()
    data = {f"status-{km.p(k).pk}": "present" for k in VOTERS}
    data[f"status-{km.p('district4').pk}"] = "apologies"
    data[f"status-{km.p('participant').pk}"] = ""
    data["started-at"] = "14:03"
    response = clerk.post(url, data)
    first = meeting.agenda.items.order_by("number").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("record:mode_item", args=[meeting.pk, first.pk])
    assert Attendance.objects.get(person=km.p("district4")).status == "apologies"
    assert not Attendance.objects.filter(person=km.p("participant")).exists()
    assert MeetingRecord.objects.get(meeting=meeting).started_at == dt.time(14, 3)
    page = clerk.get(url).content.decode()
    assert "Quorate" in page


def test_a_bad_start_time_is_refused_with_a_message(clerk, km, meeting):
    url = reverse("record:mode", args=[meeting.pk])
    response = clerk.post(url, {"started-at": "2pm"}, follow=True)
    assert "Enter a time on the 24-hour clock, like 14:05." in response.content.decode()


def test_item_by_item_with_previous_and_next(clerk, km, meeting):
    items = list(meeting.agenda.items.order_by("number"))
    second = items[1]
    page = clerk.get(reverse("record:mode_item", args=[meeting.pk, second.pk])).content.decode()
    assert f"item 2 of {len(items)}" in page
    assert reverse("record:mode_item", args=[meeting.pk, items[0].pk]) in page
    assert reverse("record:mode_item", args=[meeting.pk, items[2].pk]) in page
    last = clerk.get(reverse("record:mode_item", args=[meeting.pk, items[-1].pk])).content.decode()
    assert reverse("record:mode_close", args=[meeting.pk]) in last
    # Before attendance, no quorum explanation on the item: a pointer to take it.
    assert "to see the quorum" in page and "voting members present; 9 needed" not in page


def test_htmx_saves_update_the_item_in_place(clerk, km, meeting):
    mark_present(km, meeting, VOTERS)
    item = business_item(meeting)

    def act(what, data):
        url = reverse("record:mode_act", args=[meeting.pk, item.pk, what])
        response = clerk.post(url, data, **HX)
        assert response.status_code == 200
        body = response.content.decode()
        # The panel only, ready to swap in: no page around it.
        assert body.lstrip().startswith('<div id="item-panel"') and "<html" not in body
        return body

    body = act(
        "declaration",
        {"person": km.p("icb_ned").pk, "interest": "Director of Acme", "action": "not_voting"},
    )
    assert "Declaration recorded." in body and "Director of Acme" in body
    body = act(
        "decision",
        {"text": "Award the contract.", "method": "vote", "votes_for": "3", "votes_against": "12"},
    )
    assert "The motion was lost" in body and Decision.objects.get().number == ""
    body = act("decision", {"text": "Retender the contract.", "method": "consensus"})
    assert "KMICP/2026/01" in body
    body = act(
        "action",
        {"description": "Retender.", "owner": km.p("icb_chair").pk, "due": "2026-04-30"},
    )
    assert "Action recorded." in body and "Retender." in body
    body = act("note", {"discussion": "Members asked about the price."})
    assert ItemNote.objects.get(item=item).discussion == "Members asked about the price."
    # A refusal comes back in the panel with its reason, the text kept.
    body = act("action", {"description": "Too early.", "owner": km.p("icb_chair").pk,
                          "due": "2026-01-01"})  # fmt: skip
    assert "cannot be due before the meeting" in body and "Too early." in body
    assert Action.objects.count() == 1


def test_without_javascript_a_save_redirects_back_to_the_item(clerk, km, meeting):
    mark_present(km, meeting, VOTERS)
    item = business_item(meeting)
    url = reverse("record:mode_act", args=[meeting.pk, item.pk, "declaration"])
    response = clerk.post(
        url, {"person": km.p("icb_ned").pk, "interest": "Acme", "action": "withdrew"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("record:mode_item", args=[meeting.pk, item.pk]) + "#declarations"
    )
    assert Declaration.objects.filter(item=item).count() == 1
    refused = clerk.post(
        reverse("record:mode_act", args=[meeting.pk, item.pk, "decision"]),
        {"text": "", "method": "consensus"},
    )
    assert refused.status_code == 400 and "<html" in refused.content.decode()


def test_close_takes_the_finish_time_and_goes_to_the_minutes(clerk, km, meeting):
    MeetingRecord.objects.create(meeting=meeting, started_at=dt.time(14, 0))
    url = reverse("record:mode_close", args=[meeting.pk])
    bad = clerk.post(url, {"finished-at": "13:30"})
    assert bad.status_code == 400 and "cannot finish (13:30)" in bad.content.decode()
    response = clerk.post(url, {"finished-at": "16:20"})
    assert response["Location"] == reverse("record:minutes_edit", args=[meeting.pk])
    assert MeetingRecord.objects.get(meeting=meeting).finished_at == dt.time(16, 20)


def test_pick_lists_offer_the_committees_own_first_the_rest_on_request(clerk, km, meeting):
    mark_present(km, meeting, VOTERS)
    stranger = Person.objects.create(first_name="Zed", last_name="Elsewhere", email="z@e.org")
    other_org = Organisation.objects.create(name="Unrelated Trust")
    item = business_item(meeting)
    url = reverse("record:mode_item", args=[meeting.pk, item.pk])
    page = clerk.get(url).content.decode()
    assert 'optgroup label="Kent and Medway ICP"' in page
    assert "Zed Elsewhere" not in page and "Show everyone in the installation" in page
    everyone = clerk.get(url + "?everyone=1").content.decode()
    assert 'optgroup label="Everyone else"' in everyone and "Zed Elsewhere" in everyone
    assert everyone.index("Kcc Leader Testperson") < everyone.index("Zed Elsewhere")
    # Someone from the longer list is still accepted.
    clerk.post(
        reverse("record:mode_act", args=[meeting.pk, item.pk, "action"]),
        {"description": "Advise.", "owner": stranger.pk, "due": "2026-04-30"},
    )
    assert Action.objects.get().owner == stranger
    # The agenda item form: report author and lead organisation, the committee's own first.
    edit = reverse("agenda:item_edit", args=[item.pk])
    form = clerk.get(edit).content.decode()
    assert "Organisations of Kent and Medway ICP" in form and "Unrelated Trust" not in form
    assert "Acme Care Limited" in form  # the item's own lead organisation is kept
    assert "Unrelated Trust" in clerk.get(edit + "?everyone=1").content.decode()
    assert other_org.pk


def test_record_screen_does_not_repeat_the_quorum_on_every_row_before_attendance(clerk, meeting):
    page = clerk.get(reverse("record:screen", args=[meeting.pk])).content.decode()
    assert page.count("Attendance not taken yet") == meeting.agenda.items.count()
    assert page.count("0 voting members present; 9 needed") <= 1


def test_before_attendance_the_record_raises_no_quorum_or_attendance_alarm(clerk, km, meeting):
    # Seen in the demo: the record of tomorrow's meeting opened with a red "Not quorate at the
    # start" and "No public health representative was in attendance for items 1, …, 14"
    # before anyone had been recorded.
    km.committee.rules.public_health_seats.set([seat_of(km, "participant")])
    url = reverse("record:screen", args=[meeting.pk])
    page = clerk.get(url).content.decode()
    assert "Attendance has not been taken yet" in page
    assert "Not quorate at the start" not in page
    assert "No public health representative" not in page
    clerk.post(reverse("record:mode", args=[meeting.pk]), {"all_present": "1"})
    page = clerk.get(url).content.decode()
    assert "Attendance has not been taken yet" not in page
    assert "Quorate at the start" in page
    Attendance.objects.filter(meeting=meeting, person=km.p("participant")).delete()
    page = clerk.get(url).content.decode()
    assert "No public health representative was in attendance" in page
