"""Caching of public pages, keyed on a "publication generation" that every write moves on.

`public_page` serves anonymous GETs from the shared cache and answers conditional requests
(ETag / Last-Modified) with 304. Any save or delete of a model in the apps that feed public
pages bumps the generation (at once, and again on commit so a page rendered from rows not yet
committed is not kept), so a cached page never outlives what it shows. Signed-in readers are
never served from, nor stored in, the shared cache: their pages say `Cache-Control: private`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from functools import wraps
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

ALL = "*"  # the generation every relevant write moves on
TTL = 60 * 60  # a safety net; the generation is what keeps pages fresh
# The app labels whose writes feed public pages; each app adds itself in `AppConfig.ready()`.
WATCHED_APPS: set[str] = set()
# Models ("app_label.model_name") whose writes never change a public page, e.g. the log of paper
# downloads: writing one must not throw away every cached page.
QUIET_MODELS: set[str] = set()


def _keys(topic: str) -> tuple[str, str]:
    return f"public:generation:{topic}", f"public:changed:{topic}"


def generation(topics: tuple[str, ...] = (ALL,)) -> tuple[str, float]:
    """The current generation of these topics (model labels, or ALL) and when the latest of
    them moved (epoch seconds)."""
    global _reads
    _reads += 1
    keys = [k for t in topics for k in _keys(t)]
    values = cache.get_many(keys)
    gens, latest = [], 0.0  # pragma: no mutate - the max of epoch seconds: 0 or 1 is the same
    for topic in topics:
        gen_key, changed_key = _keys(topic)
        gen, changed = values.get(gen_key), values.get(changed_key)
        if gen is None or changed is None:
            gen, changed = _bump(topic)
        gens.append(str(int(gen)))
        latest = max(latest, float(changed))
    return ".".join(gens), latest


def _bump(topic: str = ALL) -> tuple[int, float]:
    gen_key, changed_key = _keys(topic)
    now = time.time()
    try:
        gen = cache.incr(gen_key)  # pragma: no mutate - the generation's start and format are free
    except ValueError:  # not set yet (or evicted): start from a fresh, unpredictable number
        gen = int(now * 1000)  # pragma: no mutate - ditto
        # No expiry or the default one alike: a missing key only bumps again.
        cache.set(gen_key, gen, None)  # pragma: no mutate
    cache.set(changed_key, now, None)  # pragma: no mutate - ditto
    return gen, now


# Reads of the generation in this process: a page (or a remembered value) built from what this
# connection sees may be kept under the generation read. A write that follows such a read must
# move the generation on again; one that follows none need not (see bump_publication_generation).
_reads = 0


class _PendingBump:
    """The one bump at commit of every topic written in a transaction (one per transaction, not
    one per write), with the number of generation reads seen at each topic's last bump."""

    def __init__(self) -> None:
        self.topics: dict[str, int] = {}

    def __call__(self) -> None:
        for topic in self.topics:
            _bump(topic)


def _pending_bump() -> _PendingBump:
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _PendingBump):
            return func
    pending = _PendingBump()
    transaction.on_commit(pending)
    return pending


def bump_publication_generation(*topics: str) -> None:
    """Something public changed: every cached page that depends on ALL or on one of `topics`
    (model labels) is stale from now on; pages that depend only on other topics stay cached.

    Outside a transaction the generations move at once. Inside one they move at once (pages this
    connection builds from rows not yet committed must not be kept under the old generation) and
    again on commit (a page another process built meanwhile, from the rows before, must not
    outlive the commit). Many writes in one transaction move each generation on once at commit,
    and at once only where the generation was read since that topic last moved (loading the demo
    writes about 1,300 rows; each used to cost four round trips to the cache)."""
    topics = (ALL, *topics)
    if not connection.in_atomic_block:
        for topic in topics:
            _bump(topic)
        return
    pending = _pending_bump()
    for topic in topics:
        if pending.topics.get(topic) != _reads:
            _bump(topic)
            pending.topics[topic] = _reads


