"""Full-text search mechanics: PostgreSQL full-text search, a plain fallback on SQLite.

`search_page` ranks the rows of several querysets (`Branch`es), each already limited by the
caller to what the reader may see, and highlights the page of them shown; `text_search` does
the same for one queryset. It knows no model of the product.

On PostgreSQL, with the stored, indexed vectors (meetings migration 0010), a search is one
statement: every branch's matches (a GIN index scan under the branch's own access filter) with
their rank, each branch cut to its own best rows, as one UNION ALL ordered by rank and cut to
the page; then one query per branch on the page fetches its rows with their headlines. No
document is parsed to match, and only the rows shown are headlined, each from a window of its
text. A `SearchPlan` compiles these statements once for its branches and runs them as prepared
statements with generic plans, so a search kept by its caller costs neither Django's query
building nor PostgreSQL's planning again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import BooleanField, F, Func, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from psycopg.pq import TransactionStatus

CONFIG = "english"
MAX_QUERY_CHARS = 200
# Markers PostgreSQL puts round the matches; escaped text cannot contain them, so after
# escaping they are swapped for <mark> safely.
_START, _STOP = "\u2063[[", "]]\u2063"
# A headline is cut from this many characters of the text, starting a little before the first
# word that begins with one of the query's lexemes: ts_headline parses all the text it is given
# (about 8 ms for a paper of 3,000 words), a window of it a fraction of that. 600 characters
# hold two fragments of 30 words with their context; 1,200 cost about 0.1 ms more a row.
WINDOW_CHARS = 600
WINDOW_LEAD = 150


@dataclass
class Match:
    """One row of a source's queryset that matched, with its rank and a highlighted snippet."""

    obj: object
    rank: float
    snippet: SafeString = SafeString("")


@dataclass(frozen=True)
class Branch:
    """One queryset a search runs over.

    `qs` is already limited to what the reader may see; `fields` maps its text fields to
    weights ("A" strongest), `headline` is the field (or annotation) the snippet comes from, and
    `vector` names the stored, indexed tsvector column of `qs`'s table holding the same fields
    with the same weights. `hit` turns a `Match` into the caller's result."""

    qs: QuerySet
    fields: dict[str, str]
    headline: str
    vector: str | None = None
    hit: Callable[[Match], object] | None = None

    def result(self, match: Match):
        return match if self.hit is None else self.hit(match)


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
    """Rows of `qs` matching `q`, best first, highlighted: `search_page` over one branch."""
    branch = Branch(qs=qs, fields=fields, headline=headline, vector=vector)
    return search_page([branch], q, limit=limit)


def search_page(branches: list[Branch], q: str, *, limit: int = 50, offset: int = 0) -> list:
    """The `limit` best matches after the first `offset` across `branches`, best first, each
    made into its branch's result (`Branch.hit`) with its snippet.

    Equal ranks keep the branches' order, then newest row first. On PostgreSQL with every
    branch's stored vector: one ranked statement, then the page's rows and headlines; otherwise
    (the SQLite demo, or a branch without a vector) each branch is searched on its own."""
    return SearchPlan(branches).run(q, limit=limit, offset=offset)


# Stand-ins for a search's values while its statements are compiled: the compiled SQL is the
# same for every search over the same branches, only these parameters change.
_Q = "\u2063icp-search-query\u2063"


class _Slot:
    def __init__(self, name: str):
        self.name = name


_PER_BRANCH, _LIMIT, _OFFSET, _KEYS = (_Slot(n) for n in ("per_branch", "limit", "offset", "keys"))


def _bind(template: tuple, q: str, **slots) -> list:
    """The parameters of a compiled statement for one search."""
    return [
        slots[p.name] if isinstance(p, _Slot) else q if isinstance(p, str) and p == _Q else p
        for p in template
    ]


