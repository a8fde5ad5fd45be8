"""Search compiles its statements once per kind of reader (`public_site.search.search_plan`,
keyed by `meetings.access.list_rules_key`): readers with the same key get the same SQL and
parameters, and a kept plan still applies the access rules to the data as it is at each search
(they are in its SQL, not in what was kept)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from icp_secretariat.lib.fulltext import SearchPlan
from meetings import access
from public_site.publications import sources
from public_site.search import run_search, search_plan
from tests.conftest import make_user, need_postgres
from tests.meetings.test_access import EVERYONE, dispatch, paper_url


def _statements(user) -> tuple:
    """The ranked statement and every page statement, compiled from freshly built branches."""
    branches = [b for s in sources() for b in s.search_branches(user=user, committee=None)]
    plan = SearchPlan(branches)
    pages = ()
    if connection.vendor == "postgresql":  # headlines are PostgreSQL's
        pages = tuple(
            (plan._page_statement(i).sql, tuple(map(repr, plan._page_statement(i).params)))
            for i in range(len(branches))
        )
    sql, params = plan._ranked_statement()
    return sql, tuple(map(repr, params)), pages


def test_readers_with_the_same_key_get_the_same_statements(world):
    people = world["people"]
    dispatch(world["meeting"], people)
    readers = {who: people[who] or AnonymousUser() for who in [*EVERYONE, "other_member"]}
    readers["signed in, no person"] = make_user("nobody")
    # Secretariat is a user's, no person needed: two of them share a key.
    for name in ("sec_a", "sec_b"):
        readers[name] = make_user(name)
        world["meeting"].committee.secretariat.add(readers[name])
    groups: dict[tuple, dict[str, tuple]] = {}
    for who, user in readers.items():
        groups.setdefault(access.list_rules_key(user), {})[who] = _statements(user)
    for key, found in groups.items():
        assert len(set(found.values())) == 1, (key, sorted(found))
    # Different keys, different statements: the key holds nothing the SQL does not depend on.
    assert len({next(iter(found.values())) for found in groups.values()}) == len(groups)
    # The checks above compared something: the public and a signed-in reader with no role;
    # two secretaries of one committee (whose key must then tell them from the public).
    assert {"anonymous", "signed in, no person"} <= set(
        groups[access.list_rules_key(AnonymousUser())]
    )
    assert {"sec_a", "sec_b"} <= set(groups[access.list_rules_key(readers["sec_a"])])


def test_a_kept_plan_applies_the_rules_to_the_data_at_each_search(world):
    people = world["people"]
    public, nobody = AnonymousUser(), make_user("nobody")
    plan = search_plan(public)
    assert search_plan(nobody) is plan  # the same kind of reader: compiled once
    assert search_plan(people["member"]) is not plan

    def found(user):
        return {h.url for h in run_search(user, "minutes")} | {
            h.url for h in run_search(user, "valuation report")
        }

    part1, part2 = paper_url(world["pub_p1"]), paper_url(world["pub_p2"])
    assert part1 not in found(public)  # not dispatched yet
    dispatch(world["meeting"], people)
    assert search_plan(public) is plan
    after = found(public)
    assert part1 in after and part2 not in after  # Part 2 never, however the plan was kept
    assert part2 in found(people["member"])


def test_the_statements_are_prepared_once_a_connection_and_reused(world):
    need_postgres()
    dispatch(world["meeting"], world["people"])
    public = AnonymousUser()
    for q in ("minutes", "valuation report", "minutes"):
        run_search(public, q)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%UNION ALL%@@%"],
        )
        runs = [row[0] for row in cursor.fetchall()]
    assert runs == [3]  # one ranked statement, whatever the words, run three times