def remember(name: str, topics: tuple[str, ...], compute):
    """A value computed from the rows of `topics` (model labels), kept in the shared cache under
    their generation, so pages that need it again read no rows until one of those models is
    written. Inside a transaction the value is kept only once it commits: one read from rows a
    rollback will remove must not be kept under the generation their write moved to. Only with a
    shared cache (Redis): a cache of this process alone (the demo's) would not see the writes of
    the others, so there the value is read every time."""
    if isinstance(caches["default"], LocMemCache):
        return compute()
    gen, _ = generation(topics)
    key = f"remember:{name}:{gen}"
    value = cache.get(key)
    if value is not None:
        return value
    value = compute()
    if connection.in_atomic_block:
        transaction.on_commit(lambda: cache.set(key, value, TTL * 24))
    else:
        cache.set(key, value, TTL * 24)
    return value


def model_topic(model) -> str:
    return model._meta.label_lower


def _relevant(model) -> bool:
    opts = model._meta
    if opts.app_label not in WATCHED_APPS or opts.label_lower in QUIET_MODELS:
        return False
    # django-simple-history rows are written beside the row they copy, which bumps already.
    return not opts.model_name.startswith("historical")  # pragma: no mutate - bumps twice


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # pragma: no mutate - loaddata: extra bumps, never a stale page
        return
    if _relevant(sender):
        bump_publication_generation(model_topic(sender))


# Not mutated: it runs in AppConfig.ready(), before mutmut switches a mutant on; its behaviour is
# held by test_public_cache.py::test_changes_in_the_members_app_refresh_public_pages.
def watch_app(app_label: str, *, quiet: tuple[str, ...] = ()) -> None:  # pragma: no mutate block
    """Called from an AppConfig.ready(): any write in this app (but its `quiet` models) bumps
    the generation."""
    WATCHED_APPS.add(app_label)
    QUIET_MODELS.update(f"{app_label}.{name.lower()}" for name in quiet)
    post_save.connect(_on_change, dispatch_uid="public_cache_save")
    post_delete.connect(_on_change, dispatch_uid="public_cache_delete")
    m2m_changed.connect(_on_change_m2m, dispatch_uid="public_cache_m2m")


def _on_change_m2m(sender, instance, **kwargs) -> None:
    if _relevant(type(instance)):
        bump_publication_generation(model_topic(type(instance)))


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # A page carrying a one-off message ("You have signed out") is for this visitor only.
    return len(get_messages(request)) == 0


def _validators(gen: str, changed: float, request) -> tuple[str, float]:
    """A page's ETag and its Last-Modified (epoch seconds), from the generation of what it
    shows and when that last changed. Both carry today's date (in the site's time zone): a page
    can show it without any write (a meeting to come or held, papers due or overdue), so the
    ETag names the day and Last-Modified is never earlier than the day's start, and yesterday's
    copy is neither served nor confirmed (304) today. The date is read from the zone itself:
    through Django's active time zone (`timezone.localdate()`) it cost about 15 us a call."""
    now = dt.datetime.now(ZoneInfo(settings.TIME_ZONE))
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # The path and the query parameters the page uses (all others were dropped before).
    key = f"{gen}|{now.date().isoformat()}|{request.get_full_path()}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return quote_etag(f"g{gen}-{digest}"), max(changed, midnight.timestamp())


# Longer than any value a page offers (a year, a page number, a search query of 200 characters).
MAX_PARAM_LENGTH = 200


