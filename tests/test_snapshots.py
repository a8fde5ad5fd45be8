"""tests/snapshots.py: a restore makes every table exactly what the build left, whatever the
values (on PostgreSQL the rows go back by COPY, whose text format must carry tabs, newlines,
backslashes, JSON, decimals, times and nulls through unchanged)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from committees.models import Committee, CommitteeRules
from meetings.models import Meeting
from tests import snapshots

pytestmark = pytest.mark.django_db

AWKWARD = 'Tab\there, a new line\nand a back\\slash, "quotes", \\N, a comma, and café'


def build() -> dict:
    committee = Committee.objects.create(name="Snapshot JC", slug="snapshot-jc", purpose=AWKWARD)
    CommitteeRules.objects.create(
        committee=committee,
        quorum_fraction=Decimal("0.34"),
        references={"quorum": "6.1", "note": AWKWARD, "list": [1, None, "\\N"]},
    )
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2030, 6, 4),
        start_time=dt.time(14, 30),
        end_time=None,
        venue=AWKWARD,
    )
    return {"committee": committee.pk, "meeting": meeting.pk}


def in_order(tables: dict) -> dict:
    return {name: (columns, sorted(rows, key=repr)) for name, (columns, rows) in tables.items()}


def test_a_restore_makes_every_table_what_the_build_left():
    first = snapshots.restore(("snapshot-test", "awkward values"), build)
    kept = snapshots._SNAPSHOTS[("snapshot-test", "awkward values")].tables
    assert kept["meetings_meeting"][1], "the build's rows were kept"

    # Change and delete what the build made, then restore again.
    Meeting.objects.filter(pk=first["meeting"]).update(venue="Elsewhere")
    CommitteeRules.objects.all().delete()
    again = snapshots.restore(("snapshot-test", "awkward values"), build)

    assert again == first
    assert in_order(snapshots._copy_tables()) == in_order(kept)  # every table, column, value
    meeting = Meeting.objects.get(pk=again["meeting"])
    assert meeting.venue == AWKWARD and meeting.start_time == dt.time(14, 30)
    assert meeting.end_time is None
    rules = CommitteeRules.objects.get(committee_id=again["committee"])
    assert rules.quorum_fraction == Decimal("0.34")
    assert rules.references == {"quorum": "6.1", "note": AWKWARD, "list": [1, None, "\\N"]}
    # New rows after a restore get new keys (sequences moved past the restored rows).
    later = Meeting.objects.create(
        committee_id=again["committee"], date=dt.date(2030, 7, 1), start_time=dt.time(10, 0)
    )
    assert later.pk > again["meeting"]
