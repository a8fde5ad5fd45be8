"""Indexed search on PostgreSQL: every source matches on a stored, weighted tsvector that the
database keeps up to date, through its GIN index, in one ranked statement; no document is parsed
to answer a query, and headlines are computed only for the hits shown, from a window of their
text. (Access rules: test_search.py, test_record_publications.py and
test_search_access_lists.py, which run unchanged on the indexed path.)"""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icp_secretariat.lib import fulltext
from meetings.models import Decision, Minutes, Paper
from public_site.search import run_search
from tests.conftest import need_postgres
from tests.meetings.record_published import (  # noqa: F401
    SECRET_MINUTES,
    _published_world,
    km_fixture,
    published_fixture,
)

INDEXES = {
    "meetings_paper_search_gin",
    "meetings_agendaitem_search_gin",
    "meetings_agendaitem_public_gin",
    "meetings_decision_search_gin",
    "meetings_decision_summary_gin",
    "meetings_minutes_search_gin",
    "meetings_minutes_public_gin",
    "meetings_keymessages_search_gin",
}

OFF = ("enable_seqscan", "enable_indexscan", "enable_nestloop")


def _explain(sql: str) -> str:
    with connection.cursor() as cursor:
        # A handful of test rows: the planner would rightly scan them, or look each visible row
        # up by its key; forbid those to see whether the index can answer the query at all.
        for setting in OFF:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in OFF:
            cursor.execute(f"SET LOCAL {setting} = on")
    return plan


def _matching_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "@@" in q["sql"]]


def test_every_search_query_uses_a_gin_index_and_parses_no_document(km, published):
    need_postgres()
    user = km.users["secretariat"]  # sees everything: every source and variant runs
    with CaptureQueriesContext(connection) as captured:
        hits = run_search(user, "harbour")
    assert {h.kind for h in hits} >= {"minutes", "decision"}
    searches = _matching_queries(captured)
    assert searches
    used = set()
    for sql in searches:
        assert "to_tsvector" not in sql  # the stored vector, not the text parsed per row
        assert "ts_headline" not in sql  # headlines come after the page is chosen
        plan = _explain(sql)
        found = {name for name in INDEXES if name in plan}
        assert found, plan
        used |= found
    assert {
        "meetings_agendaitem_search_gin",
        "meetings_decision_search_gin",
        "meetings_minutes_search_gin",
        "meetings_keymessages_search_gin",
        "meetings_paper_search_gin",
    } <= used
    # The public's searches use the Part 1 / public-summary vectors.
    with CaptureQueriesContext(connection) as captured:
        run_search(AnonymousUser(), "harbour")
    plans = "\n".join(_explain(sql) for sql in _matching_queries(captured))
    assert "meetings_minutes_public_gin" in plans
    assert "meetings_decision_summary_gin" in plans


def test_headlines_only_for_the_page_shown(km, published):
    need_postgres()
    user = km.users["secretariat"]
    everything = run_search(user, "harbour")
    assert len(everything) > 2
    with CaptureQueriesContext(connection) as captured:
        page = run_search(user, "harbour", limit=1)
    assert [h.url for h in page] == [everything[0].url]
    assert "<mark>" in page[0].snippet
    headline_queries = [q["sql"] for q in captured.captured_queries if "ts_headline" in q["sql"]]
    assert len(headline_queries) == 1  # one row, one headline
    assert headline_queries[0].count("ts_headline") == 1


def test_one_ranked_statement_for_every_source_then_one_query_per_source_shown(km, published):
    need_postgres()
    user = km.users["secretariat"]
    everything = run_search(user, "harbour")
    for offset in (0, 1, 2):
        with CaptureQueriesContext(connection) as captured:
            page = run_search(user, "harbour", limit=2, offset=offset)
        assert [h.url for h in page] == [h.url for h in everything[offset : offset + 2]]
        ranked = _matching_queries(captured)
        assert len(ranked) == 1 and "UNION ALL" in ranked[0]  # every source, one statement
        assert "ts_headline" not in ranked[0]
        headlined = [q["sql"] for q in captured.captured_queries if "ts_headline" in q["sql"]]
        # The page's rows and headlines: one query per source on the page, nothing else.
        assert 1 <= len(headlined) <= len({h.kind for h in page}) + 1
        assert len(captured.captured_queries) == 1 + len(headlined)


FILLER = "The board reviewed the quarterly figures and agreed the next steps. " * 60


