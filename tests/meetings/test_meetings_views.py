"""The secretariat's meeting screens, per persona; closure days; the communications page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from committees.models import ClosureDay, Committee, CommitteeRules
from communications.models import OutboxMessage
from meetings.models import Meeting
from meetings.scheduling.services import schedule_meeting
from tests.conftest import PASSWORD

D = dt.date
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2025, 12, 1, 10, tzinfo=LONDON), tick=False) as t:
        yield t


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def meeting(committee, personas, clock):
    return schedule_meeting(
        committee=committee, date=D(2026, 1, 6), start_time=dt.time(14), venue="Sessions House"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,status",
    [
        ("secretariat", 200),
        ("admin", 200),
        ("chair", 404),
        ("member", 404),
        ("observer", 404),
        ("outsider", 404),
    ],
)
def test_only_the_secretariat_sees_meeting_screens(client, personas, meeting, persona, status):
    signed_in(client, personas[persona])
    for url in [
        reverse("meetings_admin:meeting_list", args=["test-jc"]),
        reverse("meetings_admin:meeting", args=["test-jc", meeting.pk]),
        reverse("meetings_admin:meeting_create", args=["test-jc"]),
        reverse("meetings_admin:meeting_reschedule", args=["test-jc", meeting.pk]),
        reverse("meetings_admin:meeting_cancel", args=["test-jc", meeting.pk]),
    ]:
        assert client.get(url).status_code == status, url


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, meeting):
    response = client.get(reverse("meetings_admin:meeting_list", args=["test-jc"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_schedule_a_meeting(client, personas, committee, clock):
    signed_in(client, personas["secretariat"])
    response = client.post(
        reverse("meetings_admin:meeting_create", args=["test-jc"]),
        {
            "date": "2026-02-10",
            "start_time": "10:00",
            "end_time": "12:00",
            "venue": "Gun Wharf",
            "online_link": "",
            "kind": "ordinary",
            "urgent_reason": "",
            "is_public": "True",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_secretariat_url()
    assert (meeting.date, meeting.venue, meeting.is_public) == (D(2026, 2, 10), "Gun Wharf", True)
    assert meeting.changes.get().kind == "scheduled"


@pytest.mark.django_db
def test_scheduling_too_soon_shows_the_earliest_date_and_keeps_the_input(
    client, personas, committee, clock
):
    signed_in(client, personas["secretariat"])
    response = client.post(
        reverse("meetings_admin:meeting_create", args=["test-jc"]),
        {
            "date": "2025-12-03",
            "start_time": "10:00",
            "venue": "Gun Wharf",
            "kind": "ordinary",
            "is_public": "True",
        },
    )
    assert response.status_code == 200
    # Notice today (Mon 1 Dec 2025): five clear working days 2 to 8 Dec; earliest Tue 9 Dec.
    assert "Tuesday 9 December 2025" in response.content.decode()
    assert 'value="Gun Wharf"' in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_meeting_page_shows_each_deadline_and_its_state(
    client, personas, meeting, django_assert_max_num_queries
):
    signed_in(client, personas["secretariat"])
    with django_assert_max_num_queries(14):
        response = client.get(meeting.get_secretariat_url())
    page = response.content.decode()
    for label in [
        "Notice of the meeting",
        "Agenda and papers",
        "Members&#x27; requests for agenda items",
        "Urgent agenda item requests",
        "Report authors",
        "Draft minutes circulated",
    ]:
        assert label in page
    assert "Wed 24 Dec 2025" in page
    assert "Upcoming" in page and "working days left" in page


@pytest.mark.django_db
def test_issue_notice_from_the_page(client, personas, meeting):
    signed_in(client, personas["secretariat"])
    url = reverse("meetings_admin:meeting_notice", args=["test-jc", meeting.pk])
    # The button on the meeting page leads to the check page: nothing is sent yet.
    check = client.post(url)
    assert check.status_code == 200
    assert "Check before you send" in check.content.decode()
    assert not OutboxMessage.objects.exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(message_name="notice").count() == 3
    page = client.get(meeting.get_secretariat_url()).content.decode()
    assert "Met" in page and "Notice queued for 3" in page


@pytest.mark.django_db
def test_notice_get_only_shows_the_check_page(client, personas, meeting):
    signed_in(client, personas["secretariat"])
    response = client.get(reverse("meetings_admin:meeting_notice", args=["test-jc", meeting.pk]))
    assert response.status_code == 200
    assert "Check before you send" in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_late_notice_from_the_page_is_refused_with_a_message(client, personas, meeting, clock):
    clock.move_to(dt.datetime(2025, 12, 29, 10, tzinfo=LONDON))
    signed_in(client, personas["secretariat"])
    response = client.post(
        reverse("meetings_admin:meeting_notice", args=["test-jc", meeting.pk]),
        {"confirm": "1"},
        follow=True,
    )
    assert "Notice had to be given by Wednesday 24 December 2025" in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_urgent_reason_is_shown_on_the_meeting_page(client, personas, committee, clock):
    urgent = schedule_meeting(
        committee=committee,
        date=D(2025, 12, 4),
        start_time=dt.time(9),
        venue="Hall",
        kind="urgent",
        urgent_reason="Winter pressures decision",
    )
    signed_in(client, personas["secretariat"])
    assert "Winter pressures decision" in client.get(urgent.get_secretariat_url()).content.decode()


@pytest.mark.django_db
def test_reschedule_and_cancel_keep_the_reason(client, personas, meeting):
    signed_in(client, personas["secretariat"])
    client.post(
        reverse("meetings_admin:meeting_reschedule", args=["test-jc", meeting.pk]),
        {
            "date": "2026-01-13",
            "start_time": "14:00",
            "venue": "Sessions House",
            "kind": "ordinary",
            "is_public": "True",
            "reason": "Chair unavailable",
        },
    )
    meeting.refresh_from_db()
    assert meeting.date == D(2026, 1, 13)
    cancel = reverse("meetings_admin:meeting_cancel", args=["test-jc", meeting.pk])
    check = client.post(cancel, {"reason": "No business"})
    assert "Check before you send" in check.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    client.post(cancel, {"reason": "No business", "confirm": "1"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    page = client.get(meeting.get_secretariat_url()).content.decode()
    assert "Chair unavailable" in page and "No business" in page


@pytest.mark.django_db
def test_list_warns_when_meetings_are_further_apart_than_the_rules_allow(
    client, personas, committee, clock
):
    Meeting.objects.create(committee=committee, date=D(2025, 3, 1), start_time=dt.time(10))
    Meeting.objects.create(committee=committee, date=D(2025, 5, 1), start_time=dt.time(10))
    signed_in(client, personas["secretariat"])
    page = client.get(reverse("meetings_admin:meeting_list", args=["test-jc"])).content.decode()
    assert "No meeting since 1 May 2025" in page
    assert "at least every 3 months" in page
    Meeting.objects.create(committee=committee, date=D(2025, 7, 1), start_time=dt.time(10))
    Meeting.objects.create(committee=committee, date=D(2026, 1, 6), start_time=dt.time(10))
    page = client.get(reverse("meetings_admin:meeting_list", args=["test-jc"])).content.decode()
    assert "between the meetings of 1 July 2025 and 6 January 2026" in page
    assert "No meeting since" not in page


@pytest.mark.django_db
def test_meeting_list_costs_a_fixed_number_of_queries(
    client, personas, committee, clock, django_assert_max_num_queries
):
    for month in range(1, 13):
        Meeting.objects.create(committee=committee, date=D(2026, month, 10), start_time=dt.time(10))
    signed_in(client, personas["secretariat"])
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("meetings_admin:meeting_list", args=["test-jc"])).status_code == 200
        )


@pytest.mark.django_db
def test_staff_add_and_remove_closure_days(client, personas, committee, clock):
    signed_in(client, personas["secretariat"])
    url = reverse("meetings_admin:closure_days")
    data = {"committee": committee.pk, "region": ""}
    client.post(url, {"date": "2025-12-29", "description": "Offices closed", **data})
    day = ClosureDay.objects.get()
    assert day.committee == committee
    assert "Offices closed" in client.get(url).content.decode()
    response = client.post(url, {"date": "2025-12-29", "description": "Again", **data})
    assert "already a closure day" in response.content.decode()
    client.post(reverse("meetings_admin:closure_day_delete", args=[day.pk]))
    assert not ClosureDay.objects.exists()


@pytest.mark.django_db
def test_a_closure_day_goes_to_no_committee_the_user_did_not_choose(
    client, personas, committee, clock
):
    # A secretariat of a committee and its sub-committee: the form chose the first by name
    # ("Broadening ..." in the demo), so a day added without looking went to the sub-committee.
    sub = Committee.objects.create(
        name="A Sub-committee", slug="a-sub", purpose="Testing.", parent=committee
    )
    CommitteeRules.objects.create(committee=sub)
    sub.secretariat.add(personas["secretariat"])
    signed_in(client, personas["secretariat"])
    url = reverse("meetings_admin:closure_days")
    page = client.get(url).content.decode()
    assert '<option value="" selected>Choose a committee</option>' in page
    assert '<option value="" selected>Every region</option>' in page
    assert "For example, 29 12 2026" in page
    response = client.post(url, {"date": "2025-12-29", "description": "Closed", "region": ""})
    assert "Choose the committee the closure day applies to" in response.content.decode()
    assert not ClosureDay.objects.exists()
    client.post(url, {"date": "2025-12-29", "description": "Closed", "committee": committee.pk})
    assert ClosureDay.objects.get().committee == committee
    assert "Every region" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_secretariat_of_one_committee_has_it_chosen(client, personas, committee, clock):
    signed_in(client, personas["secretariat"])
    page = client.get(reverse("meetings_admin:closure_days")).content.decode()
    # Its one committee is the select's only option, so the browser shows it chosen.
    committee_select = page.split('name="committee"')[1].split("</select>")[0]
    assert committee_select.count("<option") == 1
    assert f'<option value="{committee.pk}">' in committee_select


@pytest.mark.django_db
def test_members_cannot_manage_closure_days(client, personas):
    signed_in(client, personas["member"])
    assert client.get(reverse("meetings_admin:closure_days")).status_code == 404
