"""The deployment files: the Compose file is valid Compose, and every command in it (and the
image's default command) names something that really exists in this code base."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.bin.celery import celery as celery_cli
from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE = BASE_DIR / "docker-compose.yml"
BIN = Path(sys.executable).parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "icp_secretariat.settings",
    "DEBUG": "0",
    "SECRET_KEY": "k3Jx9-very-long-random-production-secret-value-Qw8zLm2Vn5Rt7Yp0Hs4",
    "ALLOWED_HOSTS": "icp.example.org",
    "DATABASE_URL": "postgres://icp:secret@db:5432/icp",
    "REDIS_URL": "redis://redis:6379/0",
}


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def app_services() -> dict[str, dict]:
    """The services built from our Dockerfile (the others are stock images)."""
    return {name: svc for name, svc in compose()["services"].items() if "build" in svc}


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
    )


def test_compose_file_validates_against_the_compose_specification():
    result = validate(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_compose_file(tmp_path):
    # Proves the check above can fail: a misspelt key is not Compose.
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text().replace("    healthcheck:", "    healthchek:", 1))
    assert validate(broken).returncode != 0


def test_compose_has_the_services_of_a_deployment():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis", "mail"} <= set(services)
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mail"]["image"].startswith("axllent/mailpit")
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert "SECRET_KEY" in env and "EMAIL_HOST" in env


def check_command(argv: list[str]) -> str:
    """Assert that a container command names a real program and module; return what it is."""
    runtime = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["dependencies"]
    program = argv[0]
    if program in ("gunicorn", "celery"):
        # A runtime dependency, so `uv sync --no-dev` in the image installs it.
        assert any(re.match(rf"{program}\b", dep) for dep in runtime), program
        assert (BIN / program).exists()
    if program == "gunicorn":
        target = next(a for a in argv[1:] if not a.startswith("-"))
        module_name, _, attr = target.partition(":")
        module = importlib.import_module(module_name)
        assert callable(getattr(module, attr or "application"))
        return f"wsgi {target}"
    if program == "celery":
        app_name = argv[argv.index("-A") + 1]
        app = find_app(app_name)  # exactly how the celery command resolves -A
        assert isinstance(app, Celery)
        sub = next(a for a in argv[argv.index("-A") + 2 :] if not a.startswith("-"))
        assert sub in celery_cli.commands, sub
        return f"celery {sub}"
    if program == "python":
        assert argv[1] == "manage.py" and (BASE_DIR / "manage.py").exists()
        assert argv[2] in get_commands(), argv[2]
        return f"manage {argv[2]}"
    raise AssertionError(f"unknown program in a container command: {argv}")


# Importing the WSGI module builds whitenoise, which warns that nothing was collected yet.
@pytest.mark.filterwarnings("ignore:No directory at")
def test_each_service_command_names_a_real_module():
    kinds = {name: check_command(svc["command"]) for name, svc in app_services().items()}
    assert kinds["web"] == "wsgi icp_secretariat.wsgi:application"
    assert kinds["worker"] == "celery worker"
    assert kinds["beat"] == "celery beat"
    assert kinds["migrate"] == "manage migrate"


@pytest.mark.filterwarnings("ignore:No directory at")
def test_the_image_default_command_names_a_real_module_and_installs_pdf_libraries():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    assert check_command(cmd) == "wsgi icp_secretariat.wsgi:application"
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    for lib in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"):
        assert lib in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "collectstatic" in dockerfile


def test_gunicorn_loads_the_wsgi_application_with_production_settings(tmp_path):
    env = {**os.environ, **PRODUCTION_ENV, "VAR_DIR": str(tmp_path)}
    web = compose()["services"]["web"]["command"]
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--check-config", *web[1:]],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_the_page_cache_has_its_own_bounded_redis():
    # Issue 16.9: cached pages were stored in the broker's Redis without a limit.
    services = compose()["services"]
    cache = services["cache"]
    assert cache["image"].startswith("redis:7")
    command = cache["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert command[command.index("--maxmemory") + 1]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["CACHE_URL"] == "redis://cache:6379/0" != env["REDIS_URL"]
        assert "cache" in services[name]["depends_on"]
    # The broker keeps its data and no eviction: a queued task is never thrown away.
    assert "--maxmemory-policy" not in services["redis"]["command"]


def test_the_worker_image_adds_libreoffice_for_office_papers():
    """Issue 15: the worker converts office papers with LibreOffice headless."""
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    stage = dockerfile.split("FROM app AS worker", 1)[1]
    for pkg in ("libreoffice-writer-nogui", "libreoffice-impress-nogui", "libreoffice-calc-nogui"):
        assert pkg in stage
    services = compose()["services"]
    assert services["worker"]["build"]["target"] == "worker"
    assert services["web"]["build"]["target"] == "app"