@pytest.mark.parametrize(
    ("text", "q"),
    [
        # Far past the window's length: the window starts at the match, not at the start.
        (f"{FILLER} The Zanzibar lease was agreed. {FILLER}", "zanzibar"),
        # A stem that is not a prefix of the word ("studi" of "study"): the whole text.
        (f"{FILLER} One study of the lease. {FILLER}", "studies"),
    ],
)
def test_a_headline_finds_its_match_anywhere_in_a_long_text(km, published, text, q):
    need_postgres()
    user = km.users["secretariat"]
    decision = Decision.objects.first()
    Decision.objects.filter(pk=decision.pk).update(text=text)
    hits = [h for h in run_search(user, q) if h.kind == "decision" and h.label == "Decision"]
    assert len(hits) == 1
    assert "<mark>" in hits[0].snippet
    assert len(hits[0].snippet) < 600  # a headline, not the text


def _cut_words(snippet: str, text: str) -> list[str]:
    """The words of a snippet that are not words of the text: cut off at a window's edge."""
    whole = set(re.findall(r"\w+", text))
    shown = html.unescape(re.sub(r"</?mark>", "", snippet))
    return [w for w in re.findall(r"\w+", shown) if w not in whole]


def _text_cut_mid_word(window_start: int, window_chars: int, lead: str) -> str:
    """A text whose first "Zanzibar" opens a window that ends inside "incontrovertibly", with a
    second "Zanzibar" just before that end, so the headline shows the window's last words."""
    before = lead + "The Zanzibar lease was agreed. "
    start = max(before.index("Zanzibar") - window_start, 0)
    end = start + window_chars  # the window's first character after it
    gap = end - 6 - len("Zanzibar ") - len(before)
    filler = "and " * (gap // 4) + " " * (gap % 4)
    text = before + filler + "Zanzibar incontrovertibly agreed. " + lead
    assert text[end - 6 : end + 10] == "incontrovertibly"  # the window ends inside the word
    return text


def test_a_headline_shows_whole_words_where_its_window_cuts_one(km, published):
    need_postgres()
    lead = "Members noted the quarterly performance report and its assurance framework. " * 20
    text = _text_cut_mid_word(fulltext.WINDOW_LEAD, fulltext.WINDOW_CHARS, lead)
    decision = Decision.objects.first()
    Decision.objects.filter(pk=decision.pk).update(text=text)
    hits = [h for h in run_search(km.users["secretariat"], "zanzibar") if h.label == "Decision"]
    assert len(hits) == 1 and hits[0].snippet.count("<mark>") == 2, hits
    assert _cut_words(hits[0].snippet, text) == [], hits[0].snippet


def test_a_plain_snippet_shows_whole_words(km, published):
    # The SQLite demo's search (`make run`) cuts its snippet from the text in Python.
    lead = "Members noted the quarterly performance report and its assurance framework. " * 3
    text = _text_cut_mid_word(160 // 3, 160, lead)
    decision = Decision.objects.first()
    Decision.objects.filter(pk=decision.pk).update(text=text)
    found = fulltext._plain_search(
        Decision.objects.filter(pk=decision.pk), "zanzibar", fields={"text": "C"},
        headline="text", limit=5,
    )  # fmt: skip
    assert len(found) == 1 and "<mark>Zanzibar</mark>" in found[0].snippet
    assert _cut_words(found[0].snippet, text) == [], found[0].snippet


def test_the_database_keeps_the_vectors_up_to_date(km, published):
    need_postgres()
    user = km.users["secretariat"]
    assert not run_search(user, "zanzibar")
    paper = Paper.objects.filter(is_current=True).first()
    if paper is not None:
        Paper.objects.filter(pk=paper.pk).update(text="A note on Zanzibar ferries.")
    decision = Decision.objects.first()
    Decision.objects.filter(pk=decision.pk).update(text="Agreed the Zanzibar lease.")
    minutes = Minutes.objects.get(pk=published["minutes"].pk)
    minutes.sections = [{"heading": "Zanzibar", "text": "Discussed.", "part": 1}]
    minutes.save(update_fields=["sections"])
    kinds = {h.kind for h in run_search(user, "zanzibar")}
    assert {"decision", "minutes"} <= kinds
    # Part 2 text stays out of the Part 1 vector the public searches.
    minutes.sections = [{"heading": "Private", "text": "The zanzibar site.", "part": 2}]
    minutes.save(update_fields=["sections"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ to_tsquery('english', 'zanzibar'),"
            " public_vector @@ to_tsquery('english', 'zanzibar')"
            " FROM meetings_minutes WHERE id = %s",
            [minutes.pk],
        )
        assert cursor.fetchone() == (True, False)


@pytest.mark.parametrize("q", ["harbour", "quayside"])
def test_public_results_exclude_part2_on_the_indexed_path(km, published, q):
    need_postgres()
    for hit in run_search(AnonymousUser(), q):
        assert SECRET_MINUTES not in hit.snippet
        assert "quayside" not in hit.title.lower()
