"""Pages that do not grow with history: every list page, API list and sitemap section costs the
same number of queries on a small record and on the same record grown threefold with
`manage.py grow_demo` (years of earlier meetings, papers, minutes and decisions); API lists are
capped; the calendar shows one year; a write invalidates only the cached pages built from it.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import AgendaItem, Decision, Meeting, Paper, PaperDownload
from tests.conftest import load_demo_once
from tests.meetings.record_published import (  # noqa: F401
    _published_world,
    km_fixture,
    published_fixture,
)


def _public_pages(km) -> list[str]:
    slug = km.committee.slug
    return [
        reverse("public:meetings", args=[slug]),
        reverse("record:decisions", args=[slug]),
        reverse("interests:register", args=[slug]),
        "/search/?q=harbour",
        "/api/v1/meetings/",
        "/api/v1/agenda-items/",
        "/api/v1/papers/",
        "/api/v1/committees/",
        "/sitemap.xml",
        *[f"/sitemap-{name}.xml" for name in ("pages", "committees", "meetings", "papers",
                                              "agendas", "minutes", "decisions", "key-messages")],
    ]  # fmt: skip


def _secretariat_pages(km) -> list[str]:
    return [
        reverse("meetings_admin:meeting_list", args=[km.committee.slug]),
        reverse("agenda:meetings"),
    ]


def _count(client, url: str) -> int:
    cache.clear()  # measure the page being built, not served from the page cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def _counts(client, km, urls) -> dict[str, int]:
    return {url: _count(client, url) for url in urls}


def test_query_counts_do_not_grow_with_history(client, km, published):
    public = _public_pages(km)
    staff = _secretariat_pages(km)
    small_public = _counts(client, km, public)
    client.force_login(km.users["secretariat"])
    small_staff = _counts(client, km, staff)
    client.logout()

    meetings_before, decisions_before = Meeting.objects.count(), Decision.objects.count()
    call_command("grow_demo", factor=3, words=200, verbosity=0)
    assert Meeting.objects.count() == 3 * meetings_before
    assert Decision.objects.count() >= 3 * decisions_before > 0

    assert _counts(client, km, public) == small_public
    client.force_login(km.users["secretariat"])
    assert _counts(client, km, staff) == small_staff


@pytest.mark.django_db
def test_a_planted_word_has_the_same_hits_at_every_factor():
    # benchmarks/scale.py times a selective search whose hits do not grow with the data.
    from django.contrib.auth.models import AnonymousUser

    from demo.management.commands.grow_demo import FIXED_HITS, FIXED_WORD
    from public_site.search import run_search

    hits, papers = {}, {}
    for factor in (1, 2, 4):
        load_demo_once()  # the demo as loaded, before any growth
        call_command("grow_demo", factor=factor, words=50, verbosity=0)
        hits[factor] = len(run_search(AnonymousUser(), FIXED_WORD))
        papers[factor] = Paper.objects.count()
    assert papers[1] < papers[2] < papers[4]
    assert hits == {1: 0, 2: FIXED_HITS, 4: FIXED_HITS}


def test_api_lists_are_capped_and_the_calendar_shows_one_year(client, km, published):
    call_command("grow_demo", factor=30, words=50, verbosity=0)
    client.force_login(km.users["secretariat"])  # sees every item
    body = client.get("/api/v1/agenda-items/?limit=100000").json()
    assert body["count"] > 200
    assert len(body["results"]) == 200
    client.logout()
    page = client.get(reverse("public:meetings", args=[km.committee.slug])).content.decode()
    past = page.split("Past meetings", 1)[1]
    years = set(re.findall(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday) \d+ \w+ (\d{4})", past))
    assert len(years) == 1


def _sitemap_section_built(client, name: str) -> bool:
    """Whether fetching the section ran any query, i.e. was built rather than served cached."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/sitemap-{name}.xml").status_code == 200
    return bool(captured.captured_queries)


def test_a_write_invalidates_only_the_cached_pages_built_from_it(client, km, published):
    paper = Paper.objects.first() or Paper.objects.create(
        item=AgendaItem.objects.first(), title="P", storage_name="p.pdf", size=1, sha256="0",
        page_count=1,
    )  # fmt: skip
    for name in ("meetings", "papers", "decisions"):
        _sitemap_section_built(client, name)
    assert not _sitemap_section_built(client, "papers")  # cached now

    # Opening a paper writes a download log row: no public page shows it.
    PaperDownload.objects.create(paper=paper, user=km.users["kcc_exec1"])
    assert not _sitemap_section_built(client, "papers")
    assert not _sitemap_section_built(client, "meetings")

    decision = Decision.objects.first()
    decision.public_summary = decision.public_summary + " (amended)"
    decision.save()
    assert _sitemap_section_built(client, "decisions")
    assert not _sitemap_section_built(client, "papers")
    assert not _sitemap_section_built(client, "meetings")
    # grow_demo writes in bulk (no signals) and says itself what it changed.
    call_command("grow_demo", factor=2, words=20, verbosity=0)
    assert _sitemap_section_built(client, "meetings")
    assert _sitemap_section_built(client, "decisions")
