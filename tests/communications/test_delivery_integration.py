"""End to end: real Redis broker, real Celery workers, real SMTP server on loopback.

Issues a notice and receives every message; runs the sweep twice on two workers at once and
receives no duplicates; makes the SMTP server fail (421) a few times and still receives each
message exactly once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from communications.models import OutboxMessage
from communications.tasks import send_outbox_message, sweep_outbox
from meetings.scheduling.services import issue_notice, schedule_meeting
from tests import celery_worker
from tests.celery_worker import use_redis_broker
from tests.conftest import need_postgres

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_app(redis_url, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 0  # retries are due at once; the test drives the sweep
    settings.OUTBOX_MAX_ATTEMPTS = 10
    app = use_redis_broker(redis_url)
    yield app
    app.control.purge()


@contextlib.contextmanager
def worker(celery_app, django_db_blocker):
    """One in-process worker (STACK-NOTES: started inside django_db_blocker.unblock())."""
    with celery_worker.worker(django_db_blocker, shutdown_timeout=15):
        yield


@contextlib.contextmanager
def worker_processes(celery_app, smtp_port: int, count: int = 2):
    """`count` separate `celery worker` processes on the test database, the same Redis queue
    and the loopback SMTP server. (In-process test workers cannot run two at a time: they
    stop through one process-wide flag.)"""
    need_postgres()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icp_secretariat.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": celery_app.conf.broker_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "OUTBOX_BACKOFF_SECONDS": "0",
        "OUTBOX_MAX_ATTEMPTS": "10",
        "TEST_DB_NAME": "",
    }
    names = [f"issue3-proc-{n}-{os.getpid()}@localhost" for n in range(count)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "icp_secretariat",
                "worker",
                "--pool=solo",
                "-n",
                name,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        for name in names
    ]
    try:
        wait_until(
            lambda: (
                set(names) <= {n for reply in celery_app.control.ping(timeout=0.5) for n in reply}
            ),
            timeout=60,
        )
        yield
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def wait_until(condition, *, timeout=30.0, poke=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if poke:
            poke()
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def drained(celery_app, *, workers: int) -> bool:
    """No task waits in the broker's queue and every worker answers that it holds none
    (a worker busy with a task does not answer at all)."""

    def waiting() -> int:
        with celery_app.connection_for_write() as conn:
            queue = celery_app.conf.task_default_queue
            # Declaring an existing queue changes nothing; it answers how many messages wait.
            return conn.default_channel.queue_declare(queue=queue).message_count

    if waiting():
        return False
    # An idle worker answers within milliseconds, but on a loaded two-core machine its reply can
    # take over half a second to reach us; a short timeout read "no answer" as "busy" and the
    # test waited forever for three good answers in a row (the flake of stop 24).
    inspect = celery_app.control.inspect(timeout=2.0)
    for held in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        if held is None or len(held) < workers or any(held.values()):
            return False
    return not waiting()


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(state__in=["sent", "cancelled"]).exists()


@pytest.fixture
def meeting(personas, committee):
    return schedule_meeting(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=35),
        start_time=dt.time(14),
        venue="Sessions House",
    )


def received(smtp_server) -> Counter:
    return Counter((m["To"], m["Subject"]) for m in smtp_server.messages)


def expected() -> Counter:
    from email.utils import formataddr

    return Counter(
        (
            formataddr((m.recipient_name, m.recipient)) if m.recipient_name else m.recipient,
            m.subject,
        )
        for m in OutboxMessage.objects.filter(state="sent")
    )


def test_issuing_a_notice_delivers_every_message(
    celery_app, django_db_blocker, smtp_server, meeting
):
    with worker(celery_app, django_db_blocker):
        issue_notice(meeting=meeting)
        wait_until(lambda: len(smtp_server.messages) >= 3 and all_sent())
    to = sorted(m["To"] for m in smtp_server.messages)
    assert to == [
        "Chair Persona <chair@example.org>",
        "Member Persona <member@example.org>",
        "Participant Persona <participant@example.org>",
    ]
    assert all(m["Subject"].startswith("Test Joint Committee:") for m in smtp_server.messages)
    assert all(
        "text/calendar" in {p.get_content_type() for p in m.walk()} for m in smtp_server.messages
    )


def test_sweeps_on_two_workers_send_no_duplicates(celery_app, smtp_server, meeting, settings):
    # Notice queued while no worker runs: its send tasks wait in Redis. Then two sweeps and a
    # repeated send task for each message, all picked up by two workers at once.
    issue_notice(meeting=meeting)
    for pk in OutboxMessage.objects.values_list("pk", flat=True):
        send_outbox_message.delay(pk)
    sweep_outbox.delay()
    sweep_outbox.delay()
    with worker_processes(celery_app, settings.EMAIL_PORT, count=2):
        wait_until(lambda: all_sent() and OutboxMessage.objects.exists())
        sweep_outbox.delay()
        sweep_outbox.delay()
        # Let the last sweeps run (they must find nothing to send): wait until no task waits
        # in Redis and no worker holds one, seen twice in a row.
        wait_until(
            lambda: drained(celery_app, workers=2) and drained(celery_app, workers=2), timeout=90
        )
        wait_until(all_sent)
    assert OutboxMessage.objects.filter(state="sent").count() >= 3
    assert received(smtp_server) == expected()
    assert max(received(smtp_server).values()) == 1


def test_temporary_smtp_failures_are_retried_and_each_message_arrives_once(
    celery_app, django_db_blocker, smtp_server, meeting
):
    smtp_server.fail_next = 4
    with worker(celery_app, django_db_blocker):
        issue_notice(meeting=meeting)
        wait_until(all_sent, poke=sweep_outbox.delay)
    assert smtp_server.fail_next == 0
    assert received(smtp_server) == expected()
    assert max(received(smtp_server).values()) == 1
    assert (
        sum(OutboxMessage.objects.values_list("attempts", flat=True))
        == OutboxMessage.objects.count() + 4
    )
    assert all(
        "421" in e
        for e in OutboxMessage.objects.exclude(last_error="").values_list("last_error", flat=True)
    )
