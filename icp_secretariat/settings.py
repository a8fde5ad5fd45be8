"""Settings, read from the environment. The defaults run the demo on a laptop.

Production changes environment variables, not code: DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS, DEBUG, EMAIL_*; see README.md. A bad value stops start-up naming the variable.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from icp_secretariat.env import (
    envbool,
    envchoice,
    envint,
    envlist,
    envstr,
    envurl,
    private_storage_options,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY is the development key: set a long random SECRET_KEY.")
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # Django's own test (check --deploy, security.W009), made a stop rather than a warning.
    raise ImproperlyConfigured(
        "SECRET_KEY is too short or too simple: set a random SECRET_KEY of 50 characters or more."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://localhost:8000").rstrip("/")
SITE_NAME = envstr("SITE_NAME", "ICP Secretariat")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_forms_gds",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "django_htmx",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "committees",
    "members",
    "meetings",
    "communications",
    "documents",
    "public_site",
    "portal",
    "demo",
]

MIDDLEWARE = [
    # A NUL character in the address is a 400 before anything (a cache, a query) reads it;
    # one in a posted form is taken out of the value.
    "icp_secretariat.middleware.NulCharactersMiddleware",
    # Answers anonymous GETs of cached public pages before anything else runs (issue 17).
    "icp_secretariat.lib.public_cache.EarlyPublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.ClearReaderOnSignOutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "icp_secretariat.middleware.RequireStaffTwoFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "icp_secretariat.middleware.PrivacyHeadersMiddleware",
    "icp_secretariat.middleware.SignInFirstMiddleware",
]

ROOT_URLCONF = "icp_secretariat.urls"
WSGI_APPLICATION = "icp_secretariat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "icp_secretariat.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envurl(
            "DATABASE_URL",
            f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
            ("sqlite", "postgres", "postgresql", "pgsql"),
        ),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives under VAR_DIR; make the folder so a fresh clone just works.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite cannot say "NULLs are not distinct" (closure days for every committee): the form
    # checks that uniqueness there; PostgreSQL enforces it.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
# Public pages (and search) run their queries under this statement timeout on PostgreSQL: the
# database cancels a query that runs longer, so no visitor can tie up a worker and a core.
PUBLIC_STATEMENT_TIMEOUT_MS = envint("PUBLIC_STATEMENT_TIMEOUT_MS", 5000)
# Cached public pages answered to anonymous readers by the first middleware, with one cache
# round trip, before sessions, authentication and the view (issue 17). 0 turns it off.
PUBLIC_EARLY_CACHE = envbool("PUBLIC_EARLY_CACHE", True)

REDIS_URL = envurl("REDIS_URL", "", ("redis", "rediss")) if envstr("REDIS_URL", "") else ""


def _next_database(url: str) -> str:
    """The same Redis server, the next database: redis://redis:6379/0 -> redis://redis:6379/1."""
    parts = urlsplit(url)
    db = parts.path.strip("/")
    return urlunsplit(parts._replace(path=f"/{int(db) + 1 if db.isdigit() else 1}"))


