"""One migrated test database per run, copied for each xdist worker (PostgreSQL).

Running every migration costs each worker 17 to 19 s of CPU (Django's migration state), and the
workers share two cores, so three workers spent about a minute of the machine on the same schema.
Instead the first worker to need a database migrates a template for the whole run, under an
advisory lock, and every worker's database is created from it (`CREATE DATABASE ... TEMPLATE`,
Django's own `TEST["TEMPLATE"]`); the migrations then find nothing left to apply. The controller
drops the template when the run ends (`drop_template`).

Only with pytest-xdist on PostgreSQL and without `--reuse-db`; otherwise the databases are set up
as pytest-django always does.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import connections
from django.test.utils import setup_databases

ALIAS = "default"


def run_uid(config) -> str:
    """The run's id, the same in the controller and in every worker (xdist's --testrunuid)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return workerinput["testrunuid"]
    if getattr(config.option, "testrunuid", None) is None:
        config.option.testrunuid = uuid.uuid4().hex
    return config.option.testrunuid


def _base_name() -> str:
    """The test database's name without a worker's suffix (`test_postgres`)."""
    db = settings.DATABASES[ALIAS]
    name = (db.get("TEST") or {}).get("NAME") or f"test_{db['NAME']}"
    worker = name.rsplit("_", 1)
    return worker[0] if len(worker) == 2 and worker[1].startswith("gw") else name


def template_name(config) -> str:
    return f"{_base_name()}_tpl_{run_uid(config)[:12]}"


def _postgres() -> bool:
    return settings.DATABASES[ALIAS]["ENGINE"] == "django.db.backends.postgresql"


def applies(config, keepdb: bool) -> bool:
    return hasattr(config, "workerinput") and not keepdb and _postgres()


def setup(config, verbosity: int):
    """Create this worker's test database from the run's template (made here if this worker is
    the first); return what `teardown_databases` needs."""
    conn = connections[ALIAS]
    template = template_name(config)
    worker_db = conn.settings_dict["TEST"]["NAME"]
    production_name = conn.settings_dict["NAME"]
    with conn._nodb_cursor() as cursor:
        # One worker at a time: the first migrates the template; a copy needs the template with
        # no one connected to it.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        try:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                conn.settings_dict["TEST"]["NAME"] = template
                conn.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
                conn.close()
                conn.settings_dict["NAME"] = production_name
                settings.DATABASES[ALIAS]["NAME"] = production_name
            conn.settings_dict["TEST"]["NAME"] = worker_db
            conn.settings_dict["TEST"]["TEMPLATE"] = template
            return setup_databases(
                verbosity=verbosity, interactive=False, aliases={ALIAS}, serialized_aliases=set()
            )
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])


def drop_template(config) -> None:
    """At the end of the run (the controller, once the workers have dropped their copies)."""
    if not _postgres():
        return
    conn = connections[ALIAS]
    with conn._nodb_cursor() as cursor:
        name = conn.ops.quote_name(template_name(config))
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
