"""The demo meetings loader: every deadline state, real outbox entries, idempotent."""

import pytest
from django.utils import timezone

from committees.models import Committee, CommitteeRules
from communications.models import OutboxMessage
from demo import meetings as demo
from meetings.models import Meeting
from meetings.scheduling.selectors import deadlines_of


@pytest.mark.django_db
def test_demo_does_nothing_without_the_demo_committees():
    assert demo.load() == []


@pytest.mark.django_db
def test_demo_shows_every_deadline_state_and_is_idempotent():
    for slug in ("kent-medway-icp", "mid-south-essex-icp"):
        c = Committee.objects.create(name=slug, slug=slug)
        CommitteeRules.objects.create(committee=c)
    today = timezone.localdate()  # as the loader and the deadline pages reckon it
    made = demo.load(today)
    assert demo.load(today) == []
    assert Meeting.objects.count() == len(made) >= 14
    states = {
        d.state
        for m in Meeting.objects.select_related("committee__rules")
        for d in deadlines_of(m, today=today)
    }
    assert {"met", "missed", "upcoming", "cancelled"} <= states
    # K&M ToR 7.3: an urgent meeting at short notice with its reason; M&SE, Conduct &
    # Operation: an extraordinary meeting, given its five working days' notice.
    urgent = Meeting.objects.get(kind="urgent")
    assert urgent.committee.slug == "kent-medway-icp" and urgent.urgent_reason
    assert "short_notice" in states
    extraordinary = Meeting.objects.get(kind="extraordinary")
    assert extraordinary.committee.slug == "mid-south-essex-icp"
    assert deadlines_of(extraordinary, today=today)[0].state == "met"
    assert OutboxMessage.objects.filter(state="sent").exists()
    assert OutboxMessage.objects.filter(state="failed").count() == 1
    # Seen in the demo: every notice mailing, June's included, was "Notice, 7 Dec" (the day
    # the demo was loaded). Each is one mailing of the day its notice was given.
    for meeting in Meeting.objects.exclude(notice_given_at=None):
        rows = OutboxMessage.objects.filter(meeting=meeting, message_name="notice")
        given = meeting.notice_given_at
        assert rows.exists()
        assert {r.created_at for r in rows} == {given}
        assert {r.sent_at for r in rows} <= {given, None}  # None: the one that failed
        assert {r.mailing for r in rows} == {f"notice:m{meeting.pk}:{timezone.localdate(given)}"}
