"""The annual confirmation campaign: one invitation per person, reminders to those who wait."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from communications.models import OutboxMessage
from members import interests as svc
from members.errors import InterestError
from members.models import ConfirmationRequest, Person
from members.tasks import plan_interest_reminders

LONDON = zoneinfo.ZoneInfo("Europe/London")
START = dt.datetime(2025, 5, 1, 9, tzinfo=LONDON)


def person(user) -> Person:
    return Person.objects.get(user=user)


@pytest.fixture
def campaign(committee, personas):
    with time_machine.travel(START, tick=False):
        return svc.start_confirmation_campaign(
            committee=committee,
            due_date=dt.date(2025, 5, 31),
            by=personas["secretariat"],
            reminder_every_days=7,
        )


@pytest.mark.django_db
def test_campaign_emails_each_current_member_and_participant_once(campaign, personas):
    invitations = OutboxMessage.objects.filter(message_name="interests_confirmation")
    # chair, member, participant: not the observer, the secretariat or the outsider.
    assert sorted(invitations.values_list("recipient", flat=True)) == [
        "chair@example.org",
        "member@example.org",
        "participant@example.org",
    ]
    message = invitations.get(recipient="member@example.org")
    confirm_url = settings.SITE_URL + reverse("portal:interests_confirm")
    assert confirm_url in message.body_text and confirm_url in message.body_html
    assert "Saturday 31 May 2025" in message.subject
    assert message.committee == campaign.committee

    assert svc.invite_to_confirm(campaign=campaign) == 0  # a re-run queues nothing new
    assert invitations.count() == 3


@pytest.mark.django_db
def test_second_campaign_refused_while_one_runs(campaign, committee, personas):
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        with pytest.raises(InterestError, match="running until 31 May 2025"):
            svc.start_confirmation_campaign(
                committee=committee, due_date=dt.date(2025, 6, 30), by=personas["secretariat"]
            )


@pytest.mark.django_db
def test_reminders_go_only_to_those_who_have_not_confirmed(campaign, personas):
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        svc.confirm_register(person=person(personas["member"]))
        assert plan_interest_reminders() == 0  # too early for a reminder
    with time_machine.travel(START + dt.timedelta(days=7, hours=1), tick=False):
        assert plan_interest_reminders() == 2
        assert plan_interest_reminders() == 0  # idempotent: each reminder once
    reminders = OutboxMessage.objects.filter(message_name="interests_reminder")
    assert sorted(reminders.values_list("recipient", flat=True)) == [
        "chair@example.org",
        "participant@example.org",
    ]
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        svc.submit_nil_return(person=person(personas["participant"]))
    with time_machine.travel(START + dt.timedelta(days=14, hours=1), tick=False):
        assert plan_interest_reminders() == 1  # second reminder: the chair only
    assert reminders.filter(recipient="chair@example.org").count() == 2
    chair_request = ConfirmationRequest.objects.get(person=person(personas["chair"]))
    assert chair_request.reminders_sent == 2
    with time_machine.travel(dt.datetime(2025, 6, 10, 9, tzinfo=LONDON), tick=False):
        assert plan_interest_reminders() == 0  # the campaign has ended


@pytest.mark.django_db
def test_secretariat_starts_a_campaign_from_the_committee_page(client, committee, personas):
    client.force_login(personas["secretariat"])
    url = reverse("interests_admin:start_campaign", args=[committee.slug])
    with time_machine.travel(START, tick=False):
        bad = client.post(url, {"due_date_0": "1", "due_date_1": "1", "due_date_2": "2020"})
        assert bad.status_code == 400 and "must be after today" in bad.content.decode()
        good = client.post(
            url,
            {"due_date_0": "31", "due_date_1": "5", "due_date_2": "2025", "reminder_every_days": 7},
        )
    assert good.status_code == 302
    assert OutboxMessage.objects.filter(message_name="interests_confirmation").count() == 3
    client.force_login(personas["member"])
    assert client.post(url, {}).status_code == 404


def test_reminder_task_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["members.plan_interest_reminders"]
    assert entry["task"] == plan_interest_reminders.name
