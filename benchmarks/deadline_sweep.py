"""Benchmark of the outbox sweep's planning: 50 committees x 60 members x 24 meetings.

Builds the data in a throwaway test database (SQLite in memory by default; PostgreSQL when
DATABASE_URL points at one, as `test_<name>` or TEST_DB_NAME), runs the reminder planner and the
due-message query the sweep runs, and prints the time and query count. Run it with two sizes to
see that the query count does not grow with the number of meetings:

    .venv/bin/python benchmarks/deadline_sweep.py --meetings 24
    .venv/bin/python benchmarks/deadline_sweep.py --meetings 6
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.test_settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from committees.models import Committee, CommitteeRules, Role  # noqa: E402
from communications.services import due_messages  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from meetings.reminders import plan_reminders  # noqa: E402
from members.models import Membership, Person  # noqa: E402


def build(committees: int, members: int, meetings: int) -> None:
    today = timezone.localdate()
    made = Committee.objects.bulk_create(
        Committee(name=f"Committee {n}", slug=f"committee-{n}") for n in range(committees)
    )
    CommitteeRules.objects.bulk_create(CommitteeRules(committee=c) for c in made)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"sec{n}", email=f"sec{n}@example.org") for n in range(committees)
    )
    Committee.secretariat.through.objects.bulk_create(
        Committee.secretariat.through(committee_id=c.pk, user_id=u.pk)
        for c, u in zip(made, users, strict=True)
    )
    people = Person.objects.bulk_create(
        Person(first_name="P", last_name=f"{c}-{m}", email=f"p{c}-{m}@example.org")
        for c in range(committees)
        for m in range(members)
    )
    Membership.objects.bulk_create(
        Membership(
            committee=made[i // members],
            person=p,
            role=Role.MEMBER if i % 5 else Role.PARTICIPANT,
            voting=bool(i % 5),
            start=dt.date(2020, 1, 1),
        )
        for i, p in enumerate(people)
    )
    # Meetings every ~4 weeks, half past and half future, staggered by committee.
    Meeting.objects.bulk_create(
        Meeting(
            committee=c,
            date=today + dt.timedelta(days=28 * (k - meetings // 2) + n % 20),
            start_time=dt.time(14),
            venue="Hall",
        )
        for n, c in enumerate(made)
        for k in range(meetings)
    )


def warm_up() -> float:
    """Load what a running worker has already loaded (holiday tables, compiled templates), so the
    timing measures the sweep and not Python's first imports."""
    from communications.mail import render_message
    from icp_secretariat.lib.workdays import WorkingCalendar
    from meetings import reminders

    started = time.perf_counter()
    today = timezone.localdate()
    for region in ("ENG", "WLS", "SCT", "NIR"):
        for year in range(today.year - 2, today.year + 3):
            WorkingCalendar(region).is_working_day(dt.date(year, 6, 1))
    for name in (
        reminders.ITEM_REQUEST,
        reminders.AUTHOR_PAPERS,
        reminders.DEADLINE_NEAR,
        reminders.DEADLINE_MISSED,
        reminders.MINUTES_DUE,
    ):
        render_message(name, {})
    return time.perf_counter() - started


def sweep_planning() -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        created = plan_reminders()
        due = list(due_messages().values_list("pk", flat=True))
        elapsed = time.perf_counter() - started
    del due
    return elapsed, len(queries), len(created)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=50)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--meetings", type=int, default=24, help="per committee")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        build(args.committees, args.members, args.meetings)
        print(
            f"built {args.committees} committees x {args.members} members x {args.meetings} "
            f"meetings = {Meeting.objects.count()} meetings on {connection.vendor} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        print(f"warm-up (imports, holiday tables, templates): {warm_up() * 1000:.0f} ms")
        for label in ("first sweep (creates due reminders)", "second sweep (nothing new)"):
            elapsed, queries, created = sweep_planning()
            print(f"{label}: {elapsed * 1000:.0f} ms, {queries} queries, {created} messages queued")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
