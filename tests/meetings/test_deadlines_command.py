"""The `deadlines` management command."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from committees.models import ClosureDay


def run(*args) -> str:
    out = StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_gives_iso_dates_for_every_deadline(committee):
    data = json.loads(run("test-jc", "2026-01-06", "--json"))
    assert data == {
        "notice": "2025-12-24",
        "papers": "2025-12-24",
        "item_request": "2025-12-03",
        "urgent_item_request": "2025-12-17",
        "author_papers": "2025-12-17",
        "minutes_circulation": "2026-01-20",
    }


@pytest.mark.django_db
def test_closure_days_move_the_deadlines(committee):
    ClosureDay.objects.create(date="2025-12-24", description="Christmas Eve closure")
    assert json.loads(run("test-jc", "2026-01-06", "--json"))["notice"] == "2025-12-23"


@pytest.mark.django_db
def test_plain_output_is_readable(committee):
    out = run("test-jc", "2026-01-06")
    assert "Tuesday 6 January 2026" in out
    assert "Notice of the meeting (the Terms of Reference): Wed 24 Dec 2025" in out
    # Each deadline cites the committee's own ToR: a numbered paragraph, or a heading.
    committee.rules.references = {"notice": "10.2", "papers": "Conduct & Operation"}
    committee.rules.save()
    out = run("test-jc", "2026-01-06")
    assert "Notice of the meeting (ToR 10.2): Wed 24 Dec 2025" in out
    assert "Agenda and papers sent and published (ToR, Conduct & Operation):" in out


@pytest.mark.django_db
def test_unknown_slug_and_bad_date_are_clear_errors(committee):
    with pytest.raises(CommandError, match="No committee with the slug 'nope'") as error:
        run("nope", "2026-01-06")
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="YYYY-MM-DD") as error:
        run("test-jc", "6/1/2026")
    assert error.value.returncode == 2


def test_the_command_exits_with_status_2_on_a_bad_date():
    # A bad date is refused before the database is touched, so no test database is needed.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "icp_secretariat.test_settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "deadlines", "test-jc", "2026-13-45"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
