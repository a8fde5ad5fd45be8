"""Schema changes keep what the secretariat entered."""

import uuid

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

BEFORE = ("committees", "0006_rule_references")
AFTER = ("committees", "0007_fold_rule_references_into_references")


@pytest.fixture
def scratch_connection(tmp_path):
    """A connection to an empty database of the same engine as the tests': a migration is tried
    there from nothing, applying only what it depends on, instead of unapplying every later
    migration of every app in the test database and applying them again (a minute or more).

    On PostgreSQL it is a schema of its own in the test database, the connection's only
    search path (a new database would be dropped at the end, and DROP DATABASE waits for a
    checkpoint of the whole server: over a minute while the other test process writes)."""
    alias = f"migration_{uuid.uuid4().hex[:8]}"
    settings_dict = dict(connection.settings_dict)
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{alias}"')
        options = dict(settings_dict.get("OPTIONS") or {})
        options["options"] = f"{options.get('options', '')} -c search_path={alias}".strip()
        settings_dict["OPTIONS"] = options
    else:
        name = str(tmp_path / "migration.sqlite3")
        settings_dict.update(NAME=name, TEST={**settings_dict.get("TEST", {}), "NAME": name})
    # Made here rather than named in the settings: the test database set-up never sees it, and
    # the migration's `using(schema_editor.connection.alias)` finds it by its alias.
    scratch = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = scratch
    try:
        yield scratch
    finally:
        scratch.close()
        del connections[alias]
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{alias}" CASCADE')


@pytest.mark.django_db(transaction=True)
def test_the_four_reference_fields_fold_into_references_and_back(scratch_connection):
    db = scratch_connection.alias
    executor = MigrationExecutor(scratch_connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Committee = apps.get_model("committees", "Committee")
    CommitteeRules = apps.get_model("committees", "CommitteeRules")
    committee = Committee.objects.using(db).create(name="Joint Committee", slug="jc-migration")
    CommitteeRules.objects.using(db).create(
        committee=committee,
        tor_review_reference="14.1",
        self_assessment_reference="11.5",
        chair_rotation_reference="6.3",
        presiding_reference=" 6.8 ",
        references={"voting": "7.4"},
    )

    executor = MigrationExecutor(scratch_connection)
    executor.migrate([AFTER])
    apps = executor.loader.project_state([AFTER]).apps
    rules = (
        apps.get_model("committees", "CommitteeRules")
        .objects.using(db)
        .get(committee__slug="jc-migration")
    )
    assert rules.references == {
        "voting": "7.4",
        "tor_review": "14.1",
        "self_assessment": "11.5",
        "chair_rotation": "6.3",
        "presiding": "6.8",
    }

    # And back: nothing is lost if the change is undone.
    executor = MigrationExecutor(scratch_connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    rules = (
        apps.get_model("committees", "CommitteeRules")
        .objects.using(db)
        .get(committee__slug="jc-migration")
    )
    assert (rules.tor_review_reference, rules.presiding_reference) == ("14.1", "6.8")
