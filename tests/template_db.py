"""One migrated test database for each state of the migrations, copied for each xdist worker
(PostgreSQL).

Running every migration costs each worker 17 to 19 s of CPU (Django's migration state), and the
workers share two cores. Instead a template database is migrated once and every worker's
database is created from it (`CREATE DATABASE ... TEMPLATE`, Django's own `TEST["TEMPLATE"]`);
the migrations then find nothing left to apply.

The template is named after what the migrated schema depends on (`schema_key`): the migration
files of the project's apps, the locked third-party packages (whose migrations are theirs), the
installed apps and Django's version. It is kept between runs, so only the first run after a
migration changes pays for migrating, and a template is never used for another state of the
migrations. The first worker that needs a database and finds no template migrates one under an
advisory lock, under a name of its own (`<template>_new_<run id>`), and renames it only once it
is whole: a run killed while migrating leaves nothing that a later run would take for a
template. Older templates of the same test database are dropped at the end of a run (`prune`).

Only with pytest-xdist on PostgreSQL and without `--reuse-db`; otherwise the databases are set up
as pytest-django always does.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.test.utils import setup_databases

ALIAS = "default"
BUILDING = "_new_"  # a template being migrated: `<template>_new_<run id>`
ROOT = Path(__file__).resolve().parent.parent


def run_uid(config) -> str:
    """The run's id, the same in the controller and in every worker (xdist's --testrunuid)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return workerinput["testrunuid"]
    if getattr(config.option, "testrunuid", None) is None:
        config.option.testrunuid = uuid.uuid4().hex
    return config.option.testrunuid


def schema_key(root: Path = ROOT, app_paths: list[str] | None = None) -> str:
    """A digest of everything the migrated test database depends on: each project app's
    migration files (by path and content), uv.lock (the third-party apps' migrations come with
    their locked versions), the installed apps in order, and Django's version."""
    if app_paths is None:
        app_paths = [app.path for app in apps.get_app_configs()]
    digest = hashlib.sha256()
    digest.update(repr((django.VERSION, list(settings.INSTALLED_APPS))).encode())
    lock = root / "uv.lock"
    digest.update(lock.read_bytes() if lock.exists() else b"")
    for app_path in app_paths:
        folder = Path(app_path) / "migrations"
        if not folder.is_relative_to(root) or ".venv" in folder.relative_to(root).parts:
            continue  # a third-party app's: its version is in uv.lock
        for path in sorted(folder.glob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _base_name() -> str:
    """The test database's name without a worker's suffix (`test_postgres`)."""
    db = settings.DATABASES[ALIAS]
    name = (db.get("TEST") or {}).get("NAME") or f"test_{db['NAME']}"
    worker = name.rsplit("_", 1)
    return worker[0] if len(worker) == 2 and worker[1].startswith("gw") else name


def template_name() -> str:
    return f"{_base_name()}_tpl_{schema_key()}"


def _postgres() -> bool:
    return settings.DATABASES[ALIAS]["ENGINE"] == "django.db.backends.postgresql"


def applies(config, keepdb: bool) -> bool:
    return hasattr(config, "workerinput") and not keepdb and _postgres()


def setup(config, verbosity: int):
    """Create this worker's test database from the template of the current migrations (made
    here first if there is none); return what `teardown_databases` needs."""
    conn = connections[ALIAS]
    template = template_name()
    worker_db = conn.settings_dict["TEST"]["NAME"]
    production_name = conn.settings_dict["NAME"]
    with conn._nodb_cursor() as cursor:
        # One worker (of any run) at a time: the first migrates the template; a copy needs the
        # template with no one connected to it.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        try:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                building = f"{template}{BUILDING}{run_uid(config)[:12]}"
                conn.settings_dict["TEST"]["NAME"] = building
                conn.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
                conn.close()
                conn.settings_dict["NAME"] = production_name
                settings.DATABASES[ALIAS]["NAME"] = production_name
                quote = conn.ops.quote_name
                cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
            conn.settings_dict["TEST"]["NAME"] = worker_db
            conn.settings_dict["TEST"]["TEMPLATE"] = template
            return setup_databases(
                verbosity=verbosity, interactive=False, aliases={ALIAS}, serialized_aliases=set()
            )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])


def stale_templates(names: list[str], current: str, base: str) -> list[str]:
    """Which of `names` (databases) are templates of `base` other than `current`, whole or
    being built (by another run, or left half-built by a run that was killed)."""
    return sorted(n for n in names if n.startswith(f"{base}_tpl_") and n != current)


def lock_name(database: str) -> str:
    """The advisory lock that a template's builders and copiers hold: the whole template's."""
    return database.split(BUILDING, 1)[0]


def prune() -> None:
    """At the end of the run (the controller, once the workers have dropped their copies): drop
    the templates of other states of the migrations. One that another run is building or
    copying right now (it holds the template's lock) stays, for a later run to drop."""
    if not _postgres():
        return
    conn = connections[ALIAS]
    with conn._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        names = [row[0] for row in cursor.fetchall()]
        for name in stale_templates(names, template_name(), _base_name()):
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [lock_name(name)])
            if not cursor.fetchone()[0]:
                continue
            try:
                cursor.execute(f"DROP DATABASE IF EXISTS {conn.ops.quote_name(name)}")
            except DatabaseError:  # connected to by someone else
                pass
            finally:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [lock_name(name)])
