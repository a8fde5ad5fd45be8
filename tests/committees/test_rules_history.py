"""The rules keep their history (issue 14, point 13). K&M ToR 14.1: "The terms of reference ...
shall be reviewed by the parties annually"; M&SE, Review: "The terms of reference and the
membership of the ICP will be reviewed at least annually". So the rules change, and the product
shows the rules in force on any past date and the ToR version each meeting was held under.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from committees.models import CommitteeRules
from committees.selectors import rules_on, tor_version_on
from committees.tor_history import RulesRecord, version_in_force
from meetings.models import Meeting
from tests.committees.test_secretariat_views import _rules_post

D = dt.date
LONDON = ZoneInfo("Europe/London")


# ---------------------------------------------------------------- the pure rule


def test_the_version_recorded_by_the_day_and_already_in_force():
    v1 = RulesRecord(D(2022, 7, 1), "v1", D(2022, 5, 11))
    v2_early = RulesRecord(D(2023, 6, 1), "v2", D(2023, 9, 1))  # entered before it took effect
    assert version_in_force([v1, v2_early], D(2023, 7, 1)) == v1
    assert version_in_force([v1, v2_early], D(2023, 9, 1)) == v2_early
    assert version_in_force([v1], D(2022, 6, 30)) == v1  # recorded later, in force by then


def test_rules_recorded_after_the_meeting_give_the_version_in_force_then_or_none():
    later = RulesRecord(D(2026, 1, 1), "Draft v1", D(2022, 5, 11))
    assert version_in_force([later], D(2023, 3, 1)) == later
    assert version_in_force([later], D(2022, 5, 10)) is None
    assert version_in_force([RulesRecord(D(2026, 1, 1), "", None)], D(2023, 3, 1)) is None


def test_the_version_reads_with_its_date():
    assert RulesRecord(D(2026, 1, 1), "Draft v1", D(2022, 5, 11)).text == (
        "Draft v1, in force from 11 May 2022"
    )


# ---------------------------------------------------------------- from the rules' history


@pytest.fixture
def reviewed(db, committee):
    """Rules recorded on 1 Jan 2024 (ToR v1), reviewed on 1 Jun 2025 (v2: seven days' notice)."""
    rules = committee.rules
    with time_machine.travel(dt.datetime(2024, 1, 1, 12, tzinfo=LONDON), tick=False):
        rules.tor_version, rules.tor_version_from = "Version 1", D(2023, 12, 1)
        rules.save()
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=LONDON), tick=False):
        rules.notice_days = 7
        rules.tor_version, rules.tor_version_from = "Version 2", D(2025, 6, 1)
        rules.save()
    return committee


def test_rules_on_a_past_date_are_the_rules_then(reviewed):
    assert rules_on(reviewed, D(2024, 12, 31)).notice_days == 5
    assert rules_on(reviewed, D(2025, 6, 1)).notice_days == 7
    assert rules_on(reviewed, D(2025, 6, 1)).instance.cite("notice") == "the Terms of Reference"
    assert tor_version_on(reviewed, D(2024, 12, 31)).version == "Version 1"
    assert tor_version_on(reviewed, D(2025, 7, 1)).version == "Version 2"


def test_the_rules_on_screen_shows_then_and_now(client, personas, reviewed):
    client.force_login(personas["secretariat"])
    url = reverse("secretariat:rules_on", args=[reviewed.slug])
    page = client.get(url, {"date": "2024-12-31"}).text
    assert "Version 1, in force from 1 December 2023" in page
    assert "<strong>7</strong> (changed)" in page
    bad = client.get(url, {"date": "31/31/2024"})
    assert bad.status_code == 200 and "Enter a real date" in bad.text
    assert "No rules" in client.get(url, {"date": "1999-01-01"}).text
    client.force_login(personas["member"])
    assert client.get(url, {"date": "2024-12-31"}).status_code == 404


def test_meeting_pages_show_the_version_held_under(client, personas, reviewed):
    meeting = Meeting.objects.create(
        committee=reviewed, date=D(2025, 3, 4), start_time=dt.time(14), venue="Hall"
    )
    page = client.get(meeting.get_absolute_url()).text
    assert "Terms of Reference: Version 1, in force from 1 December 2023" in page
    client.force_login(personas["secretariat"])
    page = client.get(meeting.get_secretariat_url()).text
    assert "Terms of Reference: Version 1, in force from 1 December 2023" in page


def test_the_rules_screen_edits_the_new_rules(client, personas, committee):
    client.force_login(personas["secretariat"])
    rules = committee.rules
    response = client.post(
        reverse("secretariat:rules_edit", args=[committee.slug]),
        _rules_post(
            rules,
            agenda_agreed_by="chair_vice_chairs",
            notice_applies_to="extraordinary",
            urgent_meeting_needs_leadership_agreement="",
            tor_version="Draft v1",
            tor_version_from="2022-05-11",
        ),
    )
    assert response.status_code == 302
    rules = CommitteeRules.objects.get(pk=rules.pk)
    assert (rules.agenda_agreed_by, rules.notice_applies_to) == (
        "chair_vice_chairs",
        "extraordinary",
    )
    assert not rules.urgent_meeting_needs_leadership_agreement
    assert (rules.tor_version, rules.tor_version_from) == ("Draft v1", D(2022, 5, 11))
