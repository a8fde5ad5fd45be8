"""Search across what has been published. What is searched comes from the sources in
`public_site.publications`, each of which starts from an access-helper queryset, so a result is
only ever something `meetings.access` lets the requester see; the ranking mechanics are
`icp_secretariat.lib.fulltext`.
"""

from __future__ import annotations

from dataclasses import replace

from icp_secretariat.lib.fulltext import clean_query, fill_snippets
from public_site.publications import sources

__all__ = ["MAX_PAGES", "PAGE_SIZE", "clean_query", "run_search"]


PAGE_SIZE = 20
MAX_PAGES = 10  # deeper than anyone reads; keeps every search bounded


def run_search(user, q: str, *, committee=None, limit: int = 50, offset: int = 0) -> list:
    """Search every registered source as `user`; returns `publications.SearchHit`s, best first:
    the `limit` hits after the first `offset`."""
    q = clean_query(q)
    if not q:
        return []
    hits = []
    for source in sources():
        hits.extend(source.search(user=user, q=q, committee=committee, limit=offset + limit))
    hits.sort(key=lambda h: -h.rank)
    page = hits[offset : offset + limit]
    # Headlines only for the hits shown (PostgreSQL leaves them until now).
    fill_snippets([h.match for h in page if h.match is not None], q)
    return [replace(h, snippet=h.match.snippet) if h.match is not None else h for h in page]
