"""Sending one outbox message against a real SMTP server: claim, send, retry, fail."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from communications.mail import queue_message
from communications.models import OutboxMessage
from communications.services import claim_message, deliver_message, due_messages


def queued(key="k1", **extra):
    message, _ = queue_message(
        recipient="member@example.org",
        recipient_name="Mo Member",
        name="meeting-cancelled",
        context={
            "date_text": "Tuesday 6 January 2026",
            "start_time": "14:00",
            "cancellation_reason": "No business",
            "committee_name": "Test JC",
        },
        idempotency_key=key,
        attachments=[
            {
                "filename": "cancel.ics",
                "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                "mimetype": "text/calendar; method=CANCEL",
            }
        ],
        **extra,
    )
    return message


@pytest.mark.django_db
def test_a_message_is_delivered_once_with_text_html_and_attachment(smtp_server):
    message = queued()
    assert deliver_message(pk=message.pk) == "sent"
    assert deliver_message(pk=message.pk) == "skipped"
    [received] = smtp_server.messages
    assert received["To"] == "Mo Member <member@example.org>"
    types = [p.get_content_type() for p in received.walk()]
    assert {"text/plain", "text/html", "text/calendar"} <= set(types)
    message.refresh_from_db()
    assert message.state == "sent" and message.sent_at is not None and message.attempts == 1


@pytest.mark.django_db
def test_only_one_claim_succeeds():
    message = queued()
    assert claim_message(pk=message.pk) is not None
    assert claim_message(pk=message.pk) is None


@pytest.mark.django_db
def test_a_message_not_yet_due_is_not_claimed():
    message = queued(send_after=timezone.now() + dt.timedelta(hours=1))
    assert claim_message(pk=message.pk) is None
    assert not due_messages().exists()


@pytest.mark.django_db
def test_a_send_left_half_done_by_a_dead_worker_is_reclaimed_later(settings):
    message = queued()
    assert claim_message(pk=message.pk) is not None
    assert claim_message(pk=message.pk) is None
    later = timezone.now() + dt.timedelta(minutes=settings.OUTBOX_STALE_SENDING_MINUTES + 1)
    assert list(due_messages(later)) == [message]
    assert claim_message(pk=message.pk, now=later) is not None


@pytest.mark.django_db
def test_temporary_smtp_failure_is_retried_with_backoff(smtp_server, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 60
    smtp_server.fail_next = 1
    message = queued()
    before = timezone.now()
    assert deliver_message(pk=message.pk) == "queued"
    message.refresh_from_db()
    assert message.attempts == 1
    assert "421" in message.last_error
    assert message.send_after >= before + dt.timedelta(seconds=60)
    # Not due during the backoff; sent once it is over.
    assert deliver_message(pk=message.pk) == "skipped"
    with time_machine.travel(message.send_after + dt.timedelta(seconds=1)):
        assert deliver_message(pk=message.pk) == "sent"
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_the_backoff_doubles(smtp_server, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 10
    smtp_server.fail_next = 2
    message = queued()
    deliver_message(pk=message.pk)
    message.refresh_from_db()
    first = message.send_after
    with time_machine.travel(first + dt.timedelta(seconds=1), tick=False):
        deliver_message(pk=message.pk)
        message.refresh_from_db()
        assert message.send_after - timezone.now() == dt.timedelta(seconds=20)


@pytest.mark.django_db
def test_temporary_failures_give_up_after_the_maximum(smtp_server, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 0
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.fail_next = 10
    message = queued()
    results = [deliver_message(pk=message.pk) for _ in range(4)]
    assert results == ["queued", "queued", "failed", "skipped"]
    message.refresh_from_db()
    assert message.state == "failed" and message.attempts == 3


@pytest.mark.django_db
def test_permanent_failure_fails_at_once(smtp_server):
    smtp_server.fail_next = 1
    smtp_server.fail_with = "550 5.1.1 No such mailbox"
    message = queued()
    assert deliver_message(pk=message.pk) == "failed"
    message.refresh_from_db()
    assert "550" in message.last_error and message.attempts == 1


@pytest.mark.django_db
def test_an_unreachable_server_is_a_temporary_failure(settings):
    from tests.communications.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    message = queued()
    assert deliver_message(pk=message.pk) == "queued"
    message.refresh_from_db()
    assert "ConnectionRefusedError" in message.last_error


@pytest.mark.django_db
def test_queueing_twice_with_one_key_keeps_one_record():
    queued("same")
    queued("same")
    assert OutboxMessage.objects.count() == 1
