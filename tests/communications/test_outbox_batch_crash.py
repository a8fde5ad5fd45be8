"""A batch worker killed (SIGKILL) at chosen moments of a batch, against a real SMTP server on
loopback and PostgreSQL: each message's `sent` mark is committed before the next message can
reach the server, so a killed worker loses nothing, and duplicates nothing unless killed in the
one unavoidable window (the server took a message, the worker never heard it), where exactly
that one message is sent again; and what it had claimed is due again once its lease runs out.
A mark the database refuses stops the batch before the next message reaches the server."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Max, Min

from communications.models import OutboxMessage
from communications.services import MarkFailed, deliver_batch, due_messages
from tests.communications.conftest import RecordingHandler, serving
from tests.communications.test_delivery_integration import wait_until
from tests.communications.test_outbox_batch import _queue
from tests.conftest import need_postgres

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WORKER_APP = "outbox-batch-worker-under-test"


def _dsn() -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": db["NAME"],
    }


class KillingHandler(RecordingHandler):
    """Records like RecordingHandler, and how many outbox messages were marked sent when each
    message's data arrived; kills the worker when the `kill_at`-th message reaches `kill_on`:
    "RCPT" (its envelope: the server cannot take it yet) or "DATA" (its data and final dot: the
    server took it, and the worker dies before hearing so)."""

    def __init__(self, *, kill_on: str, kill_at: int) -> None:
        super().__init__()
        self.kill_on, self.kill_at = kill_on, kill_at
        self.worker_pid: int | None = None
        self.envelopes = 0
        self.marked_when_data_came: list[int] = []
        self.db = psycopg.connect(**_dsn(), autocommit=True)

    def _kill_worker(self) -> None:
        if self.worker_pid is not None:
            # Once kill() returns, the worker runs no more of its code: SIGKILL is fatal at once.
            os.kill(self.worker_pid, signal.SIGKILL)
            self.worker_pid = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.envelopes += 1
        if self.kill_on == "RCPT" and self.envelopes == self.kill_at:
            self._kill_worker()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        sent = self.db.execute(
            "SELECT count(*) FROM communications_outboxmessage WHERE state = 'sent'"
        )
        self.marked_when_data_came.append(sent.fetchone()[0])
        answer = await super().handle_DATA(server, session, envelope)
        if self.kill_on == "DATA" and len(self.messages) == self.kill_at:
            self._kill_worker()
        return answer


@pytest.fixture
def killing_server(settings, request):
    """A loopback SMTP server answering with a KillingHandler (`request.param`: its kill_on and
    kill_at)."""
    need_postgres()
    kill_on, kill_at = request.param
    handler = KillingHandler(kill_on=kill_on, kill_at=kill_at)
    try:
        with serving(handler, settings):
            yield handler
    finally:
        handler.db.close()


def _run_worker_until_killed(handler: KillingHandler) -> None:
    """One batch worker in its own process, on this test database and SMTP server, killed by
    the handler."""
    need_postgres()
    dsn = _dsn()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icp_secretariat.settings",
        "DATABASE_URL": f"postgres://{dsn['user']}@{dsn['host']}:{dsn['port']}/{dsn['dbname']}",
        "TEST_DB_NAME": "",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "PGAPPNAME": WORKER_APP,
    }
    script = (
        "import django; django.setup()\n"
        "from communications.services import deliver_batch\n"
        "print(dict(deliver_batch(limit=100)))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env)
    handler.worker_pid = proc.pid
    try:
        proc.wait(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the worker finished instead of being killed"
    # What the worker had written to PostgreSQL before it died is processed by its server
    # process, which then sees the connection closed and exits: wait for that.
    wait_until(lambda: not _worker_backends())


def _worker_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [WORKER_APP]
        )
        return cursor.fetchone()[0]


def _received(handler) -> Counter:
    return Counter(m["To"] for m in handler.messages)


def _lease_run_out() -> tuple[dt.datetime, dt.datetime]:
    """A moment while the dead worker's lease holds, and one just after it ran out."""
    claims = OutboxMessage.objects.filter(state="sending").aggregate(
        claimed=Min("claimed_at"), lease=Max("lease_until")
    )
    assert claims["lease"] - claims["claimed"] == dt.timedelta(
        seconds=settings.OUTBOX_LEASE_SECONDS
    )
    return claims["claimed"] + dt.timedelta(seconds=1), claims["lease"] + dt.timedelta(seconds=1)


