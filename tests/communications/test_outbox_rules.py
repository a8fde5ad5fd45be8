"""The outbox's rules in detail (found by mutation testing, issue 16): which SMTP answers are
worth a retry, what a failure records and logs, the order messages are claimed in, the one
connection a send uses and when a batch starts a new one, the lease renewed at half-time, a
batch's asynchronous commits, and the sweep that enqueues what is due."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time

import pytest
import time_machine
from django.core import mail
from django.db import connection as db_connection
from django.utils import timezone

from communications import services
from communications.models import OutboxMessage
from icp_secretariat.celery import app as celery_app
from tests.communications.backends import RecordingBackend
from tests.communications.test_outbox import queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(settings):
    settings.EMAIL_BACKEND = "tests.communications.backends.RecordingBackend"
    RecordingBackend.connections = []
    RecordingBackend.before_send = None
    RecordingBackend.close_raises = None
    yield RecordingBackend
    RecordingBackend.connections = []
    RecordingBackend.before_send = None
    RecordingBackend.close_raises = None


def _messages(n: int, **extra) -> list[OutboxMessage]:
    out = []
    for i in range(n):
        message = queued(key=f"rules-{i}", **extra)
        OutboxMessage.objects.filter(pk=message.pk).update(recipient=f"m{i}@example.org")
        message.refresh_from_db()
        out.append(message)
    return out


def _to(email) -> str:
    return email.to[0].rsplit("<", 1)[-1].rstrip(">")


def _by_recipient(email) -> OutboxMessage:
    return OutboxMessage.objects.get(recipient=_to(email))


def test_only_4xx_answers_and_lost_connections_are_worth_a_retry():
    def answer(code):
        return smtplib.SMTPResponseException(code, b"text")

    assert [services.is_transient(answer(c)) for c in (399, 400, 421, 499, 500, 550)] == [
        False,
        True,
        True,
        True,
        False,
        False,
    ]

    def refused(*codes):
        return smtplib.SMTPRecipientsRefused(
            {f"r{i}@example.org": (code, b"text") for i, code in enumerate(codes)}
        )

    assert services.is_transient(refused(400, 499))
    assert not services.is_transient(refused(450, 500))
    assert not services.is_transient(refused(399))
    assert not services.is_transient(refused(550))
    assert services.is_transient(smtplib.SMTPServerDisconnected("gone"))
    assert services.is_transient(ConnectionRefusedError())
    assert services.is_transient(TimeoutError())
    assert not services.is_transient(ValueError("bad address"))


def test_a_failure_records_its_error_up_to_2000_characters_drops_the_lease_and_is_logged(
    recording, settings, caplog
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    long_text = "x" * 3000

    def refuse(message):
        raise smtplib.SMTPResponseException(421, long_text)

    recording.before_send = refuse
    [message] = _messages(1)
    caplog.set_level(logging.WARNING, logger="communications.services")
    assert services.deliver_message(pk=message.pk) == "queued"
    message.refresh_from_db()
    assert message.last_error.startswith("SMTPResponseException: (421, 'xxx")
    assert len(message.last_error) == 2000
    assert message.lease_until is None
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.getMessage() == (
        f"outbox {message.pk}: transient failure, will retry: {message.last_error}"
    )

    caplog.clear()
    OutboxMessage.objects.filter(pk=message.pk).update(send_after=timezone.now())
    assert services.deliver_message(pk=message.pk) == "failed"  # the second and last attempt
    message.refresh_from_db()
    assert message.state == "failed" and message.lease_until is None
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.getMessage() == f"outbox {message.pk}: failed: {message.last_error}"


def test_one_message_goes_over_the_one_connection_opened_for_it_then_closed(recording):
    [message] = _messages(1)
    assert services.deliver_message(pk=message.pk) == "sent"
    [connection] = recording.connections
    assert connection.opened and connection.closed
    assert [_to(e) for e in connection.sent] == ["m0@example.org"]


def test_a_batch_starts_a_new_session_after_a_failure_but_not_after_a_refused_recipient(
    recording,
):
    messages = _messages(4)
    failures = {
        "m1@example.org": smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        "m2@example.org": smtplib.SMTPRecipientsRefused({"m2@example.org": (450, b"later")}),
    }

    def send(email):
        if _to(email) in failures:
            raise failures[_to(email)]

    recording.before_send = send
    outcome = services.deliver_batch(limit=10)
    assert outcome == {"sent": 2, "queued": 2}
    first, second = recording.connections
    assert [_to(e) for e in first.sent] == ["m0@example.org"]
    assert [_to(e) for e in second.sent] == ["m3@example.org"]  # the same session as m2's
    assert first.opened and first.closed and second.opened and second.closed
    states = {
        m.recipient: m.state for m in OutboxMessage.objects.filter(pk__in=[m.pk for m in messages])
    }
    assert states == {
        "m0@example.org": "sent",
        "m1@example.org": "queued",
        "m2@example.org": "queued",
        "m3@example.org": "sent",
    }


def test_a_session_that_fails_to_close_is_logged_and_the_batch_goes_on(recording, caplog):
    _messages(2)
    recording.close_raises = smtplib.SMTPServerDisconnected("already gone")

    def send(email):
        if _to(email) == "m0@example.org":
            raise smtplib.SMTPServerDisconnected("dropped")

    recording.before_send = send
    caplog.set_level(logging.DEBUG, logger="communications.services")
    assert services.deliver_batch(limit=10) == {"queued": 1, "sent": 1}
    assert all(c.closed for c in recording.connections) and len(recording.connections) == 2
    closing = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert [r.getMessage() for r in closing] == ["outbox: closing a broken SMTP session"] * 2
    assert all(r.exc_info and r.exc_info[0] is smtplib.SMTPServerDisconnected for r in closing)


def test_a_batch_takes_the_batch_size_by_default_and_only_the_messages_named(recording, settings):
    settings.OUTBOX_BATCH_SIZE = 2
    m0, m1, m2, m3 = _messages(4)
    assert services.deliver_batch(pks=[m3.pk, m1.pk], limit=10) == {"sent": 2}
    assert sorted(_to(e) for e in mail.outbox) == ["m1@example.org", "m3@example.org"]
    OutboxMessage.objects.filter(pk__in=[m1.pk, m3.pk]).update(state="queued")  # due again
    assert services.deliver_batch() == {"sent": 2}  # two of the four due
    assert OutboxMessage.objects.filter(state="queued").count() == 2


def test_a_batch_is_claimed_earliest_send_after_first_then_oldest_message_first():
    m0, m1, m2, m3, m4 = _messages(5)
    now = timezone.now()
    # Written in this order so that the rows' order on disk is not the order wanted.
    for message, minutes in ((m0, 1), (m2, 3), (m3, 2), (m1, 3), (m4, 1)):
        OutboxMessage.objects.filter(pk=message.pk).update(
            send_after=now - dt.timedelta(minutes=minutes)
        )
    assert [m.pk for m in services.claim_batch(limit=1)] == [m1.pk]
    assert [m.pk for m in services.claim_batch(limit=4)] == [m2.pk, m3.pk, m0.pk, m4.pk]


def test_the_lease_is_renewed_at_half_time_for_the_messages_still_to_send(
    recording, settings, monkeypatch
):
    settings.OUTBOX_LEASE_SECONDS = 10  # renewed every 5 seconds of sending
    messages = _messages(5)
    created = max(m.send_after for m in messages)
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    # Seconds spent sending each message (monotonic clock), and the lease each had as it went.
    spent = {"m0": 4.0, "m1": 1.0, "m2": 0.0, "m3": 5.0, "m4": 0.0}
    leases = {}
    with time_machine.travel(created + dt.timedelta(seconds=100), tick=False) as traveller:

        def send(email):
            name = _to(email).split("@")[0]
            leases[name] = _by_recipient(email).lease_until
            clock[0] += spent[name]
            traveller.shift(dt.timedelta(seconds=1))

        recording.before_send = send
        claimed_at = created + dt.timedelta(seconds=50)
        assert services.deliver_batch(limit=10, now=claimed_at) == {"sent": 5}
    claim_lease = claimed_at + dt.timedelta(seconds=10)
    wall = created + dt.timedelta(seconds=100)
    # Renewed as m2 is reached (5 s after the start, wall clock +2 s), then as m4 is (5 s later).
    assert leases == {
        "m0": claim_lease,
        "m1": claim_lease,
        "m2": wall + dt.timedelta(seconds=12),
        "m3": wall + dt.timedelta(seconds=12),
        "m4": wall + dt.timedelta(seconds=14),
    }


def test_messages_whose_claims_were_taken_over_mid_batch_are_left_to_their_new_holder(
    recording, settings
):
    settings.OUTBOX_LEASE_SECONDS = 0  # the lease is renewed before every message
    m0, m1, m2, m3 = _messages(4)

    def send(email):
        if _to(email) == "m0@example.org":  # meanwhile another worker takes m1 and m2 over
            OutboxMessage.objects.filter(pk__in=[m1.pk, m2.pk]).update(claim_token="another-worker")

    recording.before_send = send
    assert services.deliver_batch(limit=10) == {"sent": 2, "skipped": 2}
    assert sorted(_to(e) for e in mail.outbox) == ["m0@example.org", "m3@example.org"]
    for message in (m1, m2):
        message.refresh_from_db()
        assert (message.state, message.claim_token) == ("sending", "another-worker")


def test_renewing_extends_the_lease_of_the_claims_named_and_still_held_only(settings):
    settings.OUTBOX_LEASE_SECONDS = 30
    messages = _messages(4)
    now = timezone.now()
    claimed = services.claim_batch(limit=10, pks=[m.pk for m in messages], now=now)
    services._record_sent(claimed[1])  # sent already: it holds no lease any more
    OutboxMessage.objects.filter(pk=claimed[2].pk).update(claim_token="another-worker")
    later = now + dt.timedelta(seconds=20)
    # The first is still held but not named: the worker has finished with it.
    assert services._renew(claimed[1:], later) == {claimed[3].pk}
    leases = dict(OutboxMessage.objects.values_list("pk", "lease_until"))
    assert leases[claimed[3].pk] == later + dt.timedelta(seconds=30)
    assert leases[claimed[0].pk] == leases[claimed[2].pk] == now + dt.timedelta(seconds=30)
    assert leases[claimed[1].pk] is None
    assert services._renew([], later) == set()


def test_inside_a_transaction_a_batch_leaves_commits_synchronous(recording):
    _messages(1)
    seen = []
    recording.before_send = lambda email: seen.append(_synchronous_commit())
    assert services.deliver_batch(limit=10) == {"sent": 1}
    assert seen == ["on"] and _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_a_batch_marks_its_messages_without_waiting_for_the_disk_then_resets(recording):
    _messages(2)
    seen = []
    recording.before_send = lambda email: seen.append(_synchronous_commit())
    assert services.deliver_batch(limit=10) == {"sent": 2}
    assert seen == ["off", "off"]
    assert _synchronous_commit() == "on"


def _synchronous_commit() -> str:
    with db_connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_the_sweep_enqueues_the_due_messages_earliest_first_in_batches(
    recording, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OUTBOX_BATCH_SIZE = 2
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    m0, m1, m2, m3 = _messages(4)
    now = timezone.now()
    for message, minutes in ((m0, 1), (m1, 3), (m2, 2), (m3, -60)):  # m3 is not due for an hour
        OutboxMessage.objects.filter(pk=message.pk).update(
            send_after=now - dt.timedelta(minutes=minutes)
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.enqueue_due(limit=1) == 1
    assert len(callbacks) == 1 and [_to(e) for e in mail.outbox] == ["m1@example.org"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.enqueue_due() == 2
    assert len(callbacks) == 1  # one batch of two
    assert sorted(_to(e) for e in mail.outbox) == [f"m{i}@example.org" for i in range(3)]
    assert OutboxMessage.objects.get(pk=m3.pk).state == "queued"
    # The sweep's clock decides what is due.
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.enqueue_due(now=now + dt.timedelta(hours=2)) == 1
    assert len(callbacks) == 1


def test_an_email_is_built_from_its_outbox_record(settings):
    settings.DEFAULT_FROM_EMAIL = "Secretariat <secretariat@example.org>"
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:m1@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20260302T140000Z\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    message = queued(key="built", headers={"List-Id": "<test.example.org>"})
    OutboxMessage.objects.filter(pk=message.pk).update(
        attachments=[
            {"filename": "invite.ics", "content": ics, "mimetype": "text/calendar; method=REQUEST"},
            {"filename": "agenda.csv", "content": "item,title\n1,Apologies\n", "mimetype": ""},
            {"filename": "notes.txt", "content": "Notes", "mimetype": "text/markdown"},
        ]
    )
    message.refresh_from_db()
    email = services.build_email(message)
    assert email.to == ["Mo Member <member@example.org>"]
    assert email.subject == message.subject and email.body == message.body_text
    assert email.from_email == "Secretariat <secretariat@example.org>"
    assert email.alternatives[0] == (message.body_html, "text/html")
    [(invite, method)] = [a for a in email.alternatives if a[1].startswith("text/calendar")]
    assert method == "text/calendar; method=REQUEST"
    assert 'ATTENDEE;CN="Mo Member";' in invite.replace("\r\n ", "")
    assert "mailto:member@example.org" in invite.replace("\r\n ", "")
    assert [tuple(a) for a in email.attachments] == [
        ("invite.ics", invite, "application/ics"),
        ("agenda.csv", "item,title\n1,Apologies\n", "text/csv"),  # guessed from the name
        ("notes.txt", "Notes", "text/markdown"),
    ]
    parsed = email.message()
    assert parsed["X-ICP-Message"] == "meeting-cancelled"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"] == services.message_id(message)
    assert parsed["List-Id"] == "<test.example.org>"

    OutboxMessage.objects.filter(pk=message.pk).update(
        recipient_name="", from_email="Clerk <clerk@example.org>", headers={}
    )
    message.refresh_from_db()
    email = services.build_email(message)
    assert email.to == ["member@example.org"]
    assert email.from_email == "Clerk <clerk@example.org>"
    assert email.message()["Auto-Submitted"] == "auto-generated"


def test_message_ids_are_on_the_sites_host_or_localhost(settings):
    [message] = _messages(1)
    settings.SITE_URL = "https://icp.example.net:8443/base/"
    assert services.site_domain() == "icp.example.net"
    assert services.message_id(message).endswith("@icp.example.net>")
    settings.SITE_URL = "/relative-only/"
    assert services.site_domain() == "localhost"


def test_a_claim_records_when_it_was_made_and_sent_messages_are_never_due_again(settings):
    sent, failed = _messages(2)
    claimed_at = timezone.now()
    claimed = services.claim_message(pk=sent.pk, now=claimed_at)
    assert claimed.claimed_at == claimed_at
    services._record_sent(claimed)
    services._record_failure(services.claim_message(pk=failed.pk), ValueError("bad address"))
    later = claimed_at + dt.timedelta(minutes=settings.OUTBOX_STALE_SENDING_MINUTES + 60)
    assert not services.due_messages(later).exists()
    assert {m.state for m in OutboxMessage.objects.filter(pk__in=[sent.pk, failed.pk])} == {
        "sent",
        "failed",
    }


def test_a_batch_size_below_one_sends_each_message_on_its_own(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_BATCH_SIZE = 0
    with django_capture_on_commit_callbacks() as callbacks:
        services.send_soon([m.pk for m in _messages(2)])
    assert len(callbacks) == 2


def test_send_soon_sends_the_messages_named_and_no_other(
    recording, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OUTBOX_BATCH_SIZE = 10
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    m0, m1, m2 = _messages(3)  # all three due
    with django_capture_on_commit_callbacks(execute=True):
        services.send_soon([m0.pk, m2.pk])
    assert sorted(_to(e) for e in mail.outbox) == ["m0@example.org", "m2@example.org"]
    assert OutboxMessage.objects.get(pk=m1.pk).state == "queued"


def test_retry_puts_back_only_the_message_retried_due_now_with_a_fresh_count():
    one, other = _messages(2)
    OutboxMessage.objects.filter(pk__in=[one.pk, other.pk]).update(
        state="failed", attempts=6, send_after=timezone.now() + dt.timedelta(days=1)
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
        retried = services.retry_message(message=one)
        assert (retried.state, retried.attempts, retried.send_after) == (
            "queued",
            0,
            timezone.now(),
        )
    assert OutboxMessage.objects.get(pk=other.pk).state == "failed"
    with pytest.raises(services.CommunicationsError) as refused:
        services.retry_message(message=one)
    assert str(refused.value) == "Only a failed message can be retried; this one is not failed."
