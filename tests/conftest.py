"""Shared fixtures: the named personas every test uses, and the real-service guards.

A test that needs PostgreSQL, Redis or Chromium calls `need_*`; it skips when the service is
missing, or fails when REQUIRE_SERVICES=1 (CI), so a green CI run proves the real thing ran.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations
from django.utils import timezone

from committees.models import Committee, CommitteeRules, Organisation, Role, Seat
from members.models import Membership, Office, Person
from tests import template_db

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _missing(what: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but is not available")
    pytest.skip(f"{what} not available")


def need_postgres() -> None:
    if connection.vendor != "postgresql":
        _missing("PostgreSQL (set DATABASE_URL)")


def need_redis() -> str:
    url = settings.REDIS_URL
    if not url:
        _missing("Redis (set REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        _missing(f"Redis at {url} ({exc})")
    return url


def need_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing(f"Chromium at {CHROMIUM}")
    return CHROMIUM


def need_soffice() -> str:
    """LibreOffice headless (issue 15: office papers are converted by it)."""
    path = shutil.which("soffice")
    if not path:
        _missing("LibreOffice (soffice)")
    return path


@pytest.fixture
def soffice() -> str:
    return need_soffice()


@pytest.fixture
def redis_url() -> str:
    return need_redis()


@pytest.fixture
def chromium_path() -> str:
    return need_chromium()


PASSWORD = "correct-horse-battery"


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **extra
    )


def make_committee() -> Committee:
    c = Committee.objects.create(name="Test Joint Committee", slug="test-jc", purpose="Testing.")
    CommitteeRules.objects.create(committee=c)
    return c


def make_org() -> Organisation:
    return Organisation.objects.create(name="Test County Council", kind="upper_tier")


@pytest.fixture
def committee(db) -> Committee:
    """A small committee under K&M-style default rules, with its seats."""
    return make_committee()


@pytest.fixture
def org(db) -> Organisation:
    return make_org()


def _person_with(committee, org, username, role, *, voting, office=None, since=None):
    since = since or dt.date(2024, 1, 1)
    user = make_user(username)
    person = Person.objects.create(
        first_name=username.title(), last_name="Persona", email=user.email, user=user
    )
    seat = None
    if role in (Role.MEMBER, Role.PARTICIPANT):
        seat = Seat.objects.create(
            committee=committee, title=f"{username.title()} seat", role=role, organisation=org
        )
    Membership.objects.create(
        committee=committee,
        person=person,
        role=role,
        voting=voting,
        seat=seat,
        organisation=org,
        start=since,
    )
    if office:
        Office.objects.create(committee=committee, person=person, kind=office, start=since)
    return user


@pytest.fixture
def personas(committee, org) -> dict:
    """secretariat, chair, member, participant, observer, outsider (signed in, no role)."""
    return make_personas(committee, org)


def make_personas(committee, org) -> dict:
    secretariat = make_user("secretariat")
    committee.secretariat.add(secretariat)
    return {
        "secretariat": secretariat,
        "chair": _person_with(committee, org, "chair", Role.MEMBER, voting=True, office="chair"),
        "member": _person_with(committee, org, "member", Role.MEMBER, voting=True),
        "participant": _person_with(committee, org, "participant", Role.PARTICIPANT, voting=False),
        "observer": _person_with(committee, org, "observer", Role.OBSERVER, voting=False),
        "outsider": make_user("outsider"),
        "admin": get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD),
    }


def load_demo_once(*, documents: bool = False) -> str:
    """The whole demo (`manage.py load_demo`), loaded once per session and date and restored
    from its snapshot for each test that asks (see tests/snapshots.py); returns what the
    command printed. With `documents`, the agenda and pack builds that `load_demo` leaves to the
    Celery worker are run too, as the worker would after start-up.

    It replaces the whole database: call it before anything else creates rows. The demo
    depends on today's date, so a test that travels in time gets the demo of that day.
    """
    from io import StringIO

    from django.core.management import call_command

    from tests import snapshots

    today = timezone.localdate()

    def build() -> str:
        out = StringIO()
        call_command("load_demo", stdout=out)
        return out.getvalue()

    def build_with_documents() -> str:
        # The demo with its documents starts from the session's demo without them (one
        # `load_demo` per session), then does what the worker does after start-up: the PDFs of
        # the approved and published minutes (tasks queued when they were recorded, which a test
        # transaction never commits), then every queued build. The minutes come first: a
        # published minutes' PDF attaches to the next meeting's agenda and asks for its build,
        # which supersedes the one `load_demo` queued, so each meeting is rendered once.
        from documents.models import DocumentBuild
        from documents.services import run_build
        from meetings.minutes.tasks import build_minutes_document
        from meetings.models import Minutes

        printed = snapshots.restore(("demo", today, False), build)
        for minutes in Minutes.objects.exclude(state=Minutes.State.DRAFT).order_by("pk"):
            for audience in ("public", "members") if minutes.is_published else ("members",):
                assert build_minutes_document(minutes.pk, audience) is not None
        queued = DocumentBuild.objects.filter(state=DocumentBuild.State.QUEUED).order_by("pk")
        built = [run_build(build_id=pk) for pk in queued.values_list("pk", flat=True)]
        assert any(b.state == "done" for b in built), built
        assert all(b.state in ("done", "superseded") for b in built), built
        return printed

    if documents:
        return snapshots.restore(("demo", today, True), build_with_documents)
    return snapshots.restore(("demo", today, False), build)


# The longest tests (README, "The slowest 20 tests"), started first: with two xdist workers a
# long test handed out last runs on while the other worker has nothing left to do.
SLOW_FIRST = (
    "tests/test_run_demo.py::",
    "tests/test_crawler_no_part2_leak.py::",
    "tests/committees/test_migrations.py::",
    "tests/communications/test_delivery_integration.py::",
    "tests/communications/test_outbox_batch_crash.py::",
)


# Tests that restore the whole demo (load_demo_once, directly or through a `demo` fixture): one
# xdist worker runs them all (`--dist loadgroup`, Makefile), so the demo and its documents are
# built once per run instead of once per worker.
DEMO_MODULES = (
    "tests/test_crawler_no_part2_leak.py",
    "tests/committees/test_demo.py",
    "tests/committees/test_demo_tor_versions.py",
    "tests/meetings/test_public_record_demo.py",
    "tests/meetings/test_record_demo.py",
    "tests/meetings/test_summons_demo.py",
    "tests/browser/test_embed_host.py",
    "tests/browser/test_minute_taking_mode.py",
    "tests/browser/test_public_journeys.py",
    "tests/browser/test_record_accessibility.py",
    "tests/browser/test_small_things.py",
)
DEMO_TESTS = (
    "tests/meetings/test_key_messages.py::test_the_demo_reports_each_meeting_as_its_tor_says",
    "tests/meetings/test_reader.py::test_the_demos_member_can_keep_a_dispatched_meeting",
    "tests/test_scale_pages.py::test_a_planted_word_has_the_same_hits_at_every_factor",
)


def _world_of(nodeid: str) -> str | None:
    """The xdist group of a test: "demo" for the tests that restore the demo."""
    if nodeid.split("::", 1)[0] in DEMO_MODULES or nodeid.startswith(DEMO_TESTS):
        return "demo"
    return None


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` with the groups named by `_world_of`. xdist's own groups (the
    `xdist_group` mark, which it appends to each test's node id) have no effect under pytest 9.2,
    whose node ids are no longer read from the attribute xdist changes: the demo was built on
    both workers. The scheduler sees only node ids, so the groups are decided from them."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ByWorld(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _world_of(nodeid) or super()._split_scope(nodeid)

    return ByWorld(config, log)


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        if "demo" in getattr(item, "fixturenames", ()) and _world_of(item.nodeid) != "demo":
            raise pytest.UsageError(
                f"{item.nodeid} restores the demo: add its module to DEMO_MODULES "
                "(tests/conftest.py) so that one worker builds the demo for all"
            )

    def rank(item) -> int:
        for n, prefix in enumerate(SLOW_FIRST):
            if item.nodeid.startswith(prefix):
                return n
        return len(SLOW_FIRST)

    items.sort(key=rank)  # stable: every other test keeps its place


def pytest_configure(config):
    # pytest rewrites the asserts of every test module in each worker at each run (4 to 5 s of
    # CPU a process, half of collecting), and keeps the result beside the source only where
    # Python may write bytecode. Where PYTHONDONTWRITEBYTECODE is set (as on the machine CI runs
    # on) it never could: let it keep them, so that a run after the first collects in half the
    # time. Only these processes; the modules `make bytecode` compiled are untouched.
    sys.dont_write_bytecode = False
    template_db.run_uid(config)  # the controller fixes the run's id before it starts workers
    _flush_by_delete()


def _flush_by_delete() -> None:
    """Empty the tables after a transactional test (live server, Celery worker, browser) with
    DELETE instead of Django's TRUNCATE on PostgreSQL.

    TRUNCATE gives each of the 108 tables, its indexes and its TOAST table new files: 1.2 to 1.6 s
    a flush on this machine's PostgreSQL, after each of 38 transactional tests, where DELETE of
    what one test wrote takes 30 to 70 ms. Every foreign key Django makes is deferrable, so in
    the flush's one transaction the tables empty in any order and the keys are checked at the
    commit, when all are empty (tests/test_flush.py). With sequences to reset or a cascade
    (Django's `available_apps`), TRUNCATE as before."""
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [f"{style.SQL_KEYWORD('SET CONSTRAINTS ALL DEFERRED')};"] + [
            f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's set-up, except that xdist workers on PostgreSQL copy one migrated
    template instead of each running every migration (tests/template_db.py)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    keepdb = django_db_keepdb and not django_db_createdb
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        if template_db.applies(request.config, keepdb):
            db_cfg = template_db.setup(request.config, verbosity)
        else:
            aliases, serialized = _get_databases_for_setup(request.session.items)
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized,
                keepdb=keepdb,
            )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=verbosity)


def pytest_sessionfinish(session, exitstatus):
    from tests import snapshots

    snapshots.clear()
    if not hasattr(session.config, "workerinput") and session.config.getoption("dist") != "no":
        from pytest_django.plugin import blocking_manager_key

        with session.config.stash[blocking_manager_key].unblock():
            template_db.prune()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public pages are cached; a page cached by one test must not answer another's request."""
    from django.core.cache import cache

    cache.clear()
    yield


def full_sitemap(client) -> str:
    """/sitemap.xml is an index of sections: the index and every section it names, as one text."""
    import re

    index = client.get("/sitemap.xml").content.decode()
    parts = [index]
    for url in re.findall(r"<loc>([^<]+)</loc>", index):
        path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
        parts.append(client.get(path).content.decode())
    return "\n".join(parts)


def pytest_collection_finish(session):
    """Python's cycle collector, tuned for a test process: what exists once the tests are
    collected (modules, test items, Django's apps and URL patterns) lives to the end, so it is
    frozen out of every collection, and the young generation is collected every 20,000
    allocations instead of 700. Measured with gc.callbacks over three modules of
    tests/meetings (18 s of CPU): 1,322 collections taking 0.85 s before, 381 taking 0.48 s."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
