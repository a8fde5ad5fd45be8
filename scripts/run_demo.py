"""`make run`: migrate the local database, load the demo, then run the web server and a real
Celery worker with embedded beat until Ctrl-C, which stops all of them.

Each child runs in its own process group so that stopping it reaches every process it started
(the worker's pool processes and beat), and so the terminal's Ctrl-C reaches only this script,
which then stops the children in order. Environment: PORT (default 8000), VAR_DIR, REDIS_URL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Seconds a child gets to stop after SIGINT before it is killed: the worker first finishes the
# task in hand (a pack build takes seconds, more on a busy machine), so nothing is half done.
STOP_TIMEOUT = 60


def log(message: str) -> None:
    print(f"[run_demo] {message}", flush=True)


def var_dir() -> Path:
    return Path(os.environ.get("VAR_DIR", str(BASE_DIR / "var")))


def prepare_dirs() -> None:
    root = var_dir()
    # SQLite needs the folder of its file; the filesystem broker needs its queue folder.
    for sub in (
        "",
        "celery-broker",
        "celery-broker/processed",
        "celery-broker/control",
        "mail",
        "media",
        "private",
    ):
        (root / sub).mkdir(parents=True, exist_ok=True)


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, check=True)


def start(name: str, argv: list[str]) -> subprocess.Popen:
    proc = subprocess.Popen(argv, cwd=BASE_DIR, start_new_session=True)
    log(f"started {name} (pid {proc.pid}, process group {proc.pid})")
    return proc


def wait_for_port(host: str, port: int, proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def live_members(pgid: int) -> list[int]:
    """Processes of a group that are still running (not zombies waiting to be reaped)."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: ask the kernel whether the group exists at all
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    live = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            live.append(int(entry.name))
    return live


def stop(children: dict[str, subprocess.Popen]) -> None:
    """SIGINT each child's process group, wait for every process in it, SIGKILL what remains."""
    for proc in children.values():
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, proc in children.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop in {STOP_TIMEOUT}s: killing it")
        # The worker's pool and beat processes may finish just after the main process.
        while live_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = live_members(proc.pid)
        if left:
            log(f"{name}: killing processes {left} that did not stop in {STOP_TIMEOUT}s")
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
    log("stopped: web server, Celery worker and beat")


def print_logins(address: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from demo.committees import DEMO_LOGINS, DEMO_PASSWORD

    width = max(len(login.username) for login in DEMO_LOGINS)
    lines = [
        "",
        f"  ICP Secretariat demo is running at {address}",
        f"  Sign in at {address}/accounts/login/ with any login below; password: {DEMO_PASSWORD}",
        "",
        f"  {'username':<{width}}  {'persona':<20}  who",
        f"  {'-' * width}  {'-' * 20}  {'-' * 40}",
    ]
    lines += [f"  {x.username:<{width}}  {x.persona:<20}  {x.who}" for x in DEMO_LOGINS]
    lines += ["", "  Press Ctrl-C to stop the web server, the worker and beat.", ""]
    print("\n".join(lines), flush=True)


def set_site_url(host: str, port: int) -> str:
    """Links in the demo's emails and feeds point at this server (unless SITE_URL is set)."""
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    return os.environ["SITE_URL"]


def on_signal(signum, frame):
    """Ctrl-C, or SIGTERM from a process manager: unwind to the cleanup in main()."""
    raise KeyboardInterrupt


def main() -> int:
    host = "127.0.0.1"
    port = int(os.environ.get("PORT", "8000"))
    # Catch SIGINT and SIGTERM before anything starts. Installing a handler matters even for
    # SIGINT: a shell's background job inherits SIGINT ignored, and an ignored signal would stay
    # ignored in the children too, whereas a caught one is reset to the default at exec.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    set_site_url(host, port)
    # One person trying the demo: a document build starts 5 s after the last change (20 s in
    # production, where several people edit at once), so the pack they just changed, and the
    # demo's first documents, come sooner. DOCUMENT_BUILD_DELAY_SECONDS set outside wins.
    os.environ.setdefault("DOCUMENT_BUILD_DELAY_SECONDS", "5")
    prepare_dirs()
    log(f"database and files under {var_dir()}")
    manage("migrate", "--noinput", "-v", "1")
    manage("load_demo", "-v", "0")

    children: dict[str, subprocess.Popen] = {}
    interrupted = False
    try:
        # --noreload: one process per server, and no file-watching cost on a small machine.
        children["web"] = start(
            "web server", [PYTHON, "manage.py", "runserver", f"{host}:{port}", "--noreload"]
        )
        children["worker"] = start(
            "Celery worker with beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "icp_secretariat",
                "worker",
                "-B",
                "--loglevel=info",
                "--pool=solo",
                "--schedule",
                str(var_dir() / "celerybeat-schedule"),
            ],
        )
        if not wait_for_port(host, port, children["web"]):
            log("the web server did not start")
            return 1
        print_logins(f"http://{host}:{port}")
        while True:
            for name, proc in children.items():
                if proc.poll() is not None:
                    log(f"{name} exited with status {proc.returncode}; stopping the rest")
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        interrupted = True
        log("stopping (the worker first finishes the task in hand)...")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the cleanup
        stop(children)
    return 0 if interrupted else 1


if __name__ == "__main__":
    sys.exit(main())
