"""Sending the outbox: claim messages, send them, record each outcome; retry transient failures.

Exactly-once delivery rests on the claim: a conditional UPDATE moves a message from queued to
sending under a fresh claim token, and only the worker holding that token sends it and records
the outcome (healthchecks `sendalerts`). A worker claims a batch at once and sends it over one
SMTP connection, marking each message sent once the server took it, the mark committed while
the next message is on its way and before the server can take that one. The claim carries a
lease (`OUTBOX_LEASE_SECONDS`) that the worker renews while it sends; if the worker dies, the
lease runs out and the next sweep gives what it had not sent to another worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import select
import smtplib
import socket
import time
from collections import Counter
from collections.abc import Iterable
from email.utils import formataddr
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends import smtp as django_smtp
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from psycopg import pq

from communications import smtp
from communications.errors import CommunicationsError
from communications.models import OutboxMessage
from icp_secretariat.lib import ical

log = logging.getLogger(__name__)
State = OutboxMessage.State


def send_soon(pks: Iterable[int]) -> None:
    """Enqueue sends for these messages once the current transaction commits: one batch task
    per `OUTBOX_BATCH_SIZE` messages, each sending its batch over one SMTP connection."""
    pks = list(pks)
    size = max(int(settings.OUTBOX_BATCH_SIZE), 1)
    for start in range(0, len(pks), size):
        chunk = pks[start : start + size]
        if len(chunk) == 1:
            transaction.on_commit(lambda pk=chunk[0]: send_outbox_message.delay(pk))
        else:
            transaction.on_commit(lambda chunk=chunk: send_outbox_batch.delay(chunk))


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.OUTBOX_STALE_SENDING_MINUTES)


def _lease(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _due(now: dt.datetime) -> Q:
    """Queued and due, or claimed by a worker whose lease ran out (a claim made before leases
    existed has none: it is stale after OUTBOX_STALE_SENDING_MINUTES)."""
    return (
        Q(state=State.QUEUED, send_after__lte=now)
        | Q(state=State.SENDING, lease_until__lt=now)
        | Q(state=State.SENDING, lease_until__isnull=True, claimed_at__lt=_stale_before(now))
    )


def due_messages(now: dt.datetime | None = None):
    """Queued messages whose time has come, and sends that a dead worker left half-done."""
    return OutboxMessage.objects.filter(_due(now or timezone.now()))


def _claim(pks, now: dt.datetime) -> str:
    """Claim those of `pks` that are due, under a new token; returns the token."""
    token = secrets.token_hex(16)
    OutboxMessage.objects.filter(pk__in=pks).filter(_due(now)).update(
        state=State.SENDING,
        claimed_at=now,
        lease_until=_lease(now),
        claim_token=token,
        attempts=F("attempts") + 1,
    )
    return token


def claim_message(*, pk: int, now: dt.datetime | None = None) -> OutboxMessage | None:
    """Take the message for sending; None if someone else has it or it is not due."""
    now = now or timezone.now()
    token = _claim([pk], now)
    return OutboxMessage.objects.filter(pk=pk, claim_token=token, state=State.SENDING).first()


def claim_batch(
    *, limit: int, pks: Iterable[int] | None = None, now: dt.datetime | None = None
) -> list[OutboxMessage]:
    """Take up to `limit` due messages (of `pks` if given), oldest first, in two queries."""
    now = now or timezone.now()
    candidates = due_messages(now)
    if pks is not None:
        candidates = candidates.filter(pk__in=list(pks))
    chosen = list(candidates.order_by("send_after", "pk").values_list("pk", flat=True)[:limit])
    if not chosen:
        return []
    token = _claim(chosen, now)
    return list(
        OutboxMessage.objects.filter(
            pk__in=chosen, claim_token=token, state=State.SENDING
        ).order_by("send_after", "pk")
    )


def site_domain() -> str:
    """The host name of SITE_URL: the domain of every Message-ID we write."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt to send one outbox message, on the site's domain."""
    return f"<outbox-{message.pk}.{int(message.created_at.timestamp())}@{site_domain()}>"


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
        headers={
            "X-ICP-Message": message.message_name,
            # Every outbox email is composed by the system, not typed by a person: RFC 3834 asks
            # auto-responders (out of office) not to answer it.
            "Auto-Submitted": "auto-generated",
            "Message-ID": message_id(message),
            **(message.headers or {}),
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        mimetype = attachment.get("mimetype") or ""
        if ical.method_of(mimetype):
            # iMIP (RFC 6047): the invitation is an alternative of the message, naming this
            # recipient as ATTENDEE (RFC 5546); the same text also as a file for other clients.
            ics = ical.personalise(
                attachment["content"], email=message.recipient, name=message.recipient_name
            )
            email.attach_alternative(ics, mimetype)
            email.attach(attachment["filename"], ics, "application/ics")
        else:
            email.attach(attachment["filename"], attachment["content"], mimetype or None)
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


def _ours(message: OutboxMessage):
    return OutboxMessage.objects.filter(
        pk=message.pk, claim_token=message.claim_token, state=State.SENDING
    )


def _record_failure(message: OutboxMessage, exc: BaseException) -> str:
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_transient(exc) and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        _ours(message).update(
            state=State.QUEUED,
            send_after=now + backoff(message.attempts),
            last_error=error,
            lease_until=None,
        )
        log.warning("outbox %s: transient failure, will retry: %s", message.pk, error)
        return State.QUEUED
    _ours(message).update(state=State.FAILED, last_error=error, lease_until=None)
    log.error("outbox %s: failed: %s", message.pk, error)
    return State.FAILED


def _record_sent(message: OutboxMessage) -> None:
    _ours(message).update(state=State.SENT, sent_at=timezone.now(), lease_until=None)


def deliver_message(*, pk: int) -> str:
    """Claim, send and record one message. Returns the state it ends in ('skipped' if not ours)."""
    message = claim_message(pk=pk)
    if message is None:
        return "skipped"
    try:
        with get_connection() as connection:
            build_email(message, connection).send()
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the message
        return _record_failure(message, exc)
    _record_sent(message)
    return State.SENT


def _renew(messages: list[OutboxMessage], now: dt.datetime) -> set[int]:
    """Extend the lease of these claimed messages; returns the pks still ours."""
    if not messages:
        return set()
    token = messages[0].claim_token
    pks = [m.pk for m in messages]
    claimed = OutboxMessage.objects.filter(pk__in=pks, claim_token=token, state=State.SENDING)
    claimed.update(lease_until=_lease(now))
    return set(claimed.values_list("pk", flat=True))


def deliver_batch(
    *, limit: int | None = None, pks: Iterable[int] | None = None, now: dt.datetime | None = None
) -> Counter:
    """Claim up to `limit` due messages (of `pks` if given) and send them over one SMTP
    connection, recording each outcome. Returns a count of outcomes by state.

    Each message's `sent` mark is committed while the next message is on its way, and always
    before the next one can be taken by the server (`_SentMarks`), so a worker killed at any
    moment leaves at most one message taken but not marked, as when each send waited for its
    mark. The lease is renewed at half-time while sending; a message whose lease was lost (this
    worker stalled longer than the lease) is left to whoever holds it now.
    """
    limit = limit or settings.OUTBOX_BATCH_SIZE
    messages = claim_batch(limit=limit, pks=pks, now=now)
    outcomes: Counter = Counter()
    if not messages:
        return outcomes
    half_lease = settings.OUTBOX_LEASE_SECONDS / 2
    renew_at = time.monotonic() + half_lease
    ours = {m.pk for m in messages}
    connection = None
    marks = _SentMarks()
    _async_marks(True)
    try:
        for index, message in enumerate(messages):
            if time.monotonic() >= renew_at:
                marks.settle()
                ours = _renew(messages[index:], timezone.now())
                renew_at = time.monotonic() + half_lease
            if message.pk not in ours:
                outcomes["skipped"] += 1
                continue
            try:
                if connection is None:
                    connection = _open_connection(before_data=marks.settle)
                email = build_email(message, connection)
                if getattr(connection, "before_data", None) is None:
                    marks.settle()  # no hook before the data: settle before sending
                email.send()
            except MarkFailed:
                connection = _abort(connection)
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on the message
                marks.settle()
                outcomes[_record_failure(message, exc)] += 1
                if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    # The session may be unusable: the next message starts a new one.
                    connection = _close(connection)
                continue
            marks.add(message)
            outcomes[State.SENT] += 1
        marks.settle()
    finally:
        marks.abandon()
        _close(connection)
        _async_marks(False)
    return outcomes


def _open_connection(*, before_data):
    """An open connection of the configured email backend; for SMTP, one that calls
    `before_data()` before each message's data goes out."""
    connection = get_connection()
    if type(connection) in (django_smtp.EmailBackend, smtp.EmailBackend):
        connection = smtp.EmailBackend(before_data=before_data)
    connection.open()
    return connection


class MarkFailed(Exception):
    """The database did not commit a sent message's mark: the batch stops there."""


class _SentMarks:
    """Marks the messages of a batch sent, each mark committed while the next message is on its
    way: the batch does not wait a database round trip after every message.

    Why this keeps exactly-once as it was. The server takes a message when it has its data and
    the final dot, and answers 250. `add(N)` sends N's mark to PostgreSQL right after that 250
    and does not wait; `settle()` waits until that mark is committed, and runs before any byte
    of the next message's data is sent (the SMTP session's hook between the 354 and the data,
    communications/smtp.py; before `send()` on other backends), before any other query of the
    batch, and at its end. Marks are committed in order. So at every moment at most one message
    has been taken by the server without its mark committed: the last one, while its mark is in
    flight, exactly as when each send waited for its own mark before the next. A worker killed
    at any moment therefore loses nothing (every unmarked message is still `sending` under a
    lease that runs out, and is due again then) and can duplicate at most that one message (SMTP
    cannot be asked whether it took a message: no design removes that window, this one does not
    widen it). Marking a group of messages in one UPDATE would widen it to the whole group, so
    each message keeps its own mark. If a mark fails, the next message's data is not sent and
    the SMTP session is dropped without its final dot: the server discards that message.

    Each mark is a single UPDATE of that message, still conditional on this worker's claim
    token, committed on its own (autocommit; `_async_marks` spares the wait for the disk flush).
    On PostgreSQL it goes through libpq's asynchronous calls on the worker's own connection; on
    other databases `add` records the mark at once.
    """

    def __init__(self) -> None:
        self.pending: OutboxMessage | None = None
        self.pgconn = None
        if db_connection.vendor == "postgresql":
            db_connection.ensure_connection()
            self.pgconn = getattr(db_connection.connection, "pgconn", None)
        self.sql = (
            f"UPDATE {OutboxMessage._meta.db_table} SET state = 'sent', sent_at = $1,"
            " lease_until = NULL WHERE id = $2 AND claim_token = $3 AND state = 'sending'"
        ).encode()

    def add(self, message: OutboxMessage) -> None:
        """Mark `message` sent: committed by the next `settle()`."""
        self.settle()
        if self.pgconn is None:
            _record_sent(message)
            return
        params = [timezone.now().isoformat(), str(message.pk), message.claim_token]
        try:
            self.pgconn.send_query_params(self.sql, [p.encode() for p in params])
            while self.pgconn.flush():
                _wait(self.pgconn.socket, select.POLLOUT)
        except Exception as exc:
            raise MarkFailed(f"outbox {message.pk}: could not send its mark: {exc}") from exc
        self.pending = message

    def settle(self) -> None:
        """Wait until the mark in flight, if any, is committed."""
        if self.pending is None:
            return
        message, self.pending = self.pending, None
        try:
            results = _results(self.pgconn)
        except Exception as exc:
            raise MarkFailed(f"outbox {message.pk}: its mark was not committed: {exc}") from exc
        for result in results:
            if result.status != pq.ExecStatus.COMMAND_OK:
                error = (result.error_message or b"").decode(errors="replace")
                raise MarkFailed(f"outbox {message.pk}: its mark was not committed: {error}")

    def abandon(self) -> None:
        """On the way out of a failed batch: read the answer of a mark still in flight, so that
        the database connection can serve the next query; an error here is only logged (the
        batch already has one on its way up)."""
        try:
            self.settle()
        except MarkFailed:
            log.exception("outbox: a mark failed while a batch was stopping")


def _wait(fd: int, event: int) -> None:
    poller = select.poll()
    poller.register(fd, event)
    poller.poll()


def _results(pgconn) -> list:
    """Every result of the command sent on `pgconn`, waiting for them."""
    results = []
    while True:
        while pgconn.is_busy():
            _wait(pgconn.socket, select.POLLIN)
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            return results
        results.append(result)


def _async_marks(on: bool) -> None:
    """On PostgreSQL, let the batch's marks commit without waiting for the disk flush: another
    worker sees each mark at once, and a dead worker loses none; only a crash of the database
    itself could forget the last fraction of a second of marks, whose messages would then be
    sent again. Per-message durable marks would halve the rate."""
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off" if on else "RESET synchronous_commit")


def _close(connection) -> None:
    if connection is None:
        return None
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a broken session needs no goodbye
        log.debug("outbox: closing a broken SMTP session", exc_info=True)
    return None


def _abort(connection) -> None:
    """Drop the session without QUIT; it may be inside DATA, where QUIT would be message text."""
    if isinstance(connection, smtp.EmailBackend):
        connection.abort()
        return None
    return _close(connection)


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


def enqueue_due(now: dt.datetime | None = None, limit: int = 5000) -> int:
    """Enqueue sends (in batches) for every due message, on commit; returns how many."""
    pks = list(due_messages(now).order_by("send_after").values_list("pk", flat=True)[:limit])
    send_soon(pks)
    return len(pks)


# Registered under its old module's name so that messages already queued keep working; the task
# lives beside the service it runs so that services and tasks do not import each other.
@shared_task(name="communications.tasks.send_outbox_message")
def send_outbox_message(pk: int) -> str:
    return deliver_message(pk=pk)


@shared_task(name="communications.tasks.send_outbox_batch")
def send_outbox_batch(pks: list[int] | None = None) -> dict:
    return dict(deliver_batch(pks=pks))