class SearchPlan:
    """`search_page` over one list of branches, its statements compiled once.

    Building and compiling the querysets costs more than running them; a caller that searches
    the same branches again (the same kind of reader: `public_site.search`) keeps the plan and
    pays that once. Each branch's access filter is part of the statements' SQL, so it is
    applied by the database on every search, to the data as it is then."""

    def __init__(self, branches: list[Branch]):
        self.branches = branches
        self.indexed = bool(branches) and all(b.vector for b in branches)
        self._ranked: tuple[str, tuple] | None = None
        self._pages: dict[int, _Compiled] = {}

    def run(self, q: str, *, limit: int = 50, offset: int = 0) -> list:
        q = clean_query(q)
        if not q or not self.branches:
            return []
        if is_postgres() and self.indexed:
            return self._pg_page(q, self._pg_ranked(q, limit=limit, offset=offset))
        found = []
        for b in self.branches:
            search = _pg_search if is_postgres() else _plain_search
            rows = search(b.qs, q, fields=b.fields, headline=b.headline, limit=offset + limit)
            found.extend((b, m) for m in rows)
        found.sort(key=lambda bm: -bm[1].rank)  # stable: the branches' order on equal ranks
        return [b.result(m) for b, m in found[offset : offset + limit]]

    # -------------------------------------------------------------------- PostgreSQL, indexed

    def _ranked_statement(self) -> tuple[str, tuple]:
        """One UNION ALL over the branches, each keeping only its own best `offset + limit`
        rows (the page can hold no others); then ordered by rank and cut to the page.

        A branch ranks its table's matches (a GIN index scan), best first, and takes them in
        that order while they pass its queryset (the access filter, checked row by row through
        the primary key) until it has enough: the rules are checked for the rows that may be
        shown, not joined to every match, and every row returned has passed them."""
        if self._ranked is None:
            # A sub-select: parsed once a statement, not once a row ranked.
            tsquery = "(SELECT websearch_to_tsquery(%s::regconfig, %s))"
            parts, params = [], []
            for i, b in enumerate(self.branches):
                opts = b.qs.model._meta
                table, key = f'"{opts.db_table}"', f'"{opts.db_table}"."{opts.pk.column}"'
                column = f'{table}."{b.vector}"'
                visible = b.qs.order_by().values("pk")
                try:
                    rules, rule_params = visible.query.get_compiler(visible.db).as_sql()
                except EmptyResultSet:  # the reader may see nothing of this branch
                    continue
                matches = (
                    f"SELECT {key} AS k, ts_rank({column}, {tsquery}) AS r FROM {table}"
                    f" WHERE {column} @@ {tsquery} ORDER BY 2 DESC, 1 DESC OFFSET 0"
                )
                parts.append(
                    f'(SELECT {i:d} AS "_branch", m.k AS "_key", m.r AS "_rank"'
                    f" FROM ({matches}) AS m WHERE m.k IN ({rules})"
                    " ORDER BY 3 DESC, 2 DESC LIMIT %s)"
                )
                params.extend((CONFIG, _Q, CONFIG, _Q, *rule_params, _PER_BRANCH))
            if parts:
                sql = " UNION ALL ".join(parts) + " ORDER BY 3 DESC, 1 ASC, 2 DESC LIMIT %s"
                sql += " OFFSET %s"
                params.extend((_LIMIT, _OFFSET))
            else:
                sql = ""
            self._ranked = (sql, tuple(params))
        return self._ranked

    def _pg_ranked(self, q: str, *, limit: int, offset: int) -> list[tuple]:
        """(branch index, pk, rank) of the page's matches; nothing is fetched but their keys."""
        sql, template = self._ranked_statement()
        if not sql:
            return []
        params = _bind(template, q, per_branch=offset + limit, limit=limit, offset=offset)
        return _fetch(connection, sql, params)

    def _page_statement(self, i: int) -> _Compiled:
        compiled = self._pages.get(i)
        if compiled is None:
            b = self.branches[i]
            pk = b.qs.model._meta.pk
            keys = RawSQL(
                f'"{b.qs.model._meta.db_table}"."{pk.column}" = ANY(%s)',
                [_KEYS],
                output_field=BooleanField(),
            )
            qs = b.qs.filter(keys).annotate(_snippet=_headline(b.headline, _Q, window=True))
            if b.headline in {f.attname for f in qs.model._meta.concrete_fields}:
                qs = qs.defer(b.headline)  # the long text stays in the database
            compiled = self._pages[i] = _Compiled(qs.order_by())
        return compiled

    def _pg_page(self, q: str, picked: list[tuple]) -> list:
        """The page's rows with their headlines, one query per branch on the page (the branch's
        own queryset, so its access filter applies again), in the order `picked` ranks them."""
        keys: dict[int, list] = {}
        for i, pk, _rank in picked:
            keys.setdefault(i, []).append(pk)
        rows = {}
        for i, pks in keys.items():
            statement = self._page_statement(i)
            objects = statement.objects(_bind(statement.params, q, keys=pks))
            rows.update(((i, obj.pk), obj) for obj in objects)
        page = []
        for i, pk, rank in picked:
            obj = rows.get((i, pk))
            if obj is not None:  # gone since it was ranked
                match = Match(obj=obj, rank=float(rank), snippet=_mark(obj._snippet or ""))
                page.append(self.branches[i].result(match))
        return page


