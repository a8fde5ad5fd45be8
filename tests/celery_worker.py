"""A real Celery worker on Redis inside a test (the documents and paper-processing tests).

`use_redis_broker(redis_url)` points the app at this test process's Redis database and empties
its queue; `worker(django_db_blocker)` runs a solo worker in this process for the block;
`wait_until(condition)` polls until the condition holds (generous: a loaded two-core machine
can take a minute to convert or render, and the wait ends as soon as it holds).
"""

from __future__ import annotations

import contextlib
import time

from celery.contrib.testing.worker import start_worker

from icp_secretariat.celery import app


def use_redis_broker(redis_url: str):
    if app.conf.broker_url != redis_url:
        app.conf.broker_url = redis_url
        app.pool.force_close_all()
    app.conf.task_always_eager = False
    app.control.purge()
    return app


@contextlib.contextmanager
def worker(django_db_blocker, *, shutdown_timeout: float = 60):
    with (
        django_db_blocker.unblock(),
        start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=shutdown_timeout,
        ),
    ):
        yield


def wait_until(condition, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")
