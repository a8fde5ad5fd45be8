"""Test settings: only what makes tests fast or deterministic differs from production."""

import os

from icp_secretariat.settings import *  # noqa: F403

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
