"""Issue 13, "One summons": dispatch of the agenda and papers is the summons (ToR 10.2: date,
time, place and the calendar invitation) unless a notice went out earlier; an early notice can
still be given on its own; no mailing contradicts another; the meeting page shows the notice as
given when the dispatch gave it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communications.models import OutboxMessage
from meetings.agenda import services
from meetings.models import MeetingChange
from meetings.scheduling import services as scheduling
from tests.conftest import PASSWORD
from tests.meetings.test_dispatch import agree

pytestmark = pytest.mark.django_db


def test_dispatch_without_an_earlier_notice_is_the_summons(client, meeting, people):
    agenda = agree(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    meeting.refresh_from_db()
    assert meeting.notice_given_at == meeting.papers_dispatched_at is not None
    sent = OutboxMessage.objects.filter(
        message_name="dispatch_papers", recipient="member@example.org"
    )
    msg = sent.get()
    assert "Date: Tuesday 4 June 2030" in msg.body_text
    assert "Time: 14:00" in msg.body_text and "Venue: Hall" in msg.body_text
    assert [a["filename"] for a in msg.attachments] == ["invite.ics"]
    assert "BEGIN:VEVENT" in msg.attachments[0]["content"]
    # No separate notice went out.
    assert not OutboxMessage.objects.filter(message_name="notice").exists()
    assert MeetingChange.objects.filter(meeting=meeting, kind=MeetingChange.Kind.NOTICE).exists()
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("meetings_admin:meeting", args=[meeting.committee.slug, meeting.pk]))
    assert "with the agenda and papers" in page.content.decode()


def test_an_early_notice_stands_alone_and_dispatch_does_not_repeat_it(meeting, people):
    scheduling.issue_notice(meeting=meeting, by=people["secretariat"])
    notice = OutboxMessage.objects.filter(message_name="notice", recipient="member@example.org")
    assert "The agenda and papers will follow" in notice.get().body_text
    meeting.refresh_from_db()
    given = meeting.notice_given_at
    agenda = agree(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    meeting.refresh_from_db()
    assert meeting.notice_given_at == given  # the earlier notice stands
    msg = OutboxMessage.objects.get(message_name="dispatch_papers", recipient="member@example.org")
    assert msg.attachments == []
    assert "Date: Tuesday" not in msg.body_text


def test_a_notice_after_dispatch_never_says_papers_will_follow(meeting, people):
    agenda = agree(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    # Sent again (a correction of the notice): the papers went already.
    scheduling.issue_notice(meeting=meeting, by=people["secretariat"])
    body = OutboxMessage.objects.get(
        message_name="notice", recipient="member@example.org"
    ).body_text
    assert "will follow" not in body
    assert "The agenda and papers were sent" in body
