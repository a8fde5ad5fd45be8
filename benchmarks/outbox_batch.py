"""Outbox throughput: messages per second sent one per connection (`deliver_message`, as the
per-message task does) and in batches over one connection (`deliver_batch`), side by side with
the ceiling: the same messages built and sent from one process on one SMTP connection with no
outbox bookkeeping. An aiosmtpd server on loopback receives them.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/outbox_batch.py \
        [--messages 500] [--rounds 5]

On a shared machine the load changes from one second to the next, so the two are measured in
turns of one batch (`OUTBOX_BATCH_SIZE` messages) each, the ceiling on one connection kept open
across its turns; a round sends `--messages` each way, and the figures are the medians of
`--rounds` rounds (every round is printed, with the CPU time this process spent a message on
each path, the SMTP server's thread included). The one-connection-per-message path is slow and
is measured once, after the first round.

Uses the database it is pointed at (run `manage.py migrate` first); it deletes the outbox rows
it made.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.settings")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.mail import get_connection  # noqa: E402

from communications.mail import Recipient, queue_bulk  # noqa: E402
from communications.models import OutboxMessage  # noqa: E402
from communications.services import build_email, deliver_batch, deliver_message  # noqa: E402


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queue(n: int, tag: str) -> list[int]:
    context = {"date_text": "Tuesday 6 January 2026", "start_time": "14:00",
               "cancellation_reason": "No business", "committee_name": "Bench"}  # fmt: skip
    recipients = [
        Recipient(f"m{i}@example.org", f"Member {i}", f"bench-{tag}-{i}") for i in range(n)
    ]
    return queue_bulk(recipients=recipients, name="meeting-cancelled", context=context)


@contextlib.contextmanager
def timed(wall: Counter, cpu: Counter, key: str):
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    yield
    wall[key] += time.perf_counter() - wall_start
    cpu[key] += time.process_time() - cpu_start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one batch, then stop")
    args = parser.parse_args()
    n = args.messages
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    OutboxMessage.objects.filter(idempotency_key__startswith="bench-").delete()
    ceilings, batches, cpu_ms, single = [], [], [], None
    try:
        if args.profile:
            import cProfile

            pks = queue(n, "profile")
            cProfile.runctx("deliver_batch(pks=pks, limit=n)", globals(), locals(), sort="tottime")
            return
        size = settings.OUTBOX_BATCH_SIZE
        for r in range(args.rounds):
            ceiling_pks = queue(n, f"ceiling-{r}")
            messages = list(OutboxMessage.objects.filter(pk__in=ceiling_pks).order_by("pk"))
            batch_pks = sorted(queue(n, f"batch-{r}"))
            wall, cpu = Counter(), Counter()
            with get_connection() as connection:
                # A batch's worth of each in turn, so that both see the same load.
                for start in range(0, n, size):
                    with timed(wall, cpu, "ceiling"):
                        for m in messages[start : start + size]:
                            build_email(m, connection).send()
                    with timed(wall, cpu, "batch"):
                        while deliver_batch(pks=batch_pks[start : start + size]):
                            pass
            ceilings.append(n / wall["ceiling"])
            batches.append(n / wall["batch"])
            cpu_ms.append((1000 * cpu["ceiling"] / n, 1000 * cpu["batch"] / n))
            print(f"round {r + 1}: ceiling {ceilings[-1]:,.0f} msg/s, batch {batches[-1]:,.0f}"
                  f" msg/s ({batches[-1] / ceilings[-1]:.0%}); CPU of this process a message:"
                  f" {cpu_ms[-1][0]:.1f} ms and {cpu_ms[-1][1]:.1f} ms", flush=True)  # fmt: skip
            if single is None:
                pks = queue(n, "single")
                start = time.perf_counter()
                for pk in pks:
                    deliver_message(pk=pk)
                # (Only the benchmark's own messages are sent: the database may hold others.)
                single = n / (time.perf_counter() - start)
    finally:
        OutboxMessage.objects.filter(idempotency_key__startswith="bench-").delete()
        controller.stop()
    ratio = statistics.median(b / c for b, c in zip(batches, ceilings, strict=True))
    print(f"{n} messages a run, {args.rounds} rounds, received {sink.count}; medians:")
    print(
        f"one process, one connection, no outbox (ceiling): {statistics.median(ceilings):,.0f} msg/s"
    )
    print(f"deliver_message, a connection each:              {single:,.0f} msg/s")
    print(f"deliver_batch, one connection per {settings.OUTBOX_BATCH_SIZE}:"
          f"             {statistics.median(batches):,.0f} msg/s ({ratio:.0%} of the ceiling)")  # fmt: skip


if __name__ == "__main__":
    main()
