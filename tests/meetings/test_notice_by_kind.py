"""Which meetings the notice period applies to (issue 14, point 9), from each ToR's words.

K&M ToR 10.2.1: notice of "any Joint Committee meeting" gives a date "at least five (5) clear
working days after the date of the notice, except where a meeting to discuss an urgent issue is
required". M&SE, Conduct & Operation: "The ICP will meet formally bi-monthly ... A schedule of
meetings will be published by the secretariat ... A minimum of five working days' notice will
be given when calling an extraordinary meeting": ordinary meetings follow the published
schedule, and the five days are working days, not clear ones.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from committees.models import CommitteeRules, CountingBasis
from communications.models import OutboxMessage
from icp_secretariat.lib.workdays import CLEAR, PLAIN, WorkingCalendar
from meetings.errors import MeetingError
from meetings.models import Meeting
from meetings.scheduling import deadlines as dl
from meetings.scheduling.selectors import deadlines_of
from meetings.scheduling.services import issue_notice, schedule_meeting

D = dt.date
CAL = WorkingCalendar("ENG")
Applies = CommitteeRules.NoticeAppliesTo


# ---------------------------------------------------------------- the pure rule, each value


@pytest.mark.parametrize("kind", ["ordinary", "extraordinary", "urgent"])
def test_km_rule_the_notice_period_covers_every_meeting(kind):
    # An urgent meeting is measured against it too; given late it is short notice (ToR 7.3).
    assert dl.notice_applies(Applies.ALL_BUT_URGENT, kind)


@pytest.mark.parametrize(
    ("kind", "applies"), [("ordinary", False), ("extraordinary", True), ("urgent", False)]
)
def test_mse_rule_the_notice_period_covers_extraordinary_meetings_only(kind, applies):
    assert dl.notice_applies(Applies.EXTRAORDINARY, kind) is applies


def test_an_unknown_notice_rule_is_refused():
    with pytest.raises(ValueError):
        dl.notice_applies("sometimes", "ordinary")


def test_an_ordinary_meeting_outside_the_rule_never_misses_its_notice():
    rules = SimpleNamespace(
        notice_days=5,
        notice_counting=PLAIN,
        papers_days=4,
        papers_counting=PLAIN,
        item_request_days=20,
        item_request_counting=CLEAR,
        urgent_item_request_days=10,
        urgent_item_request_counting=CLEAR,
        author_papers_days=10,
        minutes_circulation_days=10,
    )
    result = {
        d.key: d
        for d in dl.compute_deadlines(
            meeting_date=D(2026, 3, 9),
            rules=rules,
            calendar=CAL,
            facts={},
            today=D(2026, 3, 8),
            notice_required=False,
        )
    }
    assert result["notice"].state == dl.NOT_REQUIRED
    # The papers rule (four working days) still applies to an ordinary meeting.
    assert result["papers"].state == dl.MISSED and result["papers"].due == D(2026, 3, 3)


def test_mse_five_working_days_are_plain_not_clear():
    """For a meeting on Monday 9 March 2026, five working days' notice is due by Monday
    2 March; five clear working days (K&M) would be due by Friday 27 February."""
    assert CAL.deadline_before(D(2026, 3, 9), 5, PLAIN) == D(2026, 3, 2)
    assert CAL.deadline_before(D(2026, 3, 9), 5, CLEAR) == D(2026, 2, 27)


# ---------------------------------------------------------------- the services, each value


@pytest.fixture
def mse_rules(committee):
    CommitteeRules.objects.filter(committee=committee).update(
        notice_applies_to=Applies.EXTRAORDINARY,
        notice_counting=CountingBasis.PLAIN,
        papers_days=4,
        papers_counting=CountingBasis.PLAIN,
        urgent_meeting_needs_leadership_agreement=False,
        references={"notice": "Conduct & Operation"},
    )
    committee.rules.refresh_from_db()
    return committee


def _schedule(committee, day, kind):
    return schedule_meeting(
        committee=committee, date=day, start_time=dt.time(10), venue="Hall", kind=kind
    )


@pytest.mark.django_db
def test_mse_ordinary_meeting_follows_the_schedule_without_the_notice_period(mse_rules, personas):
    with time_machine.travel(dt.datetime(2026, 3, 4, 9), tick=False):
        meeting = _schedule(mse_rules, D(2026, 3, 9), Meeting.Kind.ORDINARY)
        assert deadlines_of(meeting)[0].state == dl.NOT_REQUIRED
        issue_notice(meeting=meeting)  # late for five days' notice, but none is required


@pytest.mark.django_db
def test_mse_extraordinary_meeting_needs_five_working_days_notice(mse_rules, personas):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9), tick=False):
        with pytest.raises(MeetingError, match=r"Monday 2 March 2026 \(5 working days, ToR, ") as e:
            _schedule(mse_rules, D(2026, 3, 9), Meeting.Kind.EXTRAORDINARY)
        # M&SE's ToR has no urgent meeting at shorter notice, so none is suggested.
        assert "urgent" not in str(e.value)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9), tick=False):
        # On the day that leaves five working days: allowed (a clear-day rule would refuse).
        meeting = _schedule(mse_rules, D(2026, 3, 9), Meeting.Kind.EXTRAORDINARY)
        assert deadlines_of(meeting)[0].state == dl.UPCOMING
        issue_notice(meeting=meeting)
    meeting.refresh_from_db()
    assert deadlines_of(meeting, today=D(2026, 3, 9))[0].state == dl.MET


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [Meeting.Kind.ORDINARY, Meeting.Kind.EXTRAORDINARY])
def test_km_every_meeting_but_an_urgent_one_needs_five_clear_working_days(
    committee, personas, kind
):
    assert committee.rules.notice_applies_to == Applies.ALL_BUT_URGENT  # the K&M default
    with time_machine.travel(dt.datetime(2026, 3, 2, 9), tick=False):
        with pytest.raises(MeetingError, match="Friday 27 February 2026") as e:
            _schedule(committee, D(2026, 3, 9), kind)
        assert "make it an urgent meeting" in str(e.value)


@pytest.mark.django_db
def test_the_secretariat_page_says_notice_is_not_required(client, mse_rules, personas):
    from tests.conftest import PASSWORD

    with time_machine.travel(dt.datetime(2026, 3, 4, 9), tick=False):
        meeting = _schedule(mse_rules, D(2026, 3, 9), Meeting.Kind.ORDINARY)
        client.login(username="secretariat", password=PASSWORD)
        page = client.get(meeting.get_secretariat_url()).text
    assert "Not required" in page and "does not apply to this kind of meeting" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "warned"),
    [(Meeting.Kind.ORDINARY, {"papers"}), (Meeting.Kind.EXTRAORDINARY, {"notice", "papers"})],
)
def test_mse_secretariat_is_warned_of_notice_only_for_an_extraordinary_meeting(
    mse_rules, personas, kind, warned
):
    from meetings import reminders

    with time_machine.travel(dt.datetime(2026, 2, 2, 9), tick=False):
        _schedule(mse_rules, D(2026, 3, 9), kind)
    # Notice due Mon 2 March, papers Tue 3 March: both within two working days on 27 February.
    with time_machine.travel(dt.datetime(2026, 2, 27, 9), tick=False):
        reminders.plan_reminders()
    keys = set(
        OutboxMessage.objects.filter(message_name=reminders.DEADLINE_NEAR).values_list(
            "context__deadline_key", flat=True
        )
    )
    assert keys == warned


@pytest.mark.django_db
def test_the_schedule_form_states_each_committees_notice_rule(
    client, committee, mse_rules, personas
):
    from django.urls import reverse

    from tests.conftest import PASSWORD

    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("meetings_admin:meeting_create", args=[mse_rules.slug])).text
    assert (
        "An extraordinary meeting needs 5 working days&#x27; notice (ToR, Conduct &amp; "
        "Operation); ordinary meetings follow the published schedule." in page
    )
    CommitteeRules.objects.filter(committee=mse_rules).update(
        notice_applies_to=Applies.ALL_BUT_URGENT,
        notice_counting=CountingBasis.CLEAR,
        references={"notice": "10.2", "urgent_meeting": "7.3"},
    )
    page = client.get(reverse("meetings_admin:meeting_create", args=[mse_rules.slug])).text
    assert (
        "Every meeting needs 5 clear working days&#x27; notice (ToR 10.2), except an urgent one "
        "called at short notice (ToR 7.3)." in page
    )
