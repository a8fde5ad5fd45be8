"""Sending the outbox in batches against a real SMTP server (aiosmtpd on loopback): one
connection per batch, each message marked as it goes, exactly once; a worker that dies
mid-batch leaves its claims to be retried once its lease runs out (well within a minute)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from communications.models import OutboxMessage
from communications.services import (
    build_email,
    claim_batch,
    deliver_batch,
    due_messages,
)
from tests.communications.test_outbox import queued

pytestmark = pytest.mark.django_db


def _queue(n: int) -> list[OutboxMessage]:
    out = []
    for i in range(n):
        message = queued(key=f"batch-{i}")
        OutboxMessage.objects.filter(pk=message.pk).update(recipient_name=f"Member {i}")
        out.append(message)
    return out


def test_a_batch_goes_over_one_connection_and_each_message_once(smtp_server):
    messages = _queue(12)
    outcome = deliver_batch(limit=50)
    assert outcome == {"sent": 12}
    assert len(smtp_server.messages) == 12
    assert smtp_server.connections() == 1
    assert sorted(smtp_server.recipients()) == sorted(
        f"Member {i} <member@example.org>" for i in range(12)
    )
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    # Nothing is due any more: a second worker sends nothing.
    assert deliver_batch(limit=50) == {}
    assert len(smtp_server.messages) == len({m.pk for m in messages})


def test_batches_are_bounded_and_claims_do_not_overlap(smtp_server):
    _queue(5)
    first = claim_batch(limit=3)
    second = claim_batch(limit=3)
    assert len(first) == 3 and len(second) == 2
    assert not {m.pk for m in first} & {m.pk for m in second}
    assert claim_batch(limit=3) == []  # all held under a live lease


def test_a_temporary_failure_in_a_batch_is_retried_and_the_rest_still_sent(smtp_server):
    _queue(4)
    smtp_server.fail_next = 1
    outcome = deliver_batch(limit=10)
    assert outcome == {"queued": 1, "sent": 3}
    retried = OutboxMessage.objects.get(state="queued")
    assert retried.attempts == 1 and "421" in retried.last_error


def test_a_worker_killed_mid_batch_has_its_claims_retried_when_the_lease_runs_out(
    smtp_server, settings
):
    _queue(3)
    now = timezone.now()
    claimed = claim_batch(limit=10, now=now)
    assert len(claimed) == 3
    # The worker sends the first message and records it, then dies before the other two.
    first = claimed[0]
    build_email(first).send()
    OutboxMessage.objects.filter(pk=first.pk, claim_token=first.claim_token).update(
        state="sent", sent_at=now
    )
    # While the lease holds, nobody else touches its claims.
    assert deliver_batch(limit=10, now=now + dt.timedelta(seconds=5)) == {}
    # Once it runs out (well within a minute), the next worker sends the other two, once.
    later = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 1)
    assert (
        settings.OUTBOX_LEASE_SECONDS + settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]["schedule"]
        <= 60
    )
    assert {m.pk for m in due_messages(later)} == {m.pk for m in claimed[1:]}
    assert deliver_batch(limit=10, now=later) == {"sent": 2}
    assert sorted(smtp_server.recipients()) == sorted(
        f"Member {i} <member@example.org>" for i in range(3)
    )
    # The dead worker's token no longer marks anything.
    assert not OutboxMessage.objects.filter(claim_token=first.claim_token).exclude(pk=first.pk)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}


def test_the_lease_is_renewed_between_messages_while_their_marks_are_in_flight(
    smtp_server, settings
):
    # A lease of zero seconds is renewed before every message: each renewal is a query on the
    # connection that carries the previous message's mark, which must be settled first.
    settings.OUTBOX_LEASE_SECONDS = 0
    _queue(4)
    assert deliver_batch(limit=10) == {"sent": 4}
    assert len(smtp_server.messages) == 4
    assert list(OutboxMessage.objects.values_list("state", "lease_until")) == [("sent", None)] * 4
