"""The in-meeting screen, the item record and the minutes editor, as each persona gets them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings.conduct import services as record
from meetings.models import Attendance, Decision, Declaration, Minutes
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
)

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def meeting(km):
    return meeting_with_agenda(km, DAY)


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["outsider", "kcc_exec1", "participant", "observer", None])
def test_record_screens_are_404_to_all_but_the_secretariat(client, km, meeting, who):
    user = km.users[who] if who else None
    c = _client(client, user)
    item = business_item(meeting)
    for url in (
        reverse("record:screen", args=[meeting.pk]),
        reverse("record:item", args=[meeting.pk, item.pk]),
        reverse("record:minutes_edit", args=[meeting.pk]),
    ):
        response = c.get(url)
        assert response.status_code in (404, 302), url
        if user is not None:
            assert response.status_code == 404
    response = c.post(
        reverse("record:decide", args=[meeting.pk, item.pk]), {"text": "x", "method": "consensus"}
    )
    assert response.status_code in (302, 404) and not Decision.objects.exists()


def test_attendance_form_records_statuses_and_the_screen_shows_the_quorum(client, km, meeting):
    c = _client(client, km.users["secretariat"])
    item = business_item(meeting)
    data = {"person": [km.p(k).pk for k in QUORATE_NINE + ["district4"]]}
    for k in QUORATE_NINE:
        data[f"status-{km.p(k).pk}"] = "present"
    data[f"left-{km.p('district1').pk}"] = str(item.pk)
    data[f"status-{km.p('district4').pk}"] = "apologies"
    response = c.post(reverse("record:attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 9
    assert Attendance.objects.get(person=km.p("district4")).status == "apologies"
    page = c.get(reverse("record:screen", args=[meeting.pk])).content.decode()
    assert "Quorate at the start" in page
    assert f"The meeting became inquorate at item {item.number}" in page
    assert "8 voting members present; 9 needed" in page


def test_decision_refused_while_inquorate_says_why_and_keeps_the_text(client, km, meeting):
    mark_present(km, meeting, QUORATE_NINE[:-1])
    c = _client(client, km.users["secretariat"])
    item = business_item(meeting)
    response = c.post(
        reverse("record:decide", args=[meeting.pk, item.pk]),
        {"text": "Award the contract to Acme.", "method": "consensus"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not quorate for item" in page and "Award the contract to Acme." in page
    assert not Decision.objects.exists()


def test_declaration_suggested_from_registered_interest_and_recorded(client, km, meeting):
    from members.interests import declare_interest, publish_interest

    mark_present(km, meeting, QUORATE_NINE)
    interest = declare_interest(
        person=km.p("icb_ned"),
        category="financial",
        involved="Acme Care Limited",
        description="Non-executive director",
        start_date=dt.date(2024, 1, 1),
        by=None,
    )
    publish_interest(interest=interest, by=km.users["secretariat"])
    c = _client(client, km.users["secretariat"])
    item = business_item(meeting)
    page = c.get(reverse("record:item", args=[meeting.pk, item.pk])).content.decode()
    assert "Possible conflicts" in page and "Acme Care Limited" in page
    response = c.post(
        reverse("record:declare", args=[meeting.pk, item.pk]),
        {"person": km.p("icb_ned").pk, "interest": "Director of Acme", "action": "withdrew"},
    )
    assert response.status_code == 302
    assert Declaration.objects.get().action == "withdrew"
    page = c.get(reverse("record:item", args=[meeting.pk, item.pk])).content.decode()
    assert "Not quorate" in page


def test_vote_by_name_through_the_form(client, km, meeting):
    mark_present(km, meeting, QUORATE_NINE + ["kcc_exec2"])
    c = _client(client, km.users["secretariat"])
    item = business_item(meeting)
    data = {"text": "Award.", "method": "vote"}
    for k in QUORATE_NINE[:6]:
        data[f"vote-{km.p(k).pk}"] = "for"
    for k in QUORATE_NINE[6:]:
        data[f"vote-{km.p(k).pk}"] = "against"
    response = c.post(reverse("record:decide", args=[meeting.pk, item.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    d = Decision.objects.get()
    assert (d.votes_for, d.votes_against, d.passed) == (6, 3, True)


def _busy_meeting(km, meeting, n_actions: int):
    mark_present(km, meeting, QUORATE_NINE)
    item = business_item(meeting)
    record.record_declaration(
        item=item, person=km.p("icb_ned"), interest="x", action=Declaration.Action.PERMITTED
    )
    for n in range(n_actions):
        record.record_decision(item=item, text=f"Decision {n}")
        record.add_action(
            meeting=meeting, item=item, description=f"A{n}", owner=km.p("icb_chair"), due=DAY
        )


def test_record_screen_and_item_page_cost_fixed_queries(
    client, km, meeting, django_assert_max_num_queries
):
    c = _client(client, km.users["secretariat"])
    _busy_meeting(km, meeting, 1)
    item = business_item(meeting)
    c.get(reverse("record:screen", args=[meeting.pk]))  # warm the session
    with django_assert_max_num_queries(40) as small:
        assert c.get(reverse("record:screen", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(45) as small_item:
        assert c.get(reverse("record:item", args=[meeting.pk, item.pk])).status_code == 200
    _busy_meeting(km, meeting, 6)
    mark_present(km, meeting, ["kcc_exec2", "medway_exec2", "icb_partner", "district4"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(reverse("record:screen", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(len(small_item.captured_queries)):
        assert c.get(reverse("record:item", args=[meeting.pk, item.pk])).status_code == 200


def test_minutes_editor_generates_edits_and_refuses_in_place_edits_once_approved(
    client, km, meeting
):
    mark_present(km, meeting, QUORATE_NINE)
    c = _client(client, km.users["secretariat"])
    url = reverse("record:minutes_edit", args=[meeting.pk])
    c.post(reverse("record:minutes_action", args=[meeting.pk, "generate"]))
    minutes = Minutes.objects.get()
    c.post(url, {"section-quorum": "Quorate throughout (edited)."})
    minutes.refresh_from_db()
    assert "Quorate throughout (edited)." in [s["text"] for s in minutes.sections]
    Minutes.objects.filter(pk=minutes.pk).update(state="approved")
    response = c.post(url, {"section-quorum": "Sneaky change.", "reason": ""}, follow=True)
    assert "Say why the minutes are corrected" in response.content.decode()
    minutes.refresh_from_db()
    assert "Sneaky change." not in [s["text"] for s in minutes.sections]
    c.post(url, {"section-quorum": "Quorate.", "reason": "Wording agreed."})
    assert list(Minutes.objects.values_list("version", "is_current")) == [(2, True), (1, False)]


@pytest.mark.parametrize("bad", ["https://evil.example/", "//evil.example/x"])
def test_action_update_never_redirects_to_another_site(client, km, meeting, bad):
    item = business_item(meeting)
    action = record.add_action(
        meeting=meeting, item=item, description="Write up", owner=km.p("icb_chair"), due=DAY
    )
    c = _client(client, km.users["secretariat"])
    url = reverse("record:action_update", args=[action.pk])
    response = c.post(url, {"state": "open", "update": "", "next": bad})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"].startswith("/")
    screen = reverse("record:screen", args=[meeting.pk])
    response = c.post(url, {"state": "open", "update": "", "next": screen})
    assert response["Location"] == screen
