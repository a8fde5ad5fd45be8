"""Database snapshots: build a heavy test world once per session, restore it for each test.

`restore(key, build)` makes the test database exactly what it was after `build()` ran: the first
call for a key runs `build()` inside a transaction, copies every table (and the files written
under MEDIA_ROOT and PRIVATE_MEDIA_ROOT) and rolls the transaction back; every call then replaces
the contents of every table with that copy and copies the files into the test's own media roots.
The copy is taken with plain SQL over each model's own columns, so it works alike on SQLite and
PostgreSQL (whose sequences are then moved past the restored rows), in a test's transaction as
well as in a transactional (live server) test. `build()` returns what the test needs besides the
database (model instances, text); each restore hands out a deep copy of it, so one test changing
an instance cannot reach the next.

A restore replaces the whole database, so a fixture that uses it must run before any fixture that
creates rows. Keys must name everything the build depends on (for the demo, today's date).
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings


@dataclass
class Snapshot:
    tables: dict[str, tuple[list[str], list[tuple]]]
    files: Path
    value: Any


_SNAPSHOTS: dict[Any, Snapshot] = {}
_ROOTS = ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")


def _models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def _columns(model) -> list[str]:
    # Generated columns are computed by the database and cannot be written.
    return [f.column for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _plain(value):
    # Django's SQLite connection parses times and decimals when reading but has no adapter to
    # write them back as they were stored; PostgreSQL's driver takes them as read.
    if connection.vendor == "sqlite" and isinstance(value, dt.time | decimal.Decimal):
        return value.isoformat() if isinstance(value, dt.time) else str(value)
    return value


def _copy_tables() -> dict[str, tuple[list[str], list[tuple]]]:
    qn = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for model in _models():
            table = model._meta.db_table
            if table in tables:
                continue
            columns = _columns(model)
            cursor.execute(
                f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)}"  # noqa: S608
            )
            tables[table] = (columns, [tuple(map(_plain, row)) for row in cursor.fetchall()])
    return tables


def _write_tables(tables) -> None:
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are deferred to the end of the transaction on both backends, so the
        # order of the tables does not matter.
        _execute_all(cursor, [f"DELETE FROM {qn(table)}" for table in tables])  # noqa: S608
        for table, (columns, rows) in tables.items():
            if not rows:
                continue
            names = ", ".join(qn(c) for c in columns)
            if connection.vendor == "postgresql":
                # COPY: one statement a table, the rows streamed (INSERT a row took 30 s of
                # the suite's time in PostgreSQL round trips and parsing).
                with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                continue
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
        _execute_all(cursor, connection.ops.sequence_reset_sql(no_style(), _models()))


def _execute_all(cursor, statements: list[str]) -> None:
    """Run statements without parameters: on PostgreSQL in one round trip. A restore empties
    every table and resets every sequence, about 220 statements: one at a time, restoring the
    published record world took 127 to 140 ms; in one round trip, 71 to 88 ms. SQLite's
    cursor takes one statement at a time."""
    if connection.vendor == "postgresql":
        if statements:
            cursor.execute(";\n".join(statements))
        return
    for sql in statements:
        cursor.execute(sql)


def _take(build: Callable[[], Any]) -> Snapshot:
    files = Path(tempfile.mkdtemp(prefix="icp-snapshot-"))
    roots = {name: files / name for name in _ROOTS}
    with override_settings(**roots), transaction.atomic():
        value = build()
        tables = _copy_tables()
        transaction.set_rollback(True)  # the build leaves nothing behind in the database
    cache.clear()  # nor in the cache
    return Snapshot(tables=tables, files=files, value=value)


def restore(key: Any, build: Callable[[], Any]) -> Any:
    """Make the database (and media files) what `build()` left; return a copy of its value."""
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        snapshot = _SNAPSHOTS[key] = _take(build)
    _write_tables(snapshot.tables)
    for name in _ROOTS:
        source = snapshot.files / name
        if source.is_dir():
            shutil.copytree(source, Path(getattr(settings, name)), dirs_exist_ok=True)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    cache.clear()
    return copy.deepcopy(snapshot.value)


def clear() -> None:
    """Forget every snapshot and remove its files (end of the session)."""
    for snapshot in _SNAPSHOTS.values():
        shutil.rmtree(snapshot.files, ignore_errors=True)
    _SNAPSHOTS.clear()
