"""The forward plan (ToR 6.7) and the annual cycle (14.1, 11.5, 6.3)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from communications.models import OutboxMessage
from meetings.errors import ConductError
from meetings.forward_plan import services as forward_plan
from meetings.models import Meeting
from tests.meetings.record_world import km_fixture, meeting_with_agenda  # noqa: F401


@time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False)
def test_agreed_topic_is_offered_and_added_to_the_agenda(client, km):
    meeting = meeting_with_agenda(km, dt.date(2026, 3, 10))
    topic = forward_plan.add_topic(meeting=meeting, title="Dementia strategy", purpose="decision")
    with pytest.raises(ConductError, match="not agreed"):
        forward_plan.add_topic_to_agenda(topic=topic)
    with pytest.raises(ConductError, match="Leadership Team"):
        forward_plan.agree_topic(topic=topic, person=km.p("kcc_exec1"))
    client.force_login(km.users["kcc_leader"])
    client.post(reverse("record:forward_plan_agree", args=[topic.pk]))
    topic.refresh_from_db()
    assert topic.is_agreed and topic.agreed_by == km.p("kcc_leader")
    client.force_login(km.users["secretariat"])
    builder = client.get(reverse("agenda:builder", args=[meeting.pk])).content.decode()
    assert "Add from the forward plan" in builder and "Dementia strategy" in builder
    client.post(reverse("record:forward_plan_add", args=[meeting.pk]), {"topic": topic.pk})
    assert meeting.agenda.items.filter(title="Dementia strategy").exists()
    assert client.get(reverse("record:forward_plan", args=[km.committee.slug])).status_code == 200
    client.force_login(km.users["outsider"])
    assert client.get(reverse("record:forward_plan", args=[km.committee.slug])).status_code == 404


def test_annual_cycle_dates_on_the_dashboard_and_reminders(client, km):
    rules = km.committee.rules
    rules.tor_last_reviewed = dt.date(2025, 12, 1)
    rules.self_assessment_last_done = dt.date(2025, 6, 1)
    rules.save()
    entries = {e.key: e for e in forward_plan.annual_cycle(km.committee, dt.date(2026, 11, 15))}
    assert entries["tor"].due == dt.date(2026, 12, 1)
    assert entries["self_assessment"].due == dt.date(2026, 6, 1)
    assert entries["chair_rotation"].due == dt.date(2026, 1, 1)  # Chair since 1 Jan 2024
    client.force_login(km.users["secretariat"])
    page = client.get(reverse("secretariat:committee", args=[km.committee.slug])).content.decode()
    assert "Annual cycle" in page and "1 December 2026" in page
    now = dt.datetime(2026, 11, 15, 9, tzinfo=dt.UTC)
    assert len(forward_plan.plan_annual_cycle_reminders(now)) == 1
    assert forward_plan.plan_annual_cycle_reminders(now) == []
    msg = OutboxMessage.objects.get(message_name=forward_plan.ANNUAL_CYCLE_DUE)
    assert "review of the Terms of Reference" in msg.body_text
    assert Meeting.objects.count() == 0
