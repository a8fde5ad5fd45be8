"""The member's meeting page shows the online joining link; times read 14:00 everywhere."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from meetings.models import Meeting
from tests.conftest import PASSWORD

JOIN = "https://meet.example.org/test-jc?id=1"


@pytest.mark.django_db
def test_the_member_sees_the_joining_link_and_the_public_do_not(client, committee, personas):
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2030, 6, 4),
        start_time=dt.time(14, 0),
        end_time=dt.time(16, 30),
        venue="Hall",
        online_link=JOIN,
    )
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "meet.example.org" not in public
    assert "14:00 to 16:30" in public and "p.m." not in public
    client.login(username="member", password=PASSWORD)
    mine = client.get(reverse("portal_meetings:meeting", args=[meeting.pk])).content.decode()
    assert 'href="https://meet.example.org/test-jc?id=1"' in mine
    assert "Join the meeting online" in mine
    client.logout()
    client.login(username="outsider", password=PASSWORD)
    assert "meet.example.org" not in client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_meeting_already_held_offers_no_joining_link_and_no_item_request(
    client, committee, personas
):
    # Seen in the demo: the member's page of August's meeting, held months before, still
    # offered "Join the meeting online" and "Request an item for this meeting".
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2026, 6, 4),
        start_time=dt.time(14, 0),
        venue="Hall",
        online_link=JOIN,
    )
    client.login(username="member", password=PASSWORD)
    url = reverse("portal_meetings:meeting", args=[meeting.pk])
    with time_machine.travel(dt.datetime(2026, 6, 4, 9, 0, tzinfo=dt.UTC)):  # the day itself
        page = client.get(url).content.decode()
    assert "Join the meeting online" in page and "Request an item for this meeting" in page
    with time_machine.travel(dt.datetime(2026, 6, 5, 9, 0, tzinfo=dt.UTC)):
        page = client.get(url).content.decode()
    assert "Join the meeting online" not in page and "meet.example.org" not in page
    assert "Request an item for this meeting" not in page


@pytest.mark.django_db
def test_a_cancelled_meeting_offers_no_joining_link_calendar_entry_or_agenda_to_come(
    client, committee, personas
):
    # Seen in the demo: the member's page of the cancelled meeting of 30 March offered "Join the
    # meeting online" and "Add this meeting to your calendar", and the offline reader said its
    # agenda "has not been published yet".
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2030, 6, 4),
        start_time=dt.time(14, 0),
        venue="Hall",
        online_link=JOIN,
        status=Meeting.Status.CANCELLED,
    )
    client.login(username="member", password=PASSWORD)
    page = client.get(reverse("portal_meetings:meeting", args=[meeting.pk])).content.decode()
    assert "This meeting has been cancelled" in page
    assert "Join the meeting online" not in page and "meet.example.org" not in page
    assert "Add this meeting to your calendar" not in page
    assert "Request an item for this meeting" not in page
    reader = client.get(reverse("portal:reader_meeting", args=[meeting.pk])).content.decode()
    assert "This meeting has been cancelled: no agenda will be published." in reader
    assert "has not been published yet" not in reader
    client.logout()
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "This meeting has been cancelled" in public
    assert "Add this meeting to your calendar" not in public


@pytest.mark.django_db
def test_a_meeting_held_online_only_says_so(client, committee, personas):
    # Seen in the demo: the public page of M&SE's extraordinary meeting (no venue, an online
    # link the public are not given) said nothing of where it was held.
    meeting = Meeting.objects.create(
        committee=committee, date=dt.date(2030, 6, 4), start_time=dt.time(9), online_link=JOIN
    )
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "Held online only" in public and "meet.example.org" not in public
    meeting.venue = "Hall"
    meeting.save(update_fields=["venue"])
    assert "Held online only" not in client.get(meeting.get_absolute_url()).content.decode()


def test_every_template_shows_times_on_the_24_hour_clock():
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = []
    for path in templates.rglob("*.*"):
        for fmt in re.findall(r"\|time:\"([^\"]*)\"", path.read_text()):
            if fmt not in ("H:i", "H:i:s"):
                offenders.append(f"{path.relative_to(templates)}: {fmt}")
    assert offenders == []
