"""Caching of public pages, keyed on a "publication generation" that every write moves on.

`public_page` serves anonymous GETs from the shared cache and answers conditional requests
(ETag / Last-Modified) with 304. Any save or delete of a model in the apps that feed public
pages bumps the generation (at once, and again on commit so a page rendered from rows not yet
committed is not kept), so a cached page never outlives what it shows. Signed-in readers are
never served from, nor stored in, the shared cache: their pages say `Cache-Control: private`.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

GENERATION_KEY = "public:generation"
CHANGED_KEY = "public:changed"
TTL = 60 * 60  # a safety net; the generation is what keeps pages fresh
# The app labels whose writes feed public pages; each app adds itself in `AppConfig.ready()`.
WATCHED_APPS: set[str] = set()


def generation() -> tuple[int, float]:
    """The current generation and when it last moved (epoch seconds)."""
    values = cache.get_many([GENERATION_KEY, CHANGED_KEY])
    gen = values.get(GENERATION_KEY)
    changed = values.get(CHANGED_KEY)
    if gen is None or changed is None:
        gen, changed = _bump()
    return int(gen), float(changed)


def _bump() -> tuple[int, float]:
    now = time.time()
    try:
        gen = cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): start from a fresh, unpredictable number
        gen = int(now * 1000)
        cache.set(GENERATION_KEY, gen, None)
    cache.set(CHANGED_KEY, now, None)
    return gen, now


def bump_publication_generation() -> None:
    """Something public changed: every cached public page is stale from now on."""
    _bump()
    transaction.on_commit(_bump)


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    if sender._meta.app_label in WATCHED_APPS:
        bump_publication_generation()


def watch_app(app_label: str) -> None:
    """Called from an AppConfig.ready(): any write in this app bumps the generation."""
    WATCHED_APPS.add(app_label)
    post_save.connect(_on_change, dispatch_uid="public_cache_save")
    post_delete.connect(_on_change, dispatch_uid="public_cache_delete")
    m2m_changed.connect(_on_change_m2m, dispatch_uid="public_cache_m2m")


def _on_change_m2m(sender, instance, **kwargs) -> None:
    if instance._meta.app_label in WATCHED_APPS:
        bump_publication_generation()


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # A page carrying a one-off message ("You have signed out") is for this visitor only.
    return len(get_messages(request)) == 0


def _etag(gen: int, request) -> str:
    digest = hashlib.sha256(f"{gen}|{request.get_full_path()}".encode()).hexdigest()[:20]
    return quote_etag(f"g{gen}-{digest}")


def _not_modified(request, etag: str, changed: float) -> bool:
    inm = request.headers.get("If-None-Match")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return ims is not None and int(changed) <= ims


def _headers(response, etag: str, changed: float) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    patch_vary_headers(response, ["Cookie"])


def public_page(view):
    """Serve anonymous GETs of a public view from the cache; 304 when the reader is up to date."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                response["Cache-Control"] = "private, no-cache"
                patch_vary_headers(response, ["Cookie"])
            return response
        gen, changed = generation()
        etag = _etag(gen, request)
        if _not_modified(request, etag, changed):
            response = HttpResponseNotModified()
            _headers(response, etag, changed)
            return response
        key = f"public:page:{etag}"
        stored = cache.get(key)
        if stored is not None:
            status, content_type, content, extra = stored
            response = HttpResponse(content, status=status, content_type=content_type)
            for name, value in extra:
                response[name] = value
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                extra = [
                    (n, v)
                    for n, v in response.items()
                    if n.lower() in ("content-disposition", "x-robots-tag", "link")
                ]
                cache.set(
                    key,
                    (response.status_code, response["Content-Type"], response.content, extra),
                    TTL,
                )
        _headers(response, etag, changed)
        return response

    return wrapper