_ONLY_WHEN_ASKED = 2**31 - 1  # executions before psycopg would prepare a statement unasked


def _fetch(conn, sql: str, params: list) -> list[tuple]:
    """The rows of one of a plan's statements, run as a prepared statement of the connection
    (psycopg names it and keeps it, by its text, for the connection's life): the text is the
    same for every search by the same kind of reader, so PostgreSQL parses and plans it once,
    not at each search (a few milliseconds for the ranked statement, as much as it takes to
    run for a rare word). Django's own cursors bind on the client and never prepare (its
    default, kept for everything else); this cursor binds on the server. Logged and its errors
    translated as Django's cursors do, with the statement as sent and its values.

    The plan is the generic one, made without the values (`plan_cache_mode`, which touches
    only prepared statements, and only these are): not knowing the word, PostgreSQL expects
    few matches and takes every branch's GIN index. Given a common word it would rather read
    every paper's out-of-line vector to test it (it costs a table scan by its pages, not by the
    vectors it decompresses), four times slower here than the index's matches."""
    conn.ensure_connection()
    conn.validate_no_broken_transaction()
    raw = conn.connection
    if raw.prepare_threshold is None:  # Django's "never": only `prepare=True` prepares now
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    if (
        not getattr(raw, "_icp_generic_plans", False)
        and raw.autocommit
        and raw.info.transaction_status == TransactionStatus.IDLE
    ):
        # Outside a transaction, so no rollback undoes it (inside one, PostgreSQL's default
        # choice stands for now). Only these statements are prepared on the connection.
        raw.execute("SET plan_cache_mode = force_generic_plan")
        raw._icp_generic_plans = True
    start = time.monotonic()
    try:
        with conn.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()
    finally:
        if conn.queries_logged:
            conn.queries_log.append(
                {
                    "sql": conn.ops.compose_sql(sql, params),
                    "time": f"{time.monotonic() - start:.3f}",
                }
            )


class _Compiled:
    """A model queryset compiled once: its SQL and parameters, and what makes model instances
    (with their `select_related` objects and annotations) of its rows, as Django's own
    iterator does. Holds no connection: each run uses the current thread's."""

    def __init__(self, qs: QuerySet):
        compiler = qs.query.get_compiler(qs.db)
        self.db = qs.db
        try:
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:  # the reader may see nothing of it
            self.sql, self.params = "", ()
            return
        self.select = compiler.select
        self.klass_info = compiler.klass_info
        self.annotation_col_map = compiler.annotation_col_map or {}
        self.fields = [s[0] for s in compiler.select[: compiler.col_count]]
        self.model = self.klass_info["model"]
        fields = self.klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in self.select[self.start : self.end]]

    def objects(self, params: list) -> list:
        if not self.sql:
            return []
        conn = connections[self.db]
        rows = _fetch(conn, self.sql, params)
        converters = []
        for pos, expression in enumerate(self.fields):
            found = conn.ops.get_db_converters(expression) + expression.get_db_converters(conn)
            if found:
                converters.append((pos, found, expression))
        populators = get_related_populators(self.klass_info, self.select, self.db)
        objects = []
        for row in rows:
            if converters:
                row = list(row)
                for pos, found, expression in converters:
                    value = row[pos]
                    for convert in found:
                        value = convert(value, expression, conn)
                    row[pos] = value
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in populators:
                populator.populate(row, obj)
            for name, pos in self.annotation_col_map.items():
                setattr(obj, name, row[pos])
            objects.append(obj)
        return objects


