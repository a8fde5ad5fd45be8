"""Load test of the public site: gunicorn with the production settings on PostgreSQL and Redis.

Creates a throwaway database (`icp_bench` by default; dropped and made again), loads the demo,
collects static files, starts gunicorn with DEBUG=0, and drives each page with `wrk` (50
connections, 30 seconds each): a trivial view (/healthz, the ceiling), the meeting page, the
meetings calendar page, the committee's iCalendar feed and a search. Prints requests per second,
p50 and p99 latency and errors per target.

Before and after in one run: the trivial view and the meeting page are measured first with
`PUBLIC_EARLY_CACHE=0` (every cached page answered by the view's decorator, after sessions,
authentication and the rest of the middleware), then every target with the early middleware on.

    .venv/bin/python benchmarks/public_load.py [--seconds 30] [--connections 50] [--workers 4]

Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432), Redis (BENCH_REDIS,
default redis://127.0.0.1:6379/9) and wrk (`apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BEFORE_TARGETS = ("trivial view (/healthz)", "meeting page")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(pg: str, name: str) -> None:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def wait_for(url: str, timeout: float = 180) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def _ms(value: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if m is None:
        raise ValueError(f"unreadable latency {value!r}")
    number, unit = float(m.group(1)), m.group(2)
    return number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def run_wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Latency Distribution" not in out:
        raise SystemExit(f"wrk gave no latency figures for {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    dist = out.split("Latency Distribution", 1)[1]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", dist, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", dist, re.M).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "total": total}


def _parse_args() -> argparse.Namespace:
    """The command line: how long, how hard, and on which database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", default="icp_bench")
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="keep a database an earlier run prepared (skip migrate and load_demo)",
    )
    return parser.parse_args()


def _bench_env(pg: str, database: str, redis_url: str, port: int, var: Path) -> dict:
    """The environment of manage.py and gunicorn: production settings on the bench database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icp_secretariat.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{pg}/{database}",
        "REDIS_URL": redis_url,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "VAR_DIR": str(var),
    }


def _prepare(env: dict, pg: str, database: str, redis_url: str, reuse: bool = False) -> None:
    """A fresh database with the demo loaded, static files collected and an empty cache."""
    if not reuse:
        print(f"Preparing database {database} (demo data)...", flush=True)
        recreate_database(pg, database)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput")
    redis.Redis.from_url(redis_url).flushdb()


def _targets(env: dict) -> dict[str, str]:
    """The pages to load, by name; the meeting page is picked from the demo data."""
    code = (
        "from meetings.models import Meeting;"
        "m=Meeting.objects.filter(committee__slug='kent-medway-icp',is_public=True,"
        "agenda__state='dispatched').order_by('-date').first();print(m.get_absolute_url())"
    )
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    meeting_path = next(line for line in out.splitlines() if line.startswith("/"))
    return {
        "trivial view (/healthz)": "/healthz",
        "meeting page": meeting_path,
        "meetings calendar page": "/committees/kent-medway-icp/meetings/",
        "calendar feed (.ics)": "/committees/kent-medway-icp/meetings.ics",
        "search": "/search/?q=workforce+strategy",
    }


def _start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    """gunicorn serving the site on `port`, in a session of its own so it can be stopped whole."""
    return subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "icp_secretariat.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _measure(base: str, targets: dict[str, str], args: argparse.Namespace, label: str) -> float:
    """Warm the cache, drive each target with wrk and print the table of results; return the
    meeting page's share of the trivial view's throughput."""
    for path in targets.values():  # warm: the first anonymous GETs fill the cache
        for _ in range(2 * args.workers):  # each worker learns the page's early cache entry
            urllib.request.urlopen(base + path, timeout=30).read()
    print(
        f"\n{label}: {args.connections} connections, {args.seconds} s each, gunicorn "
        f"{args.workers} sync workers, DEBUG=0, PostgreSQL + Redis cache\n"
    )
    print(f"{'target':<26} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'total':>8}")
    results = {}
    for name, path in targets.items():
        r = run_wrk(base + path, args.seconds, args.connections)
        results[name] = r
        print(
            f"{name:<26} {r['rps']:>9.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
            f"{r['errors']:>7} {r['total']:>8}",
            flush=True,
        )
    ceiling = results["trivial view (/healthz)"]["rps"]
    meeting = results["meeting page"]["rps"]
    print(f"\nMeeting page at {meeting / ceiling:.0%} of the trivial view's throughput.")
    return meeting / ceiling


def main() -> None:
    args = _parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    redis_url = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
    port = free_port()
    var = Path(tempfile.mkdtemp(prefix="icp-bench-"))
    env = _bench_env(pg, args.database, redis_url, port, var)
    _prepare(env, pg, args.database, redis_url, args.reuse_database)
    targets = _targets(env)
    base = f"http://127.0.0.1:{port}"
    before_targets = {k: v for k, v in targets.items() if k in BEFORE_TARGETS}
    shares = {}
    try:
        for label, early, chosen in (
            ("before (PUBLIC_EARLY_CACHE=0)", "0", before_targets),
            ("after (early middleware)", "1", targets),
        ):
            server = _start_gunicorn({**env, "PUBLIC_EARLY_CACHE": early}, port, args.workers)
            try:
                wait_for(base + "/healthz")
                shares[label] = _measure(base, chosen, args, label)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=120)
    finally:
        shutil.rmtree(var, ignore_errors=True)
    print("\nMeeting page / trivial view: " + "; ".join(f"{k} {v:.0%}" for k, v in shares.items()))


if __name__ == "__main__":
    main()
