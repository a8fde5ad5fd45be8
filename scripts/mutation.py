"""Mutation testing (`make mutation`): mutmut over the rule modules, each with only its tests.

Each module is run in its own copy of the project under `var/mutation/<name>/` (mutmut works on
a copy in `mutants/` and reads its configuration from the current folder), with the tests that
cover it, so one module takes minutes rather than hours. Prints killed/total per module.

    .venv/bin/python scripts/mutation.py                 # every module below
    .venv/bin/python scripts/mutation.py public_cache    # one or more by name

Needs the same services as the tests (DATABASE_URL, REDIS_URL; TEST_DB_NAME to keep clear of
other test runs). Mutants run one at a time (`--max-children 1`): the tests share one database.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"
PACKAGES = [
    "icp_secretariat",
    "committees",
    "communications",
    "members",
    "meetings",
    "documents",
    "public_site",
    "portal",
    "demo",
]
ALSO = ["templates", "static", "manage.py", "tests", "benchmarks", "scripts"]

# name: (module file, the tests that cover it[, only the mutants whose names match these globs])
MODULES: dict[str, tuple] = {
    "workdays": (
        "icp_secretariat/lib/workdays.py",
        [
            "tests/committees/test_workdays_examples.py",
            "tests/committees/test_workdays_properties.py",
            "tests/committees/test_workdays_helpers.py",
        ],
    ),
    "quorum": (
        "committees/quorum.py",
        [
            "tests/committees/test_quorum.py",
            "tests/committees/test_quorum_options.py",
            "tests/committees/test_quorum_details.py",
        ],
    ),
    "rotation": (
        "committees/rotation.py",
        ["tests/committees/test_rotation.py", "tests/committees/test_rotation_edges.py"],
    ),
    # The helpers called directly for every persona, on a world restored from its snapshot
    # (seconds); tests/meetings/test_access.py checks the same through the pages, one persona
    # per test (minutes per mutant), and is left to the suite.
    "access": (
        "meetings/access.py",
        ["tests/meetings/test_access_rules.py", "tests/meetings/test_access_invitations.py"],
    ),
    "public_cache": (
        "icp_secretariat/lib/public_cache.py",
        [
            "tests/lib/test_public_cache.py",
            "tests/lib/test_public_statement_timeout.py",
            "tests/meetings/test_public_cache_early.py",
        ],
    ),
    # The publication rules only: drafting the text (build_sections) is covered by the minutes
    # wording tests, whose world is too slow to build once per mutant.
    "minutes": (
        "meetings/minutes/services.py",
        [
            "tests/meetings/test_minutes_publication.py",
            "tests/meetings/test_minutes_to_partners.py",
        ],
        [
            f"meetings.minutes.services.x_{name}__mutmut_*"
            for name in (
                "circulate_minutes",
                "approve_minutes",
                "publish_minutes",
                "update_minutes",
                "correct_minutes",
            )
        ],
    ),
    "outbox": (
        "communications/services.py",
        [
            "tests/communications/test_outbox.py",
            "tests/communications/test_outbox_batch.py",
            "tests/communications/test_outbox_retry.py",
            "tests/communications/test_outbox_rules.py",
            "tests/communications/test_outbox_pipeline.py",
            # The one test of that module that kills no worker: a mark the database refuses.
            "tests/communications/test_outbox_batch_crash.py::"
            "test_a_mark_the_database_refuses_stops_the_batch_before_the_next_message",
        ],
    ),
}


def _pyproject(module: str, tests: list[str]) -> str:
    text = (ROOT / "pyproject.toml").read_text()
    start = text.index("[tool.pytest.ini_options]")
    end = text.index("[tool.ruff]")
    pytest_section = text[start:end]
    listed = lambda items: "[" + ", ".join(json.dumps(i) for i in items) + "]"  # noqa: E731
    return (
        pytest_section
        + "[tool.mutmut]\n"
        + f"source_paths = {listed(PACKAGES)}\n"
        + f"only_mutate = {listed([module])}\n"
        + f"also_copy = {listed(ALSO)}\n"
        + f"pytest_add_cli_args_test_selection = {listed(tests)}\n"
        + 'pytest_add_cli_args = ["-p", "no:cacheprovider", "--reuse-db", "-q"]\n'
        + "use_git_change_detection = false\n"
        + "track_dependencies = false\n"
    )


def _prepare(name: str) -> Path:
    module, tests = MODULES[name][:2]
    here = WORK / name
    if here.exists():
        shutil.rmtree(here)
    here.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for entry in PACKAGES + ALSO:
        src = ROOT / entry
        if src.is_dir():
            shutil.copytree(src, here / entry, ignore=ignore)
        elif src.exists():
            shutil.copy2(src, here / entry)
    (here / "pyproject.toml").write_text(_pyproject(module, tests))
    _undecorate(here / module)
    return here


def _undecorate(path: Path) -> None:
    """mutmut leaves decorated functions alone: in the copy, `@transaction.atomic def f` becomes
    `def f` with `f = transaction.atomic(f)` at the end of the module (the same function)."""
    text = path.read_text()
    names = re.findall(r"^@transaction\.atomic\n(?:async )?def (\w+)", text, re.M)
    if names:
        text = re.sub(r"^@transaction\.atomic\n", "", text, flags=re.M)
        text += "\n\n" + "".join(f"{n} = transaction.atomic({n})\n" for n in names)
        path.write_text(text)


def _score(here: Path, names: list[str]) -> dict[str, int]:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/mutmut"), "results", "--all", "true"],
        cwd=here,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    counts: dict[str, int] = {}
    for line in out.splitlines():
        mutant = line.strip().split(":")[0]
        if ":" in line and mutant.count(".") >= 1:
            if names and not any(fnmatch.fnmatch(mutant, n) for n in names):
                continue
            status = line.rsplit(":", 1)[1].strip()
            counts[status] = counts.get(status, 0) + 1
    (here / "results.txt").write_text(out)
    return counts


def run(name: str) -> dict[str, int]:
    here = _prepare(name)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="icp_secretariat.test_settings")
    names = MODULES[name][2] if len(MODULES[name]) > 2 else []
    subprocess.run(
        [str(ROOT / ".venv/bin/mutmut"), "run", "--max-children", "1", *names], cwd=here, env=env
    )
    return _score(here, names)


def main(argv: list[str]) -> int:
    names = argv or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        print(f"unknown module(s): {', '.join(unknown)}; choose from {', '.join(MODULES)}")
        return 2
    summary = {}
    for name in names:
        counts = run(name)
        total = sum(counts.values())
        killed = counts.get("killed", 0) + counts.get("timeout", 0)
        summary[name] = (killed, total, counts)
        print(f"== {name}: {killed}/{total} killed ({counts})", flush=True)
    print("\nModule            killed / total")
    for name, (killed, total, _counts) in summary.items():
        pct = f"{100 * killed / total:.0f}%" if total else "-"
        print(f"{name:<17} {killed:>6} / {total:<5} {pct}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