class _Window(Func):
    """The part of a long text a headline is taken from (PostgreSQL): `WINDOW_CHARS` characters
    from a little before the first word that starts with one of the query's lexemes; the whole
    text when no word does (a stem that is not a prefix of the word it came from, "studi" of
    "study"), so a headline never misses a match the window would not show."""

    output_field = TextField()

    def __init__(self, text, q: str):
        super().__init__(text)
        self.q = q

    def as_sql(self, compiler, connection, **extra):
        text, params = compiler.compile(self.source_expressions[0])
        # One pattern for every lexeme ("\\m(?:care|plan)"), built once a statement (it does
        # not depend on the row): its first match in the text is the first of any lexeme's.
        pattern = (
            "(SELECT '\\m(?:' || string_agg(regexp_replace(l, '([^[:alnum:]_])', '\\\\\\1', 'g'),"
            " '|') || ')' FROM unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s))) AS l)"
        )
        # OFFSET 0 keeps the subquery whole, so the text is searched once, not once a use of p.
        first = f"SELECT NULLIF(regexp_instr({text}, {pattern}, 1, 1, 0, 'i'), 0) AS p OFFSET 0"
        # Whole words only: the window is taken with one character more on each side (a space
        # beyond the text's ends), and a word that goes on past either edge is dropped with it.
        sql = (
            f"(SELECT CASE WHEN w.p IS NULL THEN {text}"
            f" ELSE regexp_replace(substr(' ' || {text} || ' ', greatest(w.p - %s, 1), %s),"
            rf" '^\S*\s|\s\S*$', '', 'g') END FROM ({first}) AS w)"
        )
        return sql, (*params, *params, WINDOW_LEAD, WINDOW_CHARS + 2, *params, CONFIG, self.q)


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
    end = start + width
    if end < len(text) and not text[end].isspace():  # end at a word, not in the middle of one
        space = text.rfind(" ", max(hits) if hits else start, end)
        end = space if space > 0 else end
    piece = " ".join(text[start:end].split())
    out = _mark_plain(escape(piece), terms)
    prefix = "… " if start else ""
    return mark_safe(prefix + out + (" …" if end < len(text) else ""))


def _mark_plain(escaped: str, terms: list[str]) -> str:
    # The query's words wherever they occur, as the plain search matches them (icontains).
    for t in sorted(set(terms), key=len, reverse=True):
        escaped = re.sub(
            f"({re.escape(escape(t))})", r"<mark>\1</mark>", escaped, flags=re.IGNORECASE
        )
    return escaped


_NEGATED = re.compile(r"(?:^|\s)-\S+")  # websearch syntax: "-word" excludes the word


def mark_matches(texts: list[str], q: str) -> list[SafeString]:
    """Each of `texts` (short ones: titles) escaped, with the words that match the query marked
    (<mark>), as the search matched them: on PostgreSQL each word whose lexeme is one of the
    query's (words it excludes are not marked), in one query for all the texts; otherwise
    the query's words wherever they occur. The snippet is highlighted by `search_page`; this
    is for what a result shows besides it."""
    q = clean_query(q)
    if not q or not texts:
        return [mark_safe(escape(t)) for t in texts]  # noqa: S308 - escaped
    if not is_postgres():
        terms = words(q)
        return [mark_safe(_mark_plain(escape(t), terms)) for t in texts]  # noqa: S308 - escaped
    tokens = sorted({w.lower() for t in texts for w in re.findall(r"\w+", t)})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.w FROM unnest(%s::text[]) AS t(w) WHERE"
            " tsvector_to_array(to_tsvector(%s::regconfig, t.w))"
            " && (SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s)))",
            [tokens, CONFIG, CONFIG, _NEGATED.sub(" ", q)],
        )
        matching = {row[0] for row in cursor.fetchall()}
    out = []
    for t in texts:
        parts = re.split(r"(\w+)", t)  # words at the odd places
        out.append(
            mark_safe(  # noqa: S308 - every part escaped
                "".join(
                    f"<mark>{escape(p)}</mark>" if i % 2 and p.lower() in matching else escape(p)
                    for i, p in enumerate(parts)
                )
            )
        )
    return out


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
