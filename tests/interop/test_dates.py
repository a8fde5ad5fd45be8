"""Issue 16 points 7-8: dates outside 2000-2100 and numbers too big for a date are refused with a
message (a form error, never a 500)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from icp_secretariat.lib.dates import RANGE_MESSAGE
from meetings.errors import MeetingError
from meetings.models import Meeting
from meetings.scheduling.services import schedule_meeting
from members.models import Interest
from tests.members.test_interests_views import form_data


def _declare(client, **start):
    return client.post(
        reverse("portal:interests_declare"),
        form_data(
            description="Kept text",
            start_date_0=start.get("day", "1"),
            start_date_1=start.get("month", "4"),
            start_date_2=start.get("year", "2024"),
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start,message",
    [
        ({"year": "99999999999999999999"}, "Enter a real date"),
        ({"day": "99999999999999999999"}, "Enter a real date"),
        ({"month": "99999999999999999999"}, "Enter a real date"),
        ({"year": "9" * 5000}, "Enter a real date"),
        ({"month": "13"}, "Enter a month from 1 to 12"),
        ({"day": "31", "month": "2"}, "that month has no day 31"),
        ({"year": "1999"}, RANGE_MESSAGE),
        ({"year": "2101"}, RANGE_MESSAGE),
    ],
)
def test_interest_dates_too_big_or_out_of_range_are_form_errors(client, personas, start, message):
    client.force_login(personas["member"])
    response = _declare(client, **start)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Kept text" in body
    assert not Interest.objects.exists()


@pytest.mark.django_db
def test_interest_dates_at_the_ends_of_the_range_are_accepted(client, personas):
    client.force_login(personas["member"])
    assert _declare(client, day="1", month="1", year="2000").status_code == 302


MEETING = {
    "start_time": "10:00",
    "venue": "Gun Wharf",
    "kind": "ordinary",
    "is_public": "True",
}


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01"])
def test_a_meeting_dated_past_2100_is_refused_by_the_form(client, personas, committee, day):
    client.force_login(personas["secretariat"])
    response = client.post(
        reverse("meetings_admin:meeting_create", args=["test-jc"]), {"date": day, **MEETING}
    )
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()
    assert client.get(reverse("meetings_admin:meeting_list", args=["test-jc"])).status_code == 200


@pytest.mark.django_db
def test_a_meeting_dated_past_2100_is_refused_by_the_service(committee):
    with pytest.raises(MeetingError, match="between 1 January 2000 and 31 December 2100"):
        schedule_meeting(
            committee=committee, date=dt.date(9999, 12, 31), start_time=dt.time(14), venue="Hall"
        )
    assert not Meeting.objects.exists()
