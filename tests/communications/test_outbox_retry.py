"""Retry and cancellation never touch a message already sent (issue 16): Retry puts back only a
failed message, and cancelling a meeting stops only what is still queued."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from communications.errors import CommunicationsError
from communications.models import OutboxMessage
from communications.services import retry_message
from meetings.models import Meeting
from meetings.scheduling.services import cancel_meeting, issue_notice
from tests.communications.test_outbox_page import make
from tests.conftest import PASSWORD

URL = "/dashboard/communications/"


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["sent", "queued", "sending", "cancelled"])
def test_retry_refuses_a_message_that_has_not_failed(
    state, committee, django_capture_on_commit_callbacks
):
    message = make(committee, "done", state)
    sent_at = timezone.now() - dt.timedelta(hours=1)
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=sent_at, attempts=1)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(CommunicationsError, match="Only a failed message"):
            retry_message(message=message)
    assert callbacks == []  # nothing is sent again
    message.refresh_from_db()
    assert (message.state, message.sent_at, message.attempts) == (state, sent_at, 1)


@pytest.mark.django_db
def test_the_retry_button_on_a_sent_message_sends_nothing(
    client, personas, committee, django_capture_on_commit_callbacks
):
    message = make(committee, "done", "sent")
    client.login(username="secretariat", password=PASSWORD)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("communications:retry", args=[message.pk]), follow=True)
    assert response.status_code == 200
    assert "Only a failed message can be retried" in response.content.decode()
    assert callbacks == []
    message.refresh_from_db()
    assert message.state == "sent"
    # A failed one is put back, once: a second press finds it queued and refuses.
    failed = make(committee, "bad", "failed", "550")
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("communications:retry", args=[failed.pk]))
        client.post(reverse("communications:retry", args=[failed.pk]))
    assert len(callbacks) == 1
    failed.refresh_from_db()
    assert failed.state == "queued" and failed.attempts == 0


@pytest.mark.django_db
def test_cancelling_a_meeting_leaves_sent_messages_as_they_were(committee, personas):
    meeting = Meeting.objects.create(
        committee=committee, date=dt.date(2030, 6, 4), start_time=dt.time(14, 0), venue="Hall"
    )
    with time_machine.travel(dt.datetime(2025, 12, 15, 10, 0), tick=False):
        issue_notice(meeting=meeting)
        notices = list(OutboxMessage.objects.filter(message_name="notice").order_by("pk"))
        assert len(notices) >= 3
        sent_at = timezone.now()
        OutboxMessage.objects.filter(pk=notices[0].pk).update(state="sent", sent_at=sent_at)
        OutboxMessage.objects.filter(pk=notices[1].pk).update(state="failed", last_error="550")
        cancel_meeting(meeting=meeting, reason="No business", by=personas["secretariat"])
    states = dict(
        OutboxMessage.objects.filter(pk__in=[n.pk for n in notices]).values_list("pk", "state")
    )
    assert states[notices[0].pk] == "sent"
    assert states[notices[1].pk] == "failed"
    assert {states[n.pk] for n in notices[2:]} == {"cancelled"}
    first = OutboxMessage.objects.get(pk=notices[0].pk)
    assert first.sent_at == sent_at


@pytest.mark.django_db
def test_a_worker_whose_claim_was_taken_over_records_nothing(settings):
    from communications import services
    from tests.communications.test_outbox import queued

    message = queued()
    first = services.claim_message(pk=message.pk)
    later = timezone.now() + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    second = services.claim_message(pk=message.pk, now=later)  # the first worker's lease ran out
    assert second is not None and second.claim_token != first.claim_token
    services._record_sent(first)
    services._record_failure(first, OSError("late"))
    message.refresh_from_db()
    assert (message.state, message.claim_token, message.last_error) == (
        "sending",
        second.claim_token,
        "",
    )
    services._record_sent(second)
    message.refresh_from_db()
    assert message.state == "sent" and message.sent_at is not None and message.lease_until is None


@pytest.mark.django_db
def test_a_claim_without_a_lease_is_stale_only_after_the_stale_minutes(settings):
    from communications import services
    from tests.communications.test_outbox import queued

    message = queued()
    now = timezone.now()
    stale = dt.timedelta(minutes=settings.OUTBOX_STALE_SENDING_MINUTES)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="sending", claimed_at=now, lease_until=None
    )
    assert not services.due_messages(now + stale - dt.timedelta(seconds=1)).exists()
    assert list(services.due_messages(now + stale + dt.timedelta(seconds=1))) == [message]
    # A claim with a lease waits for its lease, however old the claim.
    OutboxMessage.objects.filter(pk=message.pk).update(lease_until=now + 2 * stale)
    assert not services.due_messages(now + stale + dt.timedelta(seconds=1)).exists()


def test_the_backoff_is_capped_at_an_hour(settings):
    from communications.services import backoff

    settings.OUTBOX_BACKOFF_SECONDS = 60
    assert backoff(0) == backoff(1) == dt.timedelta(seconds=60)
    assert backoff(2) == dt.timedelta(seconds=120)
    assert backoff(6) == dt.timedelta(seconds=1920)
    assert backoff(7) == backoff(30) == dt.timedelta(hours=1)
