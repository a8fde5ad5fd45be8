"""A batch does not wait for each message's `sent` mark before starting the next message, and
never lets the next message's data go before that mark is committed (`_SentMarks`, issue 17):
on PostgreSQL the mark goes through libpq's asynchronous calls while the next envelope is sent,
and the outbox's SMTP session settles it between the server's 354 and the data."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from communications.services import deliver_batch
from tests.communications.conftest import RecordingHandler, serving
from tests.communications.test_outbox_batch import _queue
from tests.communications.test_outbox_batch_crash import _dsn, _states
from tests.conftest import need_postgres

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
HOLD = 1.0  # seconds the first message's mark is held up by another transaction's row lock


class HoldingHandler(RecordingHandler):
    """Records when each envelope and each message's data arrive. When the first message's data
    arrives, another transaction locks that message's row for HOLD seconds, so the worker's
    mark of it (an UPDATE of that row) cannot commit before then."""

    def __init__(self) -> None:
        super().__init__()
        self.mail_at: list[float] = []
        self.data_at: list[float] = []
        self.released_at: float | None = None
        self.marked_when_data_came: list[list[str]] = []
        self.locker = psycopg.connect(**_dsn())
        self.reader = psycopg.connect(**_dsn(), autocommit=True)
        self.first_pk: int | None = None

    def _release(self) -> None:
        self.released_at = time.monotonic()
        self.locker.commit()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        self.mail_at.append(time.monotonic())
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.data_at.append(time.monotonic())
        rows = self.reader.execute(
            "SELECT state FROM communications_outboxmessage ORDER BY id"
        ).fetchall()
        self.marked_when_data_came.append([r[0] for r in rows])
        if len(self.data_at) == 1:
            self.locker.execute(
                "SELECT id FROM communications_outboxmessage WHERE id = %s FOR UPDATE",
                [self.first_pk],
            )
            threading.Timer(HOLD, self._release).start()
        return await super().handle_DATA(server, session, envelope)


def test_the_next_envelope_goes_while_a_mark_is_in_flight_and_its_data_waits_for_the_mark(
    settings,
):
    need_postgres()
    handler = HoldingHandler()
    try:
        with serving(handler, settings):
            messages = _queue(2)
            handler.first_pk = messages[0].pk
            assert deliver_batch(limit=10) == {"sent": 2}
    finally:
        handler.locker.close()
        handler.reader.close()
    assert len(handler.mail_at) == 2 and len(handler.data_at) == 2
    released = handler.released_at
    assert released is not None
    # The second message's envelope reached the server while the first one's mark was held up:
    # the batch went on without waiting for it ...
    assert handler.mail_at[1] < released, (handler.mail_at, released)
    # ... but its data came only once that mark was committed.
    assert handler.data_at[1] >= released
    assert handler.marked_when_data_came == [["sending", "sending"], ["sent", "sending"]]
    assert _states() == ["sent", "sent"]
