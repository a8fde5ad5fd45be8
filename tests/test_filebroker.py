"""The demo's embedded broker (icp_secretariat.lib.filebroker) under a worker that takes
messages while they are being written: no message is read part-written, none is lost.

kombu's own filesystem transport created each message file under its final name and then
wrote it; a worker that took the file in between read it empty and died (JSONDecodeError):
seen in the demo as `make run` shutting down with the machine busy. Large messages widen the
window, so the stock transport fails this test at once."""

from __future__ import annotations

import threading
from queue import Empty

from kombu import Connection

from icp_secretariat.lib import filebroker

MESSAGES = 120
BODY = "x" * 2_000_000  # 2 MB: long enough to write that the worker looks mid-write


def _options(folder) -> dict:
    for sub in ("processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def test_a_worker_taking_messages_while_they_are_written_reads_each_whole(tmp_path):
    options = _options(tmp_path)
    writer = Connection(transport=filebroker.Transport, transport_options=options).channel()
    reader = Connection(transport=filebroker.Transport, transport_options=options).channel()
    got: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def take() -> None:
        while len(got) < MESSAGES:
            try:
                got.append(reader._get("celery")["n"])
            except Empty:
                if done.is_set() and not any(tmp_path.glob("*.celery.msg")):
                    return
            except BaseException as exc:  # a part-written message: what broke the demo
                errors.append(exc)
                return

    worker = threading.Thread(target=take)
    worker.start()
    for n in range(MESSAGES):
        writer._put("celery", {"n": n, "body": BODY})
    done.set()
    worker.join(timeout=120)
    assert not worker.is_alive()
    assert errors == []
    assert sorted(got) == list(range(MESSAGES))
    assert not list(tmp_path.glob(".*.part"))  # nothing left half-written


def test_the_demo_broker_url_uses_it():
    from django.conf import settings

    from icp_secretariat.celery import app

    if settings.CELERY_BROKER_URL.startswith("icpfile://"):
        transport = app.connection_for_write().transport
        assert isinstance(transport, filebroker.Transport)
    else:  # Redis given: the embedded broker is not in use
        assert settings.CELERY_BROKER_URL.startswith("redis")
