"""Sending the outbox: claim one message, send it, record the outcome; retry transient failures.

Exactly-once delivery rests on the claim: a conditional UPDATE moves a message from queued to
sending, and only the worker whose update changed a row sends it (healthchecks `sendalerts`).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import socket
from collections.abc import Iterable
from email.utils import formataddr

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from communications.errors import CommunicationsError
from communications.models import OutboxMessage

log = logging.getLogger(__name__)
State = OutboxMessage.State


def send_soon(pks: Iterable[int]) -> None:
    """Enqueue a send task for each message once the current transaction commits."""
    for pk in list(pks):
        transaction.on_commit(lambda pk=pk: send_outbox_message.delay(pk))


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.OUTBOX_STALE_SENDING_MINUTES)


def due_messages(now: dt.datetime | None = None):
    """Queued messages whose time has come, and sends that a dead worker left half-done."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(state=State.QUEUED, send_after__lte=now)
        | Q(state=State.SENDING, claimed_at__lt=_stale_before(now))
    )


def claim_message(*, pk: int, now: dt.datetime | None = None) -> OutboxMessage | None:
    """Take the message for sending; None if someone else has it or it is not due."""
    now = now or timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=pk)
        .filter(
            Q(state=State.QUEUED, send_after__lte=now)
            | Q(state=State.SENDING, claimed_at__lt=_stale_before(now))
        )
        .update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return None
    return OutboxMessage.objects.get(pk=pk)


def build_email(message: OutboxMessage, connection=None) -> EmailMultiAlternatives:
    to = (
        formataddr((message.recipient_name, message.recipient))
        if message.recipient_name
        else message.recipient
    )
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        headers={"X-ICP-Message": message.message_name, **(message.headers or {})},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return email


def is_transient(exc: BaseException) -> bool:
    """Failures worth retrying: the server or network was unavailable, or said "try later" (4xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(
        exc,
        smtplib.SMTPServerDisconnected
        | smtplib.SMTPConnectError
        | ConnectionError
        | TimeoutError
        | socket.timeout,
    )


def backoff(attempts: int) -> dt.timedelta:
    """Doubling delay after each failed attempt, capped at an hour."""
    base = settings.OUTBOX_BACKOFF_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def deliver_message(*, pk: int) -> str:
    """Claim, send and record one message. Returns the state it ends in ('skipped' if not ours)."""
    message = claim_message(pk=pk)
    if message is None:
        return "skipped"
    try:
        with get_connection() as connection:
            build_email(message, connection).send()
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the message
        now = timezone.now()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if is_transient(exc) and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
            OutboxMessage.objects.filter(pk=pk, state=State.SENDING).update(
                state=State.QUEUED, send_after=now + backoff(message.attempts), last_error=error
            )
            log.warning("outbox %s: transient failure, will retry: %s", pk, error)
            return State.QUEUED
        OutboxMessage.objects.filter(pk=pk, state=State.SENDING).update(
            state=State.FAILED, last_error=error
        )
        log.error("outbox %s: failed: %s", pk, error)
        return State.FAILED
    OutboxMessage.objects.filter(pk=pk).update(state=State.SENT, sent_at=timezone.now())
    return State.SENT


@transaction.atomic
def retry_message(*, message: OutboxMessage, by=None) -> OutboxMessage:
    """Put a failed message back in the queue now (the secretariat's Retry button)."""
    updated = OutboxMessage.objects.filter(pk=message.pk, state=State.FAILED).update(
        state=State.QUEUED, send_after=timezone.now(), attempts=0
    )
    if not updated:
        raise CommunicationsError("Only a failed message can be retried; this one is not failed.")
    send_soon([message.pk])
    message.refresh_from_db()
    return message


def enqueue_due(now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Enqueue a send task for every due message, on commit; returns how many."""
    pks = list(due_messages(now).order_by("send_after").values_list("pk", flat=True)[:limit])
    send_soon(pks)
    return len(pks)


# Registered under its old module's name so that messages already queued keep working; the task
# lives beside the service it runs so that services and tasks do not import each other.
@shared_task(name="communications.tasks.send_outbox_message")
def send_outbox_message(pk: int) -> str:
    return deliver_message(pk=pk)
