"""The deadlines of a meeting and their state (pure: no database)."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from icp_secretariat.lib.workdays import WorkingCalendar
from meetings.scheduling import deadlines as dl

D = dt.date
LONDON = ZoneInfo("Europe/London")
KM = SimpleNamespace(
    notice_days=5,
    notice_counting="clear",
    papers_days=5,
    papers_counting="clear",
    item_request_days=20,
    item_request_counting="clear",
    urgent_item_request_days=10,
    urgent_item_request_counting="clear",
    author_papers_days=10,
    minutes_circulation_days=10,
    max_months_between_meetings=3,
)
CAL = WorkingCalendar("ENG")


def states(today, facts=None, **kw):
    result = dl.compute_deadlines(
        meeting_date=D(2026, 1, 6), rules=KM, calendar=CAL, facts=facts or {}, today=today, **kw
    )
    return {d.key: d for d in result}


def test_dates_follow_the_worked_example_of_6_january_2026():
    dates = dl.deadline_dates(D(2026, 1, 6), KM, CAL)
    assert dates == {
        "notice": D(2025, 12, 24),
        "papers": D(2025, 12, 24),
        "item_request": D(2025, 12, 3),
        "urgent_item_request": D(2025, 12, 17),
        "author_papers": D(2025, 12, 17),
        # Ten working days after Tue 6 Jan 2026.
        "minutes_circulation": D(2026, 1, 20),
    }


def test_upcoming_deadlines_count_working_days_left():
    result = states(D(2025, 12, 19))  # Friday
    assert result["notice"].state == dl.UPCOMING
    # Mon 22, Tue 23, Wed 24 December.
    assert result["notice"].days_left == 3
    assert result["item_request"].state == dl.CLOSED
    assert result["urgent_item_request"].state == dl.CLOSED


def test_a_deadline_due_today_is_upcoming_with_no_days_left():
    assert states(D(2025, 12, 24))["notice"].days_left == 0


def test_notice_given_on_time_is_met_with_when():
    given = dt.datetime(2025, 12, 24, 16, 0, tzinfo=LONDON)
    result = states(D(2026, 1, 2), {"notice": given})
    assert result["notice"].state == dl.MET
    assert result["notice"].met_at == given
    assert result["papers"].state == dl.MISSED


def test_late_notice_is_missed_unless_the_meeting_is_urgent():
    late = dt.datetime(2025, 12, 29, 9, 0, tzinfo=LONDON)
    assert states(D(2025, 12, 29), {"notice": late})["notice"].state == dl.MISSED
    urgent = states(D(2025, 12, 29), {"notice": late}, urgent=True)
    assert urgent["notice"].state == dl.SHORT_NOTICE


def test_an_urgent_meetings_papers_sent_with_its_short_notice_are_not_missed():
    # Seen in the demo: the urgent meeting of 9 June, called on 5 June with the papers, showed
    # "Papers: Missed, done late" and, publicly, "Dispatched late by 4 working days ...
    # (deadline 1 June 2026)": a deadline before the meeting was called. ToR 7.3: the notice
    # is as the Chair specifies; the papers are due with it.
    notice = dt.datetime(2025, 12, 29, 10, 0, tzinfo=LONDON)
    with_it = dt.datetime(2025, 12, 29, 16, 0, tzinfo=LONDON)
    result = states(D(2025, 12, 30), {"notice": notice, "papers": with_it}, urgent=True)
    assert result["notice"].state == dl.SHORT_NOTICE
    assert result["papers"].state == dl.SHORT_NOTICE
    assert result["papers"].due == D(2025, 12, 29)
    # Papers a working day after the notice are late, measured from the notice.
    after = dt.datetime(2025, 12, 30, 9, 0, tzinfo=LONDON)
    result = states(D(2025, 12, 30), {"notice": notice, "papers": after}, urgent=True)
    assert result["papers"].state == dl.MISSED and result["papers"].due == D(2025, 12, 29)
    # Not urgent, or urgent with the notice given in time: the ordinary deadline stands.
    ordinary = states(D(2025, 12, 30), {"notice": notice, "papers": with_it})
    assert ordinary["papers"].state == dl.MISSED and ordinary["papers"].due == D(2025, 12, 24)
    in_time = dt.datetime(2025, 12, 23, 10, 0, tzinfo=LONDON)
    late_papers = states(D(2025, 12, 30), {"notice": in_time, "papers": with_it}, urgent=True)
    assert late_papers["papers"].state == dl.MISSED
    assert late_papers["papers"].due == D(2025, 12, 24)


def test_late_evening_utc_counts_on_the_london_date():
    # 23:30 UTC on 24 June is 00:30 on 25 June in London (BST): one day late.
    meeting = D(2025, 7, 2)
    due = dl.deadline_dates(meeting, KM, CAL)["notice"]
    assert due == D(2025, 6, 24)
    fact = dt.datetime(2025, 6, 24, 23, 30, tzinfo=dt.UTC)
    [notice] = [
        d
        for d in dl.compute_deadlines(
            meeting_date=meeting,
            rules=KM,
            calendar=CAL,
            facts={"notice": fact},
            today=D(2025, 6, 26),
        )
        if d.key == "notice"
    ]
    assert notice.state == dl.MISSED


def test_cancelled_meetings_have_no_live_deadlines():
    assert {d.state for d in states(D(2025, 12, 1), cancelled=True).values()} == {dl.CANCELLED}


def test_minutes_are_missed_when_not_circulated_in_time():
    assert states(D(2026, 1, 21))["minutes_circulation"].state == dl.MISSED
    ok = states(D(2026, 1, 21), {"minutes_circulation": dt.datetime(2026, 1, 15, tzinfo=LONDON)})
    assert ok["minutes_circulation"].state == dl.MET


def test_plain_counting_for_papers_is_one_day_later():
    rules = SimpleNamespace(**{**vars(KM), "papers_days": 4, "papers_counting": "plain"})
    assert dl.deadline_dates(D(2025, 5, 15), rules, CAL)["papers"] == D(2025, 5, 9)


def test_earliest_compliant_date_when_notice_given_today():
    # Notice on Mon 22 Dec 2025: five clear working days 23, 24, 29, 30, 31 December; the rule
    # allows Thu 1 January, a bank holiday, so the earliest working day is Fri 2 January.
    assert dl.earliest_compliant_date(today=D(2025, 12, 22), rules=KM, calendar=CAL) == D(
        2026, 1, 2
    )


def test_frequency_gaps_longer_than_a_quarter_are_reported():
    gaps = dl.frequency_gaps(
        [D(2025, 1, 15), D(2025, 4, 15), D(2025, 8, 1)], max_months=3, today=D(2025, 12, 1)
    )
    assert [(g.start, g.end, g.until_today) for g in gaps] == [
        (D(2025, 4, 15), D(2025, 8, 1), False),
        (D(2025, 8, 1), D(2025, 12, 1), True),
    ]
    assert (
        dl.frequency_gaps([D(2025, 1, 15), D(2025, 4, 15)], max_months=3, today=D(2025, 4, 20))
        == []
    )
