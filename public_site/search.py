"""Search across what has been published. What is searched comes from the sources in
`public_site.publications`, each of which starts from an access-helper queryset, so a result is
only ever something `meetings.access` lets the requester see; the ranking mechanics are
`icp_secretariat.lib.fulltext`.
"""

from __future__ import annotations

from icp_secretariat.lib.fulltext import clean_query, search_page
from public_site.publications import sources

__all__ = ["MAX_PAGES", "PAGE_SIZE", "clean_query", "run_search"]


PAGE_SIZE = 20
MAX_PAGES = 10  # deeper than anyone reads; keeps every search bounded


def run_search(user, q: str, *, committee=None, limit: int = 50, offset: int = 0) -> list:
    """Search every registered source as `user`; returns `publications.SearchHit`s, best first:
    the `limit` hits after the first `offset`. On PostgreSQL one ranked statement covers every
    source (each under its own access filter), and only the hits returned are headlined."""
    q = clean_query(q)
    if not q:
        return []
    branches = [
        branch
        for source in sources()
        for branch in source.search_branches(user=user, committee=committee)
    ]
    return search_page(branches, q, limit=limit, offset=offset)
