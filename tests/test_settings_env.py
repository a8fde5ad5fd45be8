"""Settings come from the environment: production values pass `check --deploy`, and a bad value
stops start-up with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_deploy import PRODUCTION_ENV

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables the developer's or CI's shell may set; each run starts from none of them.
SETTINGS_VARS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "TEST_DB_NAME",
    "LOG_LEVEL",
    "MFA_REQUIRED_FOR_STAFF",
    "SECURE_SSL_REDIRECT",
    "TRUST_PROXY",
)


def manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a new process whose environment holds only `env` of the settings'
    variables."""
    return _python(tmp_path, "manage.py", *args, **env)


def settings_read(tmp_path, code: str, **env: str) -> subprocess.CompletedProcess:
    """Python `code` run after the settings module is read from `env` (no app is loaded: the
    settings alone decide what is checked)."""
    setup = "from django.conf import settings as s; s.INSTALLED_APPS; "
    return _python(tmp_path, "-c", setup + code, **env)


def _python(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_VARS
        and not k.startswith("EMAIL_")
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    base.update(DJANGO_SETTINGS_MODULE="icp_secretariat.settings", VAR_DIR=str(tmp_path))
    base.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_with_production_values_reports_no_issues(tmp_path):
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION_ENV,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_demo_defaults_start_without_any_environment(tmp_path):
    result = manage(tmp_path, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "mysql://icp:pw@db/icp"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://redis:6379/0"}, "REDIS_URL"),
        ({"EMAIL_PORT": "abc"}, "EMAIL_PORT"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "icp.example.org"}, "SECRET_KEY"),
        ({**PRODUCTION_ENV, "SECRET_KEY": "short-key"}, "SECRET_KEY"),
        ({**PRODUCTION_ENV, "SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"CACHE_URL": "memcached://cache:11211"}, "CACHE_URL"),
        ({**PRODUCTION_ENV, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_SSL"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"PAPER_MAX_BYTES": "25MB"}, "PAPER_MAX_BYTES"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, env, variable):
    result = manage(tmp_path, "check", **env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    assert variable in last_line


@pytest.mark.parametrize(
    ("env", "location"),
    [
        ({"REDIS_URL": "redis://redis:6379/0"}, "redis://redis:6379/1"),
        ({"REDIS_URL": "redis://redis:6379/4"}, "redis://redis:6379/5"),
        ({"REDIS_URL": "redis://redis:6379"}, "redis://redis:6379/1"),
        (
            {"REDIS_URL": "redis://redis:6379/0", "CACHE_URL": "redis://cache:6379/0"},
            "redis://cache:6379/0",
        ),
    ],
)
def test_the_page_cache_is_not_the_broker_database(tmp_path, env, location):
    # Issue 16.9: a flood of cached pages must never fill (or evict) the Celery broker.
    code = "print('CACHE', s.CACHES['default']['LOCATION'], s.CELERY_BROKER_URL)"
    result = settings_read(tmp_path, code, **env)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("CACHE "))
    _, cache, broker = line.split()
    assert cache == location and broker == env["REDIS_URL"] and cache != broker
