"""Scale benchmark: the demo grown 1x, 10x (and 100x if asked) on PostgreSQL, with baselines.

Loads the demo once into a template database, then for each factor copies it, runs
`manage.py grow_demo --factor N` and measures, in one process per factor:

- public search (`run_search`, the median and the fastest of 11, each run in turn with the
  baseline so both meet the same load on a shared machine): an unselective query ("health"), a
  common phrase ("care plan"), a selective one (a rare word the generator planted, whose hits
  grow with the data) and one with a fixed number of hits (the word the generator plants in the
  same 5 papers at every factor, so its cost shows whether a selective search grows), side by
  side with the GIN baseline (one bare ranked query on papers' stored vector) and with the old
  unindexed search (`to_tsvector` over every row, as before the stored vectors);
- the sitemap (index and every section), the decisions register, the secretariat meetings list
  and the public meetings calendar: time, size and queries.

    .venv/bin/python benchmarks/scale.py [--factors 1 10] [--keep] [--prefix scale]

Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432) and Redis (BENCH_REDIS,
default redis://127.0.0.1:6379/9). Databases: <prefix>_base, <prefix>_f<N> (the grown ones dropped
unless --keep; the prefix is "scale" unless --prefix says otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def sql(pg: str, statement: str) -> None:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def env_for(pg: str, db: str, redis: str) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=f"{pg}/{db}", REDIS_URL=redis, DEBUG="0", SECRET_KEY="bench" * 10)
    env.update(ALLOWED_HOSTS="testserver,localhost", SECURE_SSL_REDIRECT="0")
    # Production settings but for plain static file storage (no collectstatic needed).
    env["DJANGO_SETTINGS_MODULE"] = "icp_secretariat.test_settings"
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


MEASURE = r"""
import dataclasses, json, random, statistics, time
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from committees.models import Committee
from meetings.models import Meeting, Paper, AgendaItem, Decision
from public_site import search
from public_site.publications import sources
from icp_secretariat.lib.fulltext import SearchPlan
from demo.management.commands.grow_demo import FIXED_WORD, rare_words

setup_test_environment()
settings.ALLOWED_HOSTS = ["*"]
client = Client()
rare = rare_words(random.Random(2026), 2000)[0]
out = {"meetings": Meeting.objects.count(), "items": AgendaItem.objects.count(),
       "papers": Paper.objects.count(), "decisions": Decision.objects.count()}

def median_ms(fn, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)

def paired_ms(fn, baseline, n=11):
    # Median and fastest of fn and of baseline, run in turn so both meet the same load.
    a, b = [], []
    for _ in range(n):
        for times, f in ((a, fn), (b, baseline)):
            t = time.perf_counter(); f(); times.append((time.perf_counter() - t) * 1000)
    return [(round(statistics.median(x), 1), round(min(x), 1)) for x in (a, b)]

def gin_baseline(q):
    with connection.cursor() as c:
        c.execute("SELECT id, ts_rank(search_vector, websearch_to_tsquery('english', %s)) AS r "
                  "FROM meetings_paper WHERE search_vector @@ websearch_to_tsquery('english', %s) "
                  "ORDER BY r DESC LIMIT 50", [q, q])
        c.fetchall()

def page(url, user=None):
    # Uncached (the cache cleared before each request), in a warm process: the first request of
    # a process also pays for loading templates and URL patterns, so it is made and not counted;
    # the median of three follows.
    if user is not None:
        client.force_login(user)
    times = []
    for _ in range(4):
        cache.clear()
        with CaptureQueriesContext(connection) as cq:
            t = time.perf_counter(); r = client.get(url); times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    if user is not None:
        client.logout()
    return round(statistics.median(times[1:]), 1), len(r.content), len(cq.captured_queries)

public = AnonymousUser()
search.run_search(public, "warm up")
for label, q in (("unselective", "health"), ("phrase", "care plan"), ("selective", rare),
                 ("fixed_hits", FIXED_WORD)):
    row = {"q": q, "hits": len(search.run_search(public, q, limit=21))}
    (row["search_ms"], row["search_min_ms"]), (row["gin_baseline_ms"], row["gin_min_ms"]) = (
        paired_ms(lambda: search.run_search(public, q, limit=21), lambda: gin_baseline(q)))
    row["page_ms"] = median_ms(lambda: (cache.clear(), client.get("/search/", {"q": q})))
    unindexed = SearchPlan([dataclasses.replace(b, vector=None) for s in sources()
                            for b in s.search_branches(user=public)])
    row["old_unindexed_ms"] = median_ms(lambda: unindexed.run(q, limit=21), n=1)
    out[f"search_{label}"] = row

