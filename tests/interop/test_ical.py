"""Issue 16.10: calendar invitations read the same in Mozilla's ical.js (Thunderbird, Nextcloud)
and Python's icalendar: winter meetings at the right hour, an ATTENDEE per recipient (RFC 5546
REQUEST and CANCEL), the invitation as a `text/calendar; method=...` alternative part."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from email import message_from_bytes
from pathlib import Path

import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from communications.models import OutboxMessage
from communications.services import deliver_message
from meetings.scheduling.services import cancel_meeting, issue_notice, schedule_meeting
from tests.conftest import REQUIRE_SERVICES

ICAL_JS = Path(__file__).resolve().parent.parent / "ical_js"
UTC = dt.UTC


@pytest.fixture(scope="session")
def ical_js() -> Path:
    """tests/ical_js with its locked ical.js installed (`npm ci`, once per fresh clone)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        if REQUIRE_SERVICES:
            pytest.fail("Node.js and npm are required (REQUIRE_SERVICES=1)")
        pytest.skip("Node.js not available")
    if not (ICAL_JS / "node_modules" / "ical.js" / "package.json").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ICAL_JS, check=True, timeout=300)
    return ICAL_JS


def read_with_ical_js(ical_js: Path, text: str | bytes) -> dict:
    result = subprocess.run(
        ["node", "read.mjs"],
        cwd=ical_js,
        input=text if isinstance(text, bytes) else text.encode(),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


@pytest.fixture
def meetings(personas, committee):
    with time_machine.travel(dt.datetime(2025, 12, 1, 10, 0), tick=False):
        return [
            schedule_meeting(
                committee=committee,
                date=day,
                start_time=dt.time(14),
                end_time=dt.time(16),
                venue="Sessions House",
            )
            for day in (dt.date(2026, 1, 6), dt.date(2026, 7, 7), dt.date(2026, 11, 3))
        ]


# 14:00 in London: GMT in January and November, BST in July.
EXPECTED_UTC = ["2026-01-06T14:00:00.000Z", "2026-07-07T13:00:00.000Z", "2026-11-03T14:00:00.000Z"]


def _calendar_part(email):
    parsed = message_from_bytes(email.message().as_bytes())
    alternatives = [
        part
        for part in parsed.walk()
        if part.get_content_type() == "text/calendar" and not part.get_filename()
    ]
    assert len(alternatives) == 1
    [part] = alternatives
    # The calendar is an alternative of the message body, beside text and HTML.
    container = next(p for p in parsed.walk() if p.get_content_type() == "multipart/alternative")
    assert part in container.get_payload()
    return part


@pytest.mark.django_db
def test_invitations_name_the_recipient_and_keep_winter_hours(meetings, ical_js):
    winter = meetings[0]
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        pks = issue_notice(meeting=winter)
        for pk in pks:
            assert deliver_message(pk=pk) == "sent"
    assert len(mail.outbox) == len(pks) == 3
    for email in mail.outbox:
        recipient = email.to[0].rsplit("<", 1)[-1].rstrip(">")
        part = _calendar_part(email)
        assert part.get_param("method") == "REQUEST"
        ics = part.get_payload(decode=True)
        seen = read_with_ical_js(ical_js, ics)
        assert seen["method"] == "REQUEST"
        [event] = seen["events"]
        assert event["start"] == EXPECTED_UTC[0] and event["end"] == "2026-01-06T16:00:00.000Z"
        assert [a["value"] for a in event["attendees"]] == [f"mailto:{recipient}"]
        assert event["attendees"][0]["role"] == "REQ-PARTICIPANT"
        # And Python's icalendar reads the same.
        [vevent] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
        assert vevent.decoded("DTSTART").astimezone(UTC) == dt.datetime(2026, 1, 6, 14, tzinfo=UTC)
        assert str(vevent["ATTENDEE"]) == f"mailto:{recipient}"
        assert b"RDATE" not in ics


@pytest.mark.django_db
def test_cancellations_name_the_recipient(meetings, ical_js):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        for pk in issue_notice(meeting=meetings[0]):
            deliver_message(pk=pk)  # a cancellation goes to those who had the notice
        cancel_meeting(meeting=meetings[0], reason="Not quorate")
    cancels = OutboxMessage.objects.exclude(message_name="notice")
    assert cancels.count() == 3
    for message in cancels:
        assert deliver_message(pk=message.pk) == "sent"
    cancelled = [e for e in mail.outbox if "CANCEL" in str(_calendar_part(e).get_param("method"))]
    assert len(cancelled) == cancels.count()
    for email in cancelled:
        recipient = email.to[0].rsplit("<", 1)[-1].rstrip(">")
        seen = read_with_ical_js(ical_js, _calendar_part(email).get_payload(decode=True))
        assert seen["method"] == "CANCEL"
        [event] = seen["events"]
        assert [a["value"] for a in event["attendees"]] == [f"mailto:{recipient}"]
        assert event["start"] == EXPECTED_UTC[0]


@pytest.mark.django_db
def test_the_public_calendar_keeps_winter_and_summer_hours(client, meetings, ical_js):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        response = client.get(reverse("feeds:committee_ics", args=["test-jc"]))
    assert response.status_code == 200 and b"RDATE" not in response.content
    seen = read_with_ical_js(ical_js, response.content)
    assert [e["start"] for e in seen["events"]] == EXPECTED_UTC
    parsed = icalendar.Calendar.from_ical(response.content)
    starts = [e.decoded("DTSTART").astimezone(UTC) for e in parsed.walk("VEVENT")]
    assert [s.strftime("%Y-%m-%dT%H:%M:%S.000Z") for s in starts] == EXPECTED_UTC
