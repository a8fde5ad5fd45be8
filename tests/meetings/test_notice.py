"""Issuing the notice of a meeting: who gets it, what it says, and when it is refused."""

import datetime as dt
from email import message_from_string
from urllib.parse import urlparse

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core import mail

from communications.models import OutboxMessage
from communications.services import deliver_message
from meetings.errors import MeetingError
from meetings.models import Meeting, MeetingChange
from meetings.scheduling.services import (
    cancel_meeting,
    issue_notice,
    reschedule_meeting,
    schedule_meeting,
)

D = dt.date
T = dt.time


@pytest.fixture
def meeting(personas, committee):
    with time_machine.travel(dt.datetime(2025, 12, 1, 10, 0), tick=False):
        return schedule_meeting(
            committee=committee,
            date=D(2026, 1, 6),
            start_time=T(14),
            end_time=T(16),
            venue="Sessions House, Maidstone",
            by=personas["secretariat"],
        )


def ics_of(message):
    [attachment] = message.attachments
    return icalendar.Calendar.from_ical(attachment["content"])


@pytest.mark.django_db
def test_notice_goes_to_every_current_member_and_participant(meeting, personas):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        issue_notice(meeting=meeting, by=personas["secretariat"])
    sent_to = set(
        OutboxMessage.objects.filter(message_name="notice").values_list("recipient", flat=True)
    )
    assert sent_to == {"chair@example.org", "member@example.org", "participant@example.org"}
    meeting.refresh_from_db()
    assert meeting.notice_given_at is not None
    assert MeetingChange.objects.filter(meeting=meeting, kind="notice").exists()


@pytest.mark.django_db
def test_notice_says_date_time_place_and_carries_an_invitation(meeting, committee):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        issue_notice(meeting=meeting)
    message = OutboxMessage.objects.filter(message_name="notice").first()
    assert message.subject == "Test Joint Committee: meeting on Tuesday 6 January 2026"
    assert "Tuesday 6 January 2026" in message.body_text
    assert "14:00 to 16:00" in message.body_text
    assert "Sessions House, Maidstone" in message.body_text
    assert "Sessions House, Maidstone" in message.body_html
    assert "Test Joint Committee secretariat" in message.from_email
    cal = ics_of(message)
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@{urlparse(settings.SITE_URL).hostname}"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == dt.datetime(
        2026, 1, 6, 14, 0, tzinfo=event.decoded("DTSTART").tzinfo
    )
    assert str(event["LOCATION"]) == "Sessions House, Maidstone"


@pytest.mark.django_db
def test_sent_notice_has_html_text_and_calendar_parts(meeting):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        [pk, *_] = issue_notice(meeting=meeting)
        assert deliver_message(pk=pk) == "sent"
    [email] = mail.outbox
    parsed = message_from_string(email.message().as_string())
    types = [part.get_content_type() for part in parsed.walk()]
    assert "text/plain" in types and "text/html" in types and "text/calendar" in types


@pytest.mark.django_db
def test_late_notice_is_refused_unless_urgent(meeting):
    # The notice deadline for 6 January 2026 is Wednesday 24 December 2025.
    with time_machine.travel(dt.datetime(2025, 12, 29, 9, 0), tick=False):
        with pytest.raises(MeetingError, match="24 December 2025"):
            issue_notice(meeting=meeting)
        assert not OutboxMessage.objects.exists()
        Meeting.objects.filter(pk=meeting.pk).update(kind="urgent", urgent_reason="Budget deadline")
        # K&M ToR 7.3 (the default rules): the Leadership Team's agreement, or why not, first.
        with pytest.raises(MeetingError, match="Leadership Team's agreement"):
            issue_notice(meeting=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(
            leadership_not_possible="The Leader of Medway Council could not be reached."
        )
        issue_notice(meeting=meeting)
    message = OutboxMessage.objects.filter(message_name="notice").first()
    assert "Budget deadline" in message.body_text
    assert "Budget deadline" in message.body_html
    assert "urgent" in message.subject


@pytest.mark.django_db
def test_notice_issued_twice_sends_one_copy_each(meeting):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        issue_notice(meeting=meeting)
        issue_notice(meeting=meeting)
    assert OutboxMessage.objects.filter(message_name="notice").count() == 3


@pytest.mark.django_db
def test_scheduling_too_late_for_notice_gives_the_earliest_date(committee):
    with time_machine.travel(dt.datetime(2025, 12, 22, 10, 0), tick=False):
        with pytest.raises(MeetingError) as refused:
            schedule_meeting(
                committee=committee, date=D(2025, 12, 30), start_time=T(10), venue="Hall"
            )
        assert "Friday 2 January 2026" in str(refused.value)
        assert not Meeting.objects.exists()
        with pytest.raises(MeetingError, match="reason"):
            schedule_meeting(
                committee=committee,
                date=D(2025, 12, 30),
                start_time=T(10),
                venue="Hall",
                kind="urgent",
            )
        urgent = schedule_meeting(
            committee=committee,
            date=D(2025, 12, 30),
            start_time=T(10),
            venue="Hall",
            kind="urgent",
            urgent_reason="Winter pressures decision",
        )
    assert urgent.urgent_reason == "Winter pressures decision"


@pytest.mark.django_db
def test_rescheduling_sends_an_updated_invitation_with_the_next_sequence(meeting, personas):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        issue_notice(meeting=meeting)
        OutboxMessage.objects.update(state="sent")
        reschedule_meeting(
            meeting=meeting,
            date=D(2026, 1, 13),
            start_time=T(10),
            end_time=None,
            venue="Gun Wharf, Chatham",
            online_link="",
            reason="Chair unavailable",
            by=personas["secretariat"],
        )
    updates = OutboxMessage.objects.filter(message_name="notice", context__date="2026-01-13")
    assert updates.count() == 3
    event = ics_of(updates.first()).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"meeting-{meeting.pk}@{urlparse(settings.SITE_URL).hostname}"
    assert "Chair unavailable" in updates.first().body_text
    change = MeetingChange.objects.get(meeting=meeting, kind="rescheduled")
    assert (change.old_date, change.new_date, change.reason) == (
        D(2026, 1, 6),
        D(2026, 1, 13),
        "Chair unavailable",
    )


@pytest.mark.django_db
def test_cancelling_tells_those_who_had_notice_with_a_calendar_cancellation(meeting, personas):
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        issue_notice(meeting=meeting)
        # Two had the notice delivered; the third copy is still queued and is stopped instead.
        sent = list(OutboxMessage.objects.order_by("recipient")[:2])
        OutboxMessage.objects.filter(pk__in=[m.pk for m in sent]).update(state="sent")
        cancel_meeting(
            meeting=meeting, reason="No business to transact", by=personas["secretariat"]
        )
    cancellations = OutboxMessage.objects.filter(message_name="meeting-cancelled")
    assert set(cancellations.values_list("recipient", flat=True)) == {m.recipient for m in sent}
    cal = ics_of(cancellations.first())
    assert cal["METHOD"] == "CANCEL"
    assert cal.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert "No business to transact" in cancellations.first().body_text
    assert OutboxMessage.objects.filter(message_name="notice", state="cancelled").count() == 1
    meeting.refresh_from_db()
    assert (
        meeting.status == "cancelled" and meeting.cancellation_reason == "No business to transact"
    )
