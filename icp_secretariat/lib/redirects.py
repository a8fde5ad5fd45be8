"""Where to go after a form: the one check every `next` from a form or query string goes through.

A `next` is followed only when it stays on this site (same host, and https when the request
was) and is a path or a whole URL; anything else (another site, `//evil.example`, `javascript:`,
or a word, which `redirect()` would look up as a URL name and fail on) falls back to `default`.
"""

from __future__ import annotations

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str, *args, field: str = "next", **kwargs) -> str:
    """The `next` from the POST (else the query string) if it is on this site, else `default`.

    `default` is a URL, a path or a URL name (with `args`/`kwargs`), resolved like `redirect()`.
    """
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    candidate = candidate.strip()
    if candidate.startswith(("/", "http://", "https://")) and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default, *args, **kwargs)
