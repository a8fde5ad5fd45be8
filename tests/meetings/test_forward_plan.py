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
from tests.conftest import make_user
from tests.meetings.record_world import (  # noqa: F401
    km_chair_rule,
    km_fixture,
    meeting_with_agenda,
    mse_fixture,
)


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
    km_chair_rule(km)
    rules = km.committee.rules
    rules.tor_last_reviewed = dt.date(2025, 12, 1)
    rules.self_assessment_last_done = dt.date(2025, 6, 1)
    rules.references = {**rules.references, "tor_review": "14.1", "self_assessment": "11.5"}
    rules.save()
    entries = {e.key: e for e in forward_plan.annual_cycle(km.committee, dt.date(2026, 11, 15))}
    assert (entries["tor"].due, entries["tor"].reference) == (dt.date(2026, 12, 1), "ToR 14.1")
    assert entries["self_assessment"].due == dt.date(2026, 6, 1)
    assert entries["self_assessment"].reference == "ToR 11.5"
    # Chair since 1 Jan 2024, open-ended: the Medway Leader's two years began on 1 Jan 2026.
    rotation = entries["chair_rotation"]
    assert (rotation.due, rotation.reference) == (dt.date(2026, 1, 1), "ToR 6.3")
    assert rotation.detail.startswith("To Seat of medway_leader (Medway Leader Testperson)")
    client.force_login(km.users["secretariat"])
    page = client.get(reverse("secretariat:committee", args=[km.committee.slug])).content.decode()
    assert "Annual cycle" in page and "1 December 2026" in page
    assert "Next chair rotation (ToR 6.3)" in page
    now = dt.datetime(2026, 11, 15, 9, tzinfo=dt.UTC)
    assert len(forward_plan.plan_annual_cycle_reminders(now)) == 1
    assert forward_plan.plan_annual_cycle_reminders(now) == []
    msg = OutboxMessage.objects.get(message_name=forward_plan.ANNUAL_CYCLE_DUE)
    assert "review of the Terms of Reference" in msg.body_text
    assert Meeting.objects.count() == 0


def test_no_rotation_and_no_kms_paragraphs_where_the_tor_have_none(client, mse):
    """M&SE: "The Chair of Mid & South Essex ICB will act as Chair of the ICP" (no rotation),
    no self-assessment, and "Review": "reviewed at least annually"."""
    rules = mse.committee.rules
    rules.references = {"tor_review": "Review"}
    rules.self_assessment_required = False
    rules.save()
    entries = forward_plan.annual_cycle(mse.committee, dt.date(2026, 11, 15))
    assert [(e.key, e.reference) for e in entries] == [("tor", "ToR, Review")]
    mse.committee.secretariat.add(mse_staff := make_user("mse-staff"))
    client.force_login(mse_staff)
    page = client.get(reverse("secretariat:committee", args=[mse.committee.slug])).content.decode()
    assert "chair rotation" not in page and "6.3" not in page and "14.1" not in page


def test_a_rule_without_its_paragraph_cites_the_terms_of_reference_not_km(km):
    km.committee.rules.references = {}
    km.committee.rules.save()
    entries = forward_plan.annual_cycle(km.committee, dt.date(2026, 11, 15))
    assert {e.reference for e in entries} == {"the Terms of Reference"}
    assert "chair_rotation" not in {e.key for e in entries}  # rotation off by default


def test_the_rotation_reminder_cites_the_committees_paragraph(km):
    km_chair_rule(km)
    # The next term, 1 January 2026, is within 30 days of 10 December 2025.
    now = dt.datetime(2025, 12, 10, 9, tzinfo=dt.UTC)
    forward_plan.plan_annual_cycle_reminders(now)
    msg = OutboxMessage.objects.get(message_name=forward_plan.ANNUAL_CYCLE_DUE)
    assert "chair rotation" in msg.body_text and "(ToR 6.3)" in msg.body_text