# The page cache is kept apart from the Celery broker: CACHE_URL, by default the database after
# REDIS_URL's on the same server. In production give it a Redis of its own with a memory limit
# and allkeys-lru eviction (docker-compose.yml), so a flood of pages can never evict a queued
# task or fill the broker's memory.
_CACHE_DEFAULT = _next_database(REDIS_URL) if REDIS_URL else ""
CACHE_URL = (
    envurl("CACHE_URL", _CACHE_DEFAULT, ("redis", "rediss"))
    if envstr("CACHE_URL", "") or _CACHE_DEFAULT
    else ""
)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "icp",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: sign in by username or email; accounts are made by the secretariat, not signup.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "icp_secretariat.auth.AccountAdapter"
ACCOUNT_FORMS = {"login": "members.forms.LoginForm"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_REDIRECT_URL = "/dashboard/"
LOGIN_URL = "/accounts/login/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Compulsory two-factor for staff (secretariat and admins); on unless DEBUG.
MFA_REQUIRED_FOR_STAFF = envbool("MFA_REQUIRED_FOR_STAFF", not DEBUG)
# Sign-in throttling (issue 16): five failures in five minutes for one account *from one
# address* (so someone elsewhere cannot lock the account holder out), thirty a minute from one
# address; the account holder is told by email, once per window, when their account sees
# SIGNIN_ALERT_FAILURES failures from anywhere within SIGNIN_ALERT_WINDOW seconds.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,5/300s/key"}
SIGNIN_ALERT_FAILURES = envint("SIGNIN_ALERT_FAILURES", 10)
SIGNIN_ALERT_WINDOW = envint("SIGNIN_ALERT_WINDOW", 3600)
# The client address comes from X-Forwarded-For only behind our own reverse proxy.
TRUST_PROXY = envbool("TRUST_PROXY", False)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# crispy-forms-gds styles text, email and password boxes as GOV.UK inputs but leaves number and
# URL boxes as the browser draws them (about 18px tall, 10px text, a thin border): the
# committee's rules, the votes of the record screens and the interests reminders. Numbers get
# a box sized for a few digits, as the GOV.UK Design System asks.
CRISPY_CLASS_CONVERTERS = {
    "numberinput": "govuk-input govuk-input--width-4",
    "urlinput": "govuk-input",
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The Docker image collects static files at build time, outside the VAR_DIR volume.
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
# Papers are private files served through access checks, never from a public URL.
PRIVATE_MEDIA_ROOT = Path(envstr("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Papers, built documents and minutes PDFs on an S3-compatible object store (issue 17) when
# STORAGE_URL or AWS_STORAGE_BUCKET_NAME is set; otherwise under PRIVATE_MEDIA_ROOT.
_PRIVATE_STORAGE = private_storage_options()
if _PRIVATE_STORAGE is not None:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _PRIVATE_STORAGE,
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
PAPER_MAX_BYTES = envint("PAPER_MAX_BYTES", 25 * 1024 * 1024)
# Issue 15: LibreOffice converts office papers in the worker; one conversion may take this long.
PAPER_CONVERSION_TIMEOUT = envint("PAPER_CONVERSION_TIMEOUT", 180)
SOFFICE_BINARY = envstr("SOFFICE_BINARY", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email. Without EMAIL_HOST the demo keeps mail locally as files under var/mail.
# The EMAIL_* values are read (and checked) even without EMAIL_HOST, so a bad value is caught
# on the first start rather than on the day EMAIL_HOST is set.
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "secretariat@icp.example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Redis when REDIS_URL is set; otherwise kombu's filesystem transport (made safe for a
# worker taking messages while they are written: icp_secretariat.lib.filebroker), so the demo
# runs a real worker and beat with nothing else installed.
CELERY_BROKER_URL = REDIS_URL or "icpfile://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "celery-broker"
    # kombu's filesystem transport fails on a missing folder; a fresh clone has none yet.
    for _sub in ("", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        # Without it kombu writes its exchange table to ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # kombu waits this long between looks at an empty queue folder, and the worker takes
        # only as many messages as it has free processes: at kombu's 1 s the demo's 31 queued
        # paper checks alone held its first document build back 15 s.
        "polling_interval": 0.1,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE["members.plan_interest_reminders"] = {
    "task": "members.tasks.plan_interest_reminders",
    "schedule": 3600.0,
}
# Issue 19: Part 2 items whose review date has come; personal data past the retention rule.
CELERY_BEAT_SCHEDULE["meetings.plan_part2_review_reminders"] = {
    "task": "meetings.tasks.plan_part2_review_reminders",
    "schedule": 3600.0,
}
CELERY_BEAT_SCHEDULE["public_site.apply_retention"] = {
    "task": "public_site.tasks.apply_retention",
    "schedule": 6 * 3600.0,
}
# The outbox sweep plans due reminders and sends due mail (communications.tasks).
CELERY_BEAT_SCHEDULE["sweep-outbox"] = {
    "task": "communications.tasks.sweep_outbox",
    "schedule": envint("OUTBOX_SWEEP_SECONDS", 30),
}
# A worker sends up to this many messages over one SMTP connection; its claim on them is a
# lease, renewed while it sends, so a dead worker's messages are retried by the next sweep
# after the lease (lease + sweep interval: within a minute).
OUTBOX_BATCH_SIZE = envint("OUTBOX_BATCH_SIZE", 100)
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", 30)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_BACKOFF_SECONDS = envint("OUTBOX_BACKOFF_SECONDS", 60)
OUTBOX_STALE_SENDING_MINUTES = envint("OUTBOX_STALE_SENDING_MINUTES", 15)
# Published documents: a build starts this long after the last change, so changes close together
# cause one rebuild; a queued build older than the stale limit is taken as lost.
DOCUMENT_BUILD_DELAY_SECONDS = envint("DOCUMENT_BUILD_DELAY_SECONDS", 20)
DOCUMENT_BUILD_STALE_MINUTES = envint("DOCUMENT_BUILD_STALE_MINUTES", 15)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "icp_secretariat.lib.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICP Secretariat open data API",
    "DESCRIPTION": "Committees, organisations, places, memberships, meetings and published papers.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # One name for a choice set that several fields share (notice, papers, item requests).
    "ENUM_NAME_OVERRIDES": {"CountingBasisEnum": "committees.models.CountingBasis"},
    # Error answers (400, 404) and local times as they are (issue 16.11).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "icp_secretariat.lib.openapi.document_errors",
    ],
}

# Security: production values follow from DEBUG being off.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): everything from this site only, no inline script or
# style and no eval (scripts live in static/js). Same-origin workers (the members' service worker)
# and frames (PDF viewer). The embeds add `frame-ancestors *`; a page with inline code it must
# keep (the example partner page) adds the hashes of exactly that code (lib/csp.py).
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "worker-src": [_SELF],
        "frame-src": [_SELF],
        "manifest-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
    }
}
# Powerful browser features no page of ours uses are switched off, for us and anything we frame.
PERMISSIONS_POLICY = envstr(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=(), fullscreen=(self)",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": envchoice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
    # The PDF engine's libraries chatter at INFO (every font subset, every CSS hint).
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # "FFTM NOT subset; dropped" on every render: harmless (a font timestamp table).
        "fontTools.subset": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},
    },
}

# Concurrent test runs on one PostgreSQL server need distinct test database names.
if envstr("TEST_DB_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": envstr("TEST_DB_NAME", "")}
