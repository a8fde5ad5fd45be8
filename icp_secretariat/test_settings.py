"""Test settings: only what makes tests fast or deterministic differs from production."""

import os
import re

# Under pytest-xdist each worker process (PYTEST_XDIST_WORKER=gw0, gw1, ...) gets its own Redis
# database (the cache's clear() empties a whole database and the Celery tests share the broker's
# queue) and its own VAR_DIR (media, private files, the SQLite file). pytest-django already gives
# each worker its own test database (`<name>_gw0`). The environment is changed before the settings
# read it, so processes a test starts (Celery workers, manage.py) inherit the same choice; the
# marker keeps such a process from shifting it a second time.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker and os.environ.get("ICP_XDIST_WORKER") != _xdist_worker:
    os.environ["ICP_XDIST_WORKER"] = _xdist_worker
    _n = int(_xdist_worker.removeprefix("gw") or 0)
    _redis = os.environ.get("REDIS_URL", "")
    if _redis:
        _m = re.match(r"^(rediss?://[^/]*)(?:/(\d*))?(.*)$", _redis)
        _db = int(_m.group(2) or 0)
        # Two apart: a process started with the production settings puts its page cache in
        # the next database (CACHE_URL's default), which must not be another worker's.
        os.environ["REDIS_URL"] = f"{_m.group(1)}/{(_db + 2 * (_n + 1)) % 16}{_m.group(3)}"
    _var = os.environ.get("VAR_DIR") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var"
    )
    os.environ["VAR_DIR"] = os.path.join(_var, f"xdist-{_xdist_worker}")

from icp_secretariat.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MFA_REQUIRED_FOR_STAFF = False
SECURE_SSL_REDIRECT = False
LOGGING = {"version": 1, "disable_existing_loggers": False}

# whitenoise warns about a missing STATIC_ROOT on every request; tests serve from finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Tests clear the cache (FLUSHDB) before each test: unless CACHE_URL is given, keep it in the
# Redis database the run was given (REDIS_URL), never the next one, which may be another run's.
if REDIS_URL and not os.environ.get("CACHE_URL"):  # noqa: F405
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