def _keep_params(request, params: frozenset[str]) -> None:
    """Drop every query parameter the page does not use, so `/?x=1`, `/?x=2`... are one page
    (one cache entry), and the view cannot read what its cache key ignores."""
    if not request.GET:
        return
    kept = QueryDict(mutable=True)
    for name in sorted(params):
        values = [v[:MAX_PARAM_LENGTH] for v in request.GET.getlist(name)][:1]
        if values:
            kept.setlist(name, values)
    kept._mutable = False  # pragma: no mutate - nothing writes to it
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def _not_modified(request, etag: str, changed: float) -> bool:
    inm = request.headers.get("If-None-Match")  # pragma: no mutate - header names ignore case
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    # Header names ignore case, and no date parses as None.
    ims = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))  # pragma: no mutate
    return ims is not None and int(changed) <= ims


def _headers(response, etag: str, changed: float) -> None:
    response["ETag"] = etag  # pragma: no mutate - header names ignore case
    response["Last-Modified"] = http_date(changed)  # pragma: no mutate - ditto
    response["Cache-Control"] = "public, max-age=0, must-revalidate"  # pragma: no mutate - ditto
    patch_vary_headers(response, ["Cookie"])


def public_page(
    view=None,
    *,
    depends_on: tuple[str, ...] | None = None,
    params: tuple[str, ...] = (),
):
    """Serve anonymous GETs of a public view from the cache; 304 when the reader is up to date.

    `depends_on` lists the models ("app_label.model_name") the page is built from: the page
    then stays cached through writes to any other model. Without it, any write that feeds
    public pages makes it stale. On PostgreSQL the view's queries run under a statement timeout
    (`PUBLIC_STATEMENT_TIMEOUT_MS`), so no visitor can tie up the database.

    `params` names the query parameters the page reads (one value each, at most
    `MAX_PARAM_LENGTH` characters); every other parameter is dropped before the view runs, so it
    neither reaches the view nor makes another cache entry (`/?x=1`, `/?x=2`... are one page).
    The cache itself is a Redis of its own with a memory limit and LRU eviction (`CACHE_URL`).
    """
    if view is None:
        return lambda v: public_page(v, depends_on=depends_on, params=params)
    topics = tuple(depends_on) if depends_on else (ALL,)
    allowed = frozenset(params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            _keep_params(request, allowed)
        if not _cacheable(request):
            response = bounded(view)(request, *args, **kwargs)
            if request.user.is_authenticated:
                response["Cache-Control"] = "private, no-cache"
                patch_vary_headers(response, ["Cookie"])
            return response
        gen, changed = generation(topics)
        etag, changed = _validators(gen, changed, request)
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
            response = bounded(view)(request, *args, **kwargs)
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
        if response.status_code == 200 and not response.streaming:
            # The early middleware keeps the finished response (every header the stack adds)
            # for readers who come without a session.
            response._public_early = (topics, etag)
        _headers(response, etag, changed)
        return response

    wrapper.depends_on = topics
    wrapper.params = allowed  # pragma: no mutate - for readers of the code; nothing reads it
    return wrapper


def bounded(view):
    """Run `view` with a statement timeout on PostgreSQL; a query that takes longer is
    cancelled by the database and the reader gets a short 503 page instead of a stuck worker."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        ms = int(getattr(settings, "PUBLIC_STATEMENT_TIMEOUT_MS", 0) or 0)
        if not ms or connection.vendor != "postgresql":
            return view(request, *args, **kwargs)
        # A setting of the connection, not a query of the page: sent on the driver's connection,
        # so the page's query count (asserted in tests) is the same on SQLite and PostgreSQL.
        connection.ensure_connection()
        connection.connection.execute(f"SET statement_timeout = {ms:d}")
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            return response
        except OperationalError as exc:
            if getattr(exc, "__cause__", None).__class__.__name__ != "QueryCanceled":
                raise
            response = HttpResponse(
                "This page is taking too long to prepare. Please try again in a minute.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "60"
            return response
        finally:
            try:
                connection.connection.execute("RESET statement_timeout")
            except Exception:  # an aborted transaction: its rollback restores the setting
                pass

    return wrapper


# ---------------------------------------------------------------- the early answer

EARLY_PREFIX = "public:early:"
# Which topics a path's page depends on, learnt from the responses this process has stored
# (bounded: a path not known yet simply goes through the whole stack once).
_EARLY_TOPICS: dict[str, tuple[str, ...]] = {}
_EARLY_TOPICS_MAX = 20_000
# Not repeated on a 304 (RFC 9110 15.4.5: a 304 has no content).
_NOT_ON_304 = frozenset({"content-type", "content-length", "content-disposition"})


def _early_ident(request) -> str | None:
    """The early cache's name for this request, or None when only the full stack may answer:
    a write, a visitor with a session or a pending message (perhaps signed in, perhaps with a
    one-off message), an htmx fragment, a request the security middleware would redirect, or a
    host not allowed."""
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get("messages"):
        return None
    if "HTTP_HX_REQUEST" in request.META:
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: the full stack answers 400 as it always did
        return None
    raw = f"{request.scheme}://{host}{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _early_hit(request, ident: str, topics: tuple[str, ...]):
    """One cache round trip (the stored page and its topics' generations); the stored response
    when it is still current, a 304 when the reader's copy is, else None."""
    page_key = EARLY_PREFIX + ident
    keys = [page_key, *(k for t in topics for k in _keys(t))]
    values = cache.get_many(keys)
    entry = values.get(page_key)
    if entry is None:
        return None
    gens, latest = [], 0.0  # pragma: no mutate - the max of epoch seconds: 0 or 1 is the same
    for topic in topics:
        gen_key, changed_key = _keys(topic)
        gen, changed = values.get(gen_key), values.get(changed_key)
        if gen is None or changed is None:
            return None
        gens.append(str(int(gen)))
        latest = max(latest, float(changed))
    etag, latest = _validators(".".join(gens), latest, request)
    stored_etag, status, headers, content = entry
    if stored_etag != etag:
        return None  # something it shows has changed since: the full stack builds it again
    if _not_modified(request, etag, latest):
        response = HttpResponseNotModified()
        for name, value in headers:
            if name.lower() not in _NOT_ON_304:
                response.headers[name] = value
    else:
        # Only a 200 is stored (`_early_store`): any status here is 200.
        response = HttpResponse(content, status=status)  # pragma: no mutate
        for name, value in headers:
            response.headers[name] = value
    _headers(response, etag, latest)
    return response


def _early_store(ident: str, response) -> None:
    marker = getattr(response, "_public_early", None)
    if marker is None or response.status_code != 200 or response.streaming:
        return
    if response.cookies:
        # A page that sets a cookie (a CSRF token, a message) is left to the full stack.
        return
    topics, etag = marker
    headers = list(response.items())
    cache.set(EARLY_PREFIX + ident, (etag, response.status_code, headers, response.content), TTL)
    if len(_EARLY_TOPICS) >= _EARLY_TOPICS_MAX:  # pragma: no mutate - a bound, not a rule
        _EARLY_TOPICS.clear()
    _EARLY_TOPICS[ident] = topics


class EarlyPublicCacheMiddleware:
    """First in MIDDLEWARE: answers an anonymous GET of a cached public page with one cache
    round trip (the finished response and its generations), before sessions, authentication,
    CSRF, messages and the view run. The response is the one the whole stack produced when the
    page was built (every header, `Vary: Cookie`, ETag and Last-Modified), and a conditional
    request gets the same 304. Anything it cannot answer goes through the stack as before.
    `PUBLIC_EARLY_CACHE=0` turns it off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PUBLIC_EARLY_CACHE:
            return self.get_response(request)
        ident = _early_ident(request)
        if ident is not None:
            topics = _EARLY_TOPICS.get(ident)
            if topics is not None:
                response = _early_hit(request, ident, topics)
                if response is not None:
                    return response
        response = self.get_response(request)
        if ident is not None:
            _early_store(ident, response)
        return response
