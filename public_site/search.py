"""Search across what has been published. What is searched comes from the sources in
`public_site.publications`, each of which starts from an access-helper queryset, so a result is
only ever something `meetings.access` lets the requester see; the ranking mechanics are
`icp_secretariat.lib.fulltext`.
"""

from __future__ import annotations

from dataclasses import replace

from icp_secretariat.lib.fulltext import clean_query, fill_snippets
from public_site.publications import sources

__all__ = ["clean_query", "run_search"]


def run_search(user, q: str, *, committee=None, limit: int = 50) -> list:
    """Search every registered source as `user`; returns `publications.SearchHit`s, best first."""
    q = clean_query(q)
    if not q:
        return []
    hits = []
    for source in sources():
        hits.extend(source.search(user=user, q=q, committee=committee, limit=limit))
    hits.sort(key=lambda h: -h.rank)
    page = hits[:limit]
    # Headlines only for the hits shown (PostgreSQL leaves them until now).
    fill_snippets([h.match for h in page if h.match is not None], q)
    return [replace(h, snippet=h.match.snippet) if h.match is not None else h for h in page]
