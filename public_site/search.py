"""Search across what has been published. What is searched comes from the sources in
`public_site.publications`, each of which starts from an access-helper queryset, so a result is
only ever something `meetings.access` lets the requester see; the ranking mechanics are
`icp_secretariat.lib.fulltext`.

The sources' querysets are the same for every reader with the same `access.list_rules_key` (the
access rules' parameters are the reader's committees and person, not the data), so they are
built and compiled once a key and committee: a `fulltext.SearchPlan`, kept in a small cache
of this process. The rules stay in the statements' SQL, applied by the database on every search.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db import connection

from icp_secretariat.lib.fulltext import SearchPlan, clean_query
from meetings import access
from public_site.publications import sources

__all__ = ["MAX_PAGES", "PAGE_SIZE", "clean_query", "run_search"]


PAGE_SIZE = 20
MAX_PAGES = 10  # deeper than anyone reads; keeps every search bounded
PLANS_KEPT = 256  # kinds of reader (and committee filter) whose compiled search is kept

_plans: OrderedDict[tuple, SearchPlan] = OrderedDict()
_lock = threading.Lock()


def search_plan(user, committee=None) -> SearchPlan:
    """The compiled search of every registered source as `user` (one per kind of reader)."""
    key = (connection.vendor, access.list_rules_key(user), getattr(committee, "pk", None))
    with _lock:
        plan = _plans.get(key)
        if plan is not None:
            _plans.move_to_end(key)
            return plan
    branches = [
        branch
        for source in sources()
        for branch in source.search_branches(user=user, committee=committee)
    ]
    plan = SearchPlan(branches)
    with _lock:
        _plans[key] = plan
        while len(_plans) > PLANS_KEPT:
            _plans.popitem(last=False)
    return plan


def run_search(user, q: str, *, committee=None, limit: int = 50, offset: int = 0) -> list:
    """Search every registered source as `user`; returns `publications.SearchHit`s, best first:
    the `limit` hits after the first `offset`. On PostgreSQL one ranked statement covers every
    source (each under its own access filter), and only the hits returned are headlined."""
    q = clean_query(q)
    if not q:
        return []
    return search_plan(user, committee).run(q, limit=limit, offset=offset)
