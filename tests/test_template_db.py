"""The test database's template is named after the migrations it was made from (tests/template_db.py)."""

from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.db import connection

from tests import template_db
from tests.conftest import need_postgres


def _project(root: Path) -> list[str]:
    (root / "uv.lock").write_text("version = 1\n")
    for app in ("alpha", "beta"):
        (root / app / "migrations").mkdir(parents=True)
        (root / app / "migrations" / "__init__.py").write_text("")
        (root / app / "migrations" / "0001_initial.py").write_text(f"# {app} 1\n")
    (root / ".venv" / "lib" / "thirdparty" / "migrations").mkdir(parents=True)
    return [str(root / "alpha"), str(root / "beta"), str(root / ".venv" / "lib" / "thirdparty")]


def test_the_key_changes_with_any_migration_or_the_lock_and_only_with_them(tmp_path):
    apps = _project(tmp_path)
    key = template_db.schema_key(tmp_path, apps)
    assert template_db.schema_key(tmp_path, apps) == key
    assert len(key) == 16

    (tmp_path / "alpha" / "models.py").write_text("# not a migration\n")
    (tmp_path / ".venv" / "lib" / "thirdparty" / "migrations" / "0001_x.py").write_text("# x\n")
    assert template_db.schema_key(tmp_path, apps) == key  # the lock stands for third parties

    changes = [
        lambda: (tmp_path / "beta" / "migrations" / "0001_initial.py").write_text("# beta 1b\n"),
        lambda: (tmp_path / "alpha" / "migrations" / "0002_more.py").write_text("# alpha 2\n"),
        lambda: (tmp_path / "uv.lock").write_text("version = 2\n"),
    ]
    seen = {key}
    for change in changes:
        change()
        now = template_db.schema_key(tmp_path, apps)
        assert now not in seen
        seen.add(now)
    # a migration moved to another app is another schema
    moved = tmp_path / "beta" / "migrations" / "0002_more.py"
    (tmp_path / "alpha" / "migrations" / "0002_more.py").rename(moved)
    assert template_db.schema_key(tmp_path, apps) not in seen


def test_the_key_of_this_project_covers_its_own_apps_migrations():
    every = [app.path for app in django_apps.get_app_configs()]
    key = template_db.schema_key()
    assert key == template_db.schema_key(template_db.ROOT, every)
    without_meetings = [p for p in every if not p.endswith("/meetings")]
    assert len(without_meetings) == len(every) - 1
    assert template_db.schema_key(template_db.ROOT, without_meetings) != key
    assert template_db.template_name().endswith(f"_tpl_{key}")


def test_only_other_templates_of_the_same_database_are_stale():
    current = "test_postgres_tpl_aaaa"
    names = [
        "postgres",
        "test_postgres",
        "test_postgres_gw0",
        current,
        "test_postgres_tpl_bbbb",
        "test_postgres_tpl_cccc_new_0123456789ab",
        "test_other_tpl_dddd",
    ]
    assert template_db.stale_templates(names, current, "test_postgres") == [
        "test_postgres_tpl_bbbb",
        "test_postgres_tpl_cccc_new_0123456789ab",
    ]


def test_a_template_being_built_is_locked_under_the_name_it_will_have():
    assert template_db.lock_name("test_postgres_tpl_cccc_new_0123456789ab") == (
        "test_postgres_tpl_cccc"
    )
    assert template_db.lock_name("test_postgres_tpl_cccc") == "test_postgres_tpl_cccc"


@pytest.mark.django_db
def test_prune_leaves_a_template_that_another_run_holds():
    """A run building or copying a template holds its advisory lock; prune passes it by."""
    need_postgres()
    held = f"{template_db._base_name()}_tpl_heldbyanother"
    name = f"{held}{template_db.BUILDING}0123456789ab"
    exists = "SELECT 1 FROM pg_database WHERE datname = %s"
    with connection._nodb_cursor() as other:  # another run's session, beside prune's own
        other.execute(f'CREATE DATABASE "{name}"')
        try:
            other.execute("SELECT pg_advisory_lock(hashtext(%s))", [held])
            template_db.prune()
            other.execute(exists, [name])
            assert other.fetchone() is not None  # held: left alone
            other.execute("SELECT pg_advisory_unlock(hashtext(%s))", [held])
            template_db.prune()
            other.execute(exists, [name])
            assert other.fetchone() is None  # a half-built template nobody holds: dropped
        finally:
            other.execute(f'DROP DATABASE IF EXISTS "{name}"')