km = Committee.objects.filter(is_active=True).order_by("pk").first()
sitemap = [page("/sitemap.xml")]
import re
for loc in re.findall(r"<loc>[^<]*?(/sitemap-[^<]+)</loc>", client.get("/sitemap.xml").content.decode()):
    sitemap.append(page(loc))
out["sitemap"] = [round(sum(s[0] for s in sitemap), 1), sum(s[1] for s in sitemap),
                  sum(s[2] for s in sitemap), max(s[2] for s in sitemap)]
out["decisions_register"] = page(f"/committees/{km.slug}/decisions/")
staff = get_user_model().objects.filter(is_superuser=True).first()
out["secretariat_meetings"] = page(f"/dashboard/committees/{km.slug}/meetings/", staff)
out["agendas_list"] = page("/dashboard/agendas/", staff)
out["public_calendar"] = page(f"/committees/{km.slug}/meetings/")
print(json.dumps(out))
"""


def measure(env: dict) -> dict:
    done = subprocess.run([PY, "-c", MEASURE], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--keep", action="store_true", help="Keep the grown databases.")
    parser.add_argument(
        "--reuse-base", action="store_true", help="<prefix>_base is loaded already."
    )
    parser.add_argument("--prefix", default="scale", help="Database names: <prefix>_base, ...")
    args = parser.parse_args()
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    redis = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
    if not args.reuse_base:
        sql(pg, f'DROP DATABASE IF EXISTS "{args.prefix}_base" WITH (FORCE)')
        sql(pg, f'CREATE DATABASE "{args.prefix}_base"')
        base = env_for(pg, f"{args.prefix}_base", redis)
        manage(base, "migrate", "-v0")
        manage(base, "load_demo", "-v0")
    results = {}
    for factor in args.factors:
        db = f"{args.prefix}_f{factor}"
        sql(pg, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        sql(pg, f'CREATE DATABASE "{db}" TEMPLATE "{args.prefix}_base"')
        env = env_for(pg, db, redis)
        if factor > 1:
            manage(env, "grow_demo", "--factor", str(factor))
        with psycopg.connect(f"{pg}/{db}", autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        results[factor] = measure(env)
        if not args.keep:
            sql(pg, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        print(f"{factor}x: {json.dumps(results[factor])}", file=sys.stderr)
    report(results)


def report(results: dict) -> None:
    factors = list(results)
    head = "| what | " + " | ".join(f"{f}x" for f in factors) + " |"
    print(head)
    print("|---" * (len(factors) + 1) + "|")

    def row(label, fn):
        print(f"| {label} | " + " | ".join(fn(results[f]) for f in factors) + " |")

    row("data: meetings / items / papers / decisions",
        lambda r: f"{r['meetings']} / {r['items']} / {r['papers']} / {r['decisions']}")  # fmt: skip
    for label in ("unselective", "phrase", "selective", "fixed_hits"):
        key = f"search_{label}"
        row(f"search {label} ({results[factors[0]][key]['q']}): run_search ms",
            lambda r, k=key: f"{r[k]['search_ms']} ({r[k]['hits']} hits)")  # fmt: skip
        row(f"search {label}: GIN baseline ms", lambda r, k=key: f"{r[k]['gin_baseline_ms']}")
        row(f"search {label}: fastest of 11, run_search / GIN baseline ms",
            lambda r, k=key: f"{r[k]['search_min_ms']} / {r[k]['gin_min_ms']}")  # fmt: skip
        row(f"search {label}: whole page ms", lambda r, k=key: f"{r[k]['page_ms']}")
        row(f"search {label}: old unindexed ms", lambda r, k=key: f"{r[k]['old_unindexed_ms']}")
    row("sitemap (index + sections): ms, bytes, queries, max per section",
        lambda r: ", ".join(str(x) for x in r["sitemap"]))  # fmt: skip
    for key in ("decisions_register", "secretariat_meetings", "agendas_list", "public_calendar"):
        row(f"{key.replace('_', ' ')}: ms, bytes, queries",
            lambda r, k=key: ", ".join(str(x) for x in r[k]))  # fmt: skip


if __name__ == "__main__":
    main()