def _states() -> list[str]:
    return list(OutboxMessage.objects.order_by("pk").values_list("state", flat=True))


@pytest.mark.parametrize("killing_server", [("RCPT", 5)], indirect=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(killing_server):
    _queue(8)
    _run_worker_until_killed(killing_server)
    # Killed while the server had the 5th message's envelope but not its data: four sent and
    # marked; when each message's data arrived, every earlier one was already marked.
    assert killing_server.marked_when_data_came == [0, 1, 2, 3]
    assert _states() == ["sent"] * 4 + ["sending"] * 4
    # Nobody touches the dead worker's claims while its lease holds; once it ran out (well
    # within a minute), the next worker sends each of them once.
    during, after = _lease_run_out()
    assert deliver_batch(limit=100, now=during) == {}
    assert (
        settings.OUTBOX_LEASE_SECONDS + settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]["schedule"]
        <= 60
    )
    assert due_messages(after).count() == 4
    assert deliver_batch(limit=100, now=after) == {"sent": 4}
    assert _states() == ["sent"] * 8
    assert _received(killing_server) == Counter(
        f"Member {i} <member@example.org>" for i in range(8)
    )


@pytest.mark.parametrize("killing_server", [("DATA", 5)], indirect=True)
def test_a_worker_killed_as_the_server_takes_a_message_sends_only_that_one_again(
    killing_server,
):
    _queue(8)
    _run_worker_until_killed(killing_server)
    # The server took the 5th message; the worker died before hearing so. The four before it
    # were marked before the 5th could reach the server: only the 5th is left unmarked.
    assert killing_server.marked_when_data_came == [0, 1, 2, 3, 4]
    assert _states() == ["sent"] * 4 + ["sending"] * 4
    _during, after = _lease_run_out()
    assert deliver_batch(limit=100, now=after) == {"sent": 4}
    # SMTP cannot be asked whether it took a message: that one arrives twice, no other does.
    expected = Counter(f"Member {i} <member@example.org>" for i in range(8))
    expected["Member 4 <member@example.org>"] += 1
    assert _received(killing_server) == expected


def test_a_mark_the_database_refuses_stops_the_batch_before_the_next_message(smtp_server):
    need_postgres()
    messages = _queue(3)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_mark() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF NEW.state = 'sent' AND NEW.id = {messages[0].pk} THEN"
            " RAISE EXCEPTION 'mark refused'; END IF; RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_mark BEFORE UPDATE ON communications_outboxmessage"
            " FOR EACH ROW EXECUTE FUNCTION test_refuse_mark()"
        )
    try:
        with pytest.raises(MarkFailed, match="mark refused"):
            deliver_batch(limit=10)
        # The first message went; the second never reached the server (its data was held
        # back, the session dropped); the database connection still serves queries.
        assert _received(smtp_server) == {"Member 0 <member@example.org>": 1}
        assert _states() == ["sending"] * 3
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER test_refuse_mark ON communications_outboxmessage")
            cursor.execute("DROP FUNCTION test_refuse_mark()")
    _during, after = _lease_run_out()
    assert deliver_batch(limit=10, now=after) == {"sent": 3}
    # The refused mark's message is the one the server took unmarked: it alone goes twice.
    assert _received(smtp_server) == Counter(
        {"Member 0 <member@example.org>": 2, "Member 1 <member@example.org>": 1,
         "Member 2 <member@example.org>": 1}
    )  # fmt: skip
