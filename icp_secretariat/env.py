"""Typed readers for settings from the environment that stop start-up on a bad value.

Each error names the variable, so an operator knows what to fix (healthchecks `envbool`/`envint`).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use one of 1, true, yes, on, 0, false, no, off."
    )


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def envurl(name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name, default)
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a URL this product understands: it must start with "
            + " or ".join(f"{s}://" for s in schemes)
            + "."
        )
    return raw


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (given in upper case), case-insensitively."""
    raw = os.environ.get(name, default)
    value = raw.strip().upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r} is not one of {', '.join(choices)}.")
    return value


_STORAGE_URL_PARAMS = {
    "endpoint_url",
    "region_name",
    "addressing_style",
    "signature_version",
    "access_key",
    "secret_key",
}


def private_storage_options() -> dict | None:
    """The django-storages S3 options for private files, from STORAGE_URL
    (`s3://[KEY:SECRET@]bucket[/prefix]?endpoint_url=...&region_name=...`) or the usual
    AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY; None when neither is set (files stay on the filesystem).

    Always a private bucket: objects are written with the `private` ACL, links are signed
    and short-lived, and no file is ever overwritten."""
    url = envstr("STORAGE_URL", "")
    bucket = envstr("AWS_STORAGE_BUCKET_NAME", "")
    if not url and not bucket:
        return None
    options: dict = {
        "bucket_name": bucket,
        "endpoint_url": envstr("AWS_S3_ENDPOINT_URL", "") or None,
        "region_name": envstr("AWS_S3_REGION_NAME", "") or None,
        "access_key": envstr("AWS_ACCESS_KEY_ID", "") or None,
        "secret_key": envstr("AWS_SECRET_ACCESS_KEY", "") or None,
        "location": "",
    }
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname:
            raise ImproperlyConfigured(
                f"STORAGE_URL={url!r} is not understood: it must be s3://bucket"
                "[/prefix]?endpoint_url=...&region_name=..."
            )
        options["bucket_name"] = parts.hostname
        options["location"] = parts.path.strip("/")
        if parts.username:
            options["access_key"] = unquote(parts.username)
            options["secret_key"] = unquote(parts.password or "")
        for key, values in parse_qs(parts.query, keep_blank_values=True).items():
            if key not in _STORAGE_URL_PARAMS:
                raise ImproperlyConfigured(
                    f"STORAGE_URL has an unknown parameter {key!r}: use "
                    + ", ".join(sorted(_STORAGE_URL_PARAMS))
                    + "."
                )
            options[key] = values[-1] or None
    options.update(
        default_acl="private",
        querystring_auth=True,
        querystring_expire=60,
        file_overwrite=False,
    )
    return {k: v for k, v in options.items() if v is not None}
