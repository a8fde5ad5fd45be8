"""Full-text search mechanics: PostgreSQL full-text search, a plain fallback on SQLite.

`text_search` ranks and highlights the rows of a queryset the caller has already limited to
what the reader may see; it knows no model of the product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
MAX_QUERY_CHARS = 200
# Markers PostgreSQL puts round the matches; escaped text cannot contain them, so after
# escaping they are swapped for <mark> safely.
_START, _STOP = "\u2063[[", "]]\u2063"
# A headline is cut from this many characters of the text, starting a little before the first
# word that begins with one of the query's lexemes: ts_headline parses all the text it is given
# (about 8 ms for a paper of 3,000 words), a window of it a fraction of that.
WINDOW_CHARS = 1200
WINDOW_LEAD = 300


@dataclass
class Match:
    """One row of a source's queryset that matched, with its rank and a highlighted snippet.

    On PostgreSQL the snippet is left empty by the search and filled by `fill_snippets` for the
    matches actually shown, so headlines are never computed for results nobody sees."""

    obj: object
    rank: float
    snippet: SafeString = SafeString("")
    # (queryset, headline field) to compute the snippet from; None once filled.
    pending: tuple | None = field(default=None, repr=False)


def clean_query(q: str | None) -> str:
    """The query as typed, trimmed to something sane; empty when there is nothing to search."""
    return " ".join((q or "").split())[:MAX_QUERY_CHARS]


def words(q: str) -> list[str]:
    return [w for w in re.findall(r"\w+", q.lower()) if len(w) > 1][:10]


def _mark(text: str) -> SafeString:
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def text_search(
    qs: QuerySet,
    q: str,
    *,
    fields: dict[str, str],
    headline: str,
    vector: str | None = None,
    limit: int = 50,
) -> list[Match]:
    """Rows of `qs` matching `q`, best first.

    `fields` maps field names to weights ("A" strongest); `headline` is the field the snippet
    comes from. `vector` names the stored, indexed tsvector column of `qs`'s table holding the
    same fields with the same weights (see meetings migration 0009); PostgreSQL searches it, and
    snippets are left for `fill_snippets`. `qs` must already be limited to what the reader may
    see.
    """
    q = clean_query(q)
    if not q:
        return []
    if is_postgres():
        if vector:
            return _pg_indexed_search(qs, q, vector=vector, headline=headline, limit=limit)
        return _pg_search(qs, q, fields=fields, headline=headline, limit=limit)
    return _plain_search(qs, q, fields=fields, headline=headline, limit=limit)


def _tsquery(q: str) -> tuple[str, list]:
    return "websearch_to_tsquery(%s::regconfig, %s)", [CONFIG, q]


def _pg_indexed_search(qs, q, *, vector, headline, limit) -> list[Match]:
    """Match on the stored vector (a GIN index scan), rank on it, and take the top `limit`:
    no document is parsed at query time."""
    table = qs.model._meta.db_table
    column = f'"{table}"."{vector}"'
    tsquery, params = _tsquery(q)
    rows = (
        qs.filter(RawSQL(f"{column} @@ {tsquery}", params, output_field=BooleanField()))
        .annotate(_rank=RawSQL(f"ts_rank({column}, {tsquery})", params, output_field=FloatField()))
        .order_by("-_rank", "-pk")[:limit]
    )
    if headline in {f.attname for f in qs.model._meta.concrete_fields}:
        rows = rows.defer(headline)  # the long text is read again only for the page shown
    return [Match(obj=r, rank=float(r._rank), pending=(qs, headline)) for r in rows]


class _Window(Func):
    """The part of a long text a headline is taken from (PostgreSQL): `WINDOW_CHARS` characters
    from a little before the first word that starts with one of the query's lexemes, or from
    the start when none does (a stem that is not a prefix of the word, say)."""

    output_field = TextField()

    def __init__(self, text, q: str):
        super().__init__(text)
        self.q = q

    def as_sql(self, compiler, connection, **extra):
        text, params = compiler.compile(self.source_expressions[0])
        first = (
            "(SELECT min(p) FROM (SELECT regexp_instr("
            f"{text}, '\\m' || regexp_replace(l, '([^[:alnum:]_])', '\\\\\\1', 'g'),"
            " 1, 1, 0, 'i') AS p"
            " FROM unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s))) AS l) AS w"
            " WHERE p > 0)"
        )
        sql = f"substr({text}, greatest(coalesce({first}, 1) - %s, 1), %s)"
        return sql, (*params, *params, CONFIG, self.q, WINDOW_LEAD, WINDOW_CHARS)


def _headline(headline: str, q: str, *, window: bool = False) -> SearchHeadline:
    return SearchHeadline(
        _Window(F(headline), q) if window else headline,
        SearchQuery(q, search_type="websearch", config=CONFIG),
        config=CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def fill_snippets(matches: list[Match], q: str) -> None:
    """Compute the headlines of `matches` (the page shown): one query per source queryset."""
    q = clean_query(q)
    groups: dict[int, tuple] = {}
    for m in matches:
        if m.pending is not None:
            qs, headline = m.pending
            groups.setdefault(id(qs), (qs, headline, []))[2].append(m)
    for qs, headline, group in groups.values():
        pks = [m.obj.pk for m in group]
        snippets = dict(
            qs.filter(pk__in=pks)
            .annotate(_snippet=_headline(headline, q, window=True))
            .values_list("pk", "_snippet")
            .order_by()
        )
        for m in group:
            m.snippet = _mark(snippets.get(m.obj.pk) or "")
            m.pending = None


def _pg_search(qs, q, *, fields, headline, limit) -> list[Match]:
    vector = None
    for name, weight in fields.items():
        v = SearchVector(name, weight=weight, config=CONFIG)
        vector = v if vector is None else vector + v
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    rows = (
        qs.annotate(_vector=vector)
        .filter(_vector=query)
        .annotate(_rank=SearchRank(vector, query))
        .annotate(_snippet=_headline(headline, q))
        .order_by("-_rank", "-pk")[:limit]
    )
    return [Match(obj=r, rank=float(r._rank), snippet=_mark(r._snippet or "")) for r in rows]


def _plain_snippet(text: str, terms: list[str], width: int = 160) -> SafeString:
    low = text.lower()
    hits = [low.find(t) for t in terms if low.find(t) >= 0]
    start = max(min(hits) - width // 3, 0) if hits else 0
    if start:  # begin at a word, not in the middle of one
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < min(hits) else start
    piece = " ".join(text[start : start + width].split())
    out = escape(piece)
    for t in sorted(set(terms), key=len, reverse=True):
        out = re.sub(f"({re.escape(escape(t))})", r"<mark>\1</mark>", out, flags=re.IGNORECASE)
    prefix = "… " if start else ""
    return mark_safe(prefix + out + (" …" if start + width < len(text) else ""))


def _plain_search(qs, q, *, fields, headline, limit) -> list[Match]:
    terms = words(q)
    if not terms:
        return []
    for t in terms:
        cond = Q()
        for name in fields:
            cond |= Q(**{f"{name}__icontains": t})
        qs = qs.filter(cond)
    matches = []
    for row in qs.order_by("-pk")[: limit * 4]:
        score = 0.0
        for name, weight in fields.items():
            value = (getattr(row, name, "") or "").lower()
            score += sum(value.count(t) for t in terms) * {"A": 1.0, "B": 0.4}.get(weight, 0.2)
        text = getattr(row, headline, "") or ""
        matches.append(Match(obj=row, rank=score, snippet=_plain_snippet(text, terms)))
    matches.sort(key=lambda m: -m.rank)
    return matches[:limit]
