"""An urgent meeting records the Leadership Team's agreement (issue 14, point 10).

K&M ToR 7.3: "When the Chair of the Joint Committee deems it necessary in light of the urgent
circumstances to call a meeting at short notice, the notice period shall be such as they shall
specify. Where possible this will be agreed by the Leadership Team." The record says who agreed
and when, or why it was not possible. M&SE's ToR has no urgent meetings and no Leadership Team:
its rule is off.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from committees.models import CommitteeRules
from meetings.errors import MeetingError
from meetings.models import Meeting
from meetings.scheduling.rules import leadership_agreement_missing, leadership_agreement_problem
from meetings.scheduling.services import (
    issue_notice,
    record_leadership_agreement,
    schedule_meeting,
)
from members.models import Person
from tests.conftest import PASSWORD

D = dt.date
LONDON = ZoneInfo("Europe/London")


# ---------------------------------------------------------------- the pure rule


def test_an_agreement_names_who_and_when_together():
    assert "both" in leadership_agreement_problem(agreed_by=2, agreed_on=None, not_possible="")
    assert "both" in leadership_agreement_problem(
        agreed_by=0, agreed_on=D(2026, 1, 5), not_possible=""
    )
    assert "not both" in leadership_agreement_problem(
        agreed_by=1, agreed_on=D(2026, 1, 5), not_possible="Unreachable"
    )
    assert (
        leadership_agreement_problem(agreed_by=3, agreed_on=D(2026, 1, 5), not_possible="") is None
    )
    assert leadership_agreement_problem(agreed_by=0, agreed_on=None, not_possible="Away") is None


def test_rule_on_an_urgent_meeting_needs_the_agreement_or_why_not():
    common = {"kind": "urgent", "agreed_by": 0, "agreed_on": None}
    assert leadership_agreement_missing(required=True, not_possible="", **common)
    assert not leadership_agreement_missing(required=True, not_possible="Leaders abroad", **common)
    assert not leadership_agreement_missing(
        required=True, kind="urgent", agreed_by=2, agreed_on=D(2026, 1, 5), not_possible=""
    )


def test_rule_off_or_an_ordinary_meeting_needs_nothing():
    assert not leadership_agreement_missing(
        required=False, kind="urgent", agreed_by=0, agreed_on=None, not_possible=""
    )
    assert not leadership_agreement_missing(
        required=True, kind="ordinary", agreed_by=0, agreed_on=None, not_possible=""
    )


# ---------------------------------------------------------------- services and pages


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2025, 12, 1, 10, tzinfo=LONDON), tick=False) as t:
        yield t


@pytest.fixture
def urgent(committee, people, clock):
    return schedule_meeting(
        committee=committee,
        date=D(2025, 12, 3),
        start_time=dt.time(9),
        venue="Hall",
        kind="urgent",
        urgent_reason="Winter pressures decision",
    )


def _person(user):
    return Person.objects.get(user=user)


@pytest.mark.django_db
def test_km_rule_notice_of_an_urgent_meeting_waits_for_the_record(urgent, people):
    assert urgent.committee.rules.urgent_meeting_needs_leadership_agreement  # K&M default
    with pytest.raises(MeetingError, match="Leadership Team's agreement"):
        issue_notice(meeting=urgent)
    leader = _person(people["leadership"])
    record_leadership_agreement(meeting=urgent, agreed_by=[leader], agreed_on=D(2025, 11, 30))
    urgent.refresh_from_db()
    assert list(urgent.leadership_agreed_by.all()) == [leader]
    assert urgent.leadership_agreed_on == D(2025, 11, 30)
    issue_notice(meeting=urgent)


@pytest.mark.django_db
def test_rule_off_notice_of_an_urgent_meeting_goes_without_it(committee, urgent, people):
    CommitteeRules.objects.filter(committee=committee).update(
        urgent_meeting_needs_leadership_agreement=False
    )
    urgent.committee.rules.refresh_from_db()
    issue_notice(meeting=urgent)


@pytest.mark.django_db
def test_only_members_of_the_leadership_team_and_only_for_an_urgent_meeting(
    committee, urgent, people, clock
):
    member = _person(people["member"])
    with pytest.raises(MeetingError, match="not on the Leadership Team"):
        record_leadership_agreement(meeting=urgent, agreed_by=[member], agreed_on=D(2025, 11, 30))
    leader = _person(people["leadership"])
    with pytest.raises(MeetingError, match="future"):
        record_leadership_agreement(meeting=urgent, agreed_by=[leader], agreed_on=D(2025, 12, 2))
    with pytest.raises(MeetingError, match="both"):
        record_leadership_agreement(meeting=urgent, agreed_by=[leader], agreed_on=None)
    ordinary = Meeting.objects.create(
        committee=committee, date=D(2026, 2, 3), start_time=dt.time(9), venue="Hall"
    )
    with pytest.raises(MeetingError, match="Only an urgent meeting"):
        record_leadership_agreement(
            meeting=ordinary, agreed_by=[], agreed_on=None, not_possible="x"
        )


@pytest.mark.django_db
def test_the_secretariat_screen_offers_it_and_the_meeting_page_shows_it(
    client, committee, urgent, people
):
    committee.rules.references = {"urgent_meeting": "7.3"}
    committee.rules.save()
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(urgent.get_secretariat_url()).text
    assert "Record the Leadership Team" in page and "Not recorded" in page
    assert page.count("csrfmiddlewaretoken") == page.count("<form")
    url = f"{urgent.get_secretariat_url()}leadership-agreement/"
    bad = client.post(url, {"agreed_on": "not a date"})
    assert bad.status_code == 200 and "Enter a real date as day, month and year" in bad.text
    leader = _person(people["leadership"])
    resp = client.post(url, {"agreed_by": [leader.pk], "agreed_on": "2025-11-30"})
    assert resp.status_code == 302
    page = client.get(urgent.get_secretariat_url()).text
    assert f"Agreed by {leader.full_name} on 30 November 2025" in page
    # The meeting page members and the public read shows it too, citing the committee's ToR.
    public = client.get(urgent.get_absolute_url()).text
    assert "Leadership Team's agreement (ToR 7.3)" in public
    assert f"Agreed by {leader.full_name} on 30 November 2025" in public
    # Or why it was not possible.
    client.post(url, {"not_possible": "The Leader of Medway Council was abroad."})
    public = client.get(urgent.get_absolute_url()).text
    assert "Not possible: The Leader of Medway Council was abroad." in public
