"""Search: each persona finds exactly what `meetings.access` lets them see; PostgreSQL ranks and
highlights; the page works with bad input."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import access
from meetings.agenda import services
from public_site.search import run_search
from tests.conftest import need_postgres
from tests.meetings.conftest import SECRET_DESCRIPTION, SECRET_TITLE
from tests.meetings.processed import processed
from tests.meetings.test_access import EVERYONE, dispatch, login, paper_url


def _user(people, who):
    from django.contrib.auth.models import AnonymousUser

    return people[who] or AnonymousUser()


@pytest.mark.parametrize("dispatched", [False, True])
@pytest.mark.parametrize("who", EVERYONE)
def test_search_finds_exactly_what_the_access_rules_allow(world, who, dispatched):
    people = world["people"]
    if dispatched:
        dispatch(world["meeting"], people)
        dispatch(world["private"], people)
    user = _user(people, who)
    fresh = _user(people, who)  # access caches on the user object; use a clean one to check

    found = {h.url for h in run_search(user, "valuation report")}
    expected = {
        paper_url(world[k])
        for k in ("pub_p2", "priv_p2")
        if access.paper_visible_to(fresh, world[k])
    }
    assert found == expected

    found_titles = [h.title for h in run_search(user, "Riverside")]
    readable = [m for m in (world["meeting"], world["private"]) if access.can_see_part2(fresh, m)]
    assert len([t for t in found_titles if SECRET_TITLE in t]) == len(readable)

    # The public description of a Part 2 line is found by whoever sees the agenda's lines;
    # the secret title never appears in such a hit.
    for hit in run_search(user, "property transaction"):
        assert SECRET_TITLE not in hit.title
        assert SECRET_TITLE not in hit.snippet


def test_search_page_for_the_public_shows_part1_only_and_handles_odd_input(client, world):
    people = world["people"]
    dispatch(world["meeting"], people)
    body = client.get(reverse("public:search"), {"q": "minutes"}).content.decode()
    assert paper_url(world["pub_p1"]) in body
    assert paper_url(world["priv_p1"]) not in body  # meeting held in private
    body = client.get(reverse("public:search"), {"q": "valuation riverside"}).content.decode()
    assert SECRET_TITLE not in body and "Valuation report" not in body
    for q in ["", "   ", "'\"<script>", "a" * 5000, "&|!:*()"]:
        response = client.get(reverse("public:search"), {"q": q, "committee": "nope"})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</header>")[1]


def test_member_search_page_includes_part2(client, world):
    people = world["people"]
    dispatch(world["meeting"], people)
    login(client, people, "member")
    body = client.get(reverse("public:search"), {"q": "valuation"}).content.decode()
    assert paper_url(world["pub_p2"]) in body
    assert SECRET_DESCRIPTION not in body or SECRET_TITLE in body


def test_postgres_full_text_search_ranks_stems_and_highlights(world, text_pdf):
    need_postgres()
    people = world["people"]
    item = world["pub_p1"].item
    processed(
        services.upload_paper(
            item=item,
            by=people["secretariat"],
            uploaded=SimpleUploadedFile("budget.pdf", text_pdf),
            title="Budget pressures in adult social care",
        )
    )
    dispatch(world["meeting"], people)
    hits = run_search(people["chair"], "pressure")  # stemmed: matches "pressures"
    titles = [h.title for h in hits]
    assert "Budget pressures in adult social care" in titles
    hit = next(h for h in hits if h.title.startswith("Budget"))
    assert "<mark>pressures</mark>" in hit.snippet
    assert hit.rank > 0
    # websearch syntax: a quoted phrase and an exclusion.
    assert run_search(people["chair"], '"budget pressures" -valuation')
    assert not run_search(people["chair"], "budget -pressures")


def test_search_results_come_a_page_at_a_time(client, world):
    from meetings.models import AgendaItem

    people = world["people"]
    agenda = world["meeting"].agenda
    for n in range(25):
        AgendaItem.objects.create(agenda=agenda, number=100 + n, title=f"Zebra crossing {n}")
    dispatch(world["meeting"], people)
    first = client.get(reverse("public:search"), {"q": "zebra"}).content.decode()
    assert "Results 1 to 20" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(reverse("public:search"), {"q": "zebra", "page": "2"}).content.decode()
    assert "Results 21 to 25" in second and 'rel="prev"' in second and 'rel="next"' not in second
    first, second = (re.sub(r"</?mark>", "", page) for page in (first, second))
    shown = set(re.findall(r"Zebra crossing \d+", first)) | set(
        re.findall(r"Zebra crossing \d+", second)
    )
    assert len(shown) == 25
    for page in ("0", "-3", "abc", "999"):
        assert client.get(reverse("public:search"), {"q": "zebra", "page": page}).status_code == 200


def test_the_words_of_a_title_that_matched_are_marked(client, world):
    # Seen in the demo: "workforce" found "Workforce: one workforce across health and care"
    # by its title, and nothing in the result said why (its snippet, from the text, had no
    # match).
    need_postgres()
    from meetings.models import AgendaItem

    people = world["people"]
    agenda = world["meeting"].agenda
    AgendaItem.objects.create(
        agenda=agenda, number=100, title="Workforce plans & the <b>careers</b> fair"
    )
    dispatch(world["meeting"], people)
    body = client.get(reverse("public:search"), {"q": "planning careers"}).content.decode()
    # As the search matched them: stems ("planning" found "plans"), whole words, escaped.
    assert (
        "Workforce <mark>plans</mark> &amp; the &lt;b&gt;<mark>careers</mark>&lt;/b&gt; fair"
        in body
    )
    body = client.get(reverse("public:search"), {"q": "fair"}).content.decode()
    assert "Workforce plans &amp; the &lt;b&gt;careers&lt;/b&gt; <mark>fair</mark>" in body
    assert "<b>careers</b>" not in body


def test_the_plain_search_marks_a_titles_words_as_it_matches_them(monkeypatch):
    # The SQLite demo (`make run`): the query's words wherever they occur, as icontains finds.
    from icp_secretariat.lib import fulltext

    monkeypatch.setattr(fulltext, "is_postgres", lambda: False)
    marked = fulltext.mark_matches(["Workforce plans & <b>Plan</b> B", "Nothing here"], "plan")
    assert marked == [
        "Workforce <mark>plan</mark>s &amp; &lt;b&gt;<mark>Plan</mark>&lt;/b&gt; B",
        "Nothing here",
    ]
    assert fulltext.mark_matches(["A <title>"], "  ") == ["A &lt;title&gt;"]
