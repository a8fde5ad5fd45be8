"""Property-based tests of the working-day calendar (DOMAIN.md section 3)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from icp_secretariat.lib.workdays import CLEAR, PLAIN, WorkingCalendar

ONE = dt.timedelta(days=1)
meeting_days = st.dates(min_value=dt.date(2022, 1, 10), max_value=dt.date(2030, 12, 20))
periods = st.integers(min_value=1, max_value=30)
regions = st.sampled_from(["ENG", "WLS", "SCT", "NIR"])
bases = st.sampled_from([CLEAR, PLAIN])
# Closure days that staff add, e.g. the days between Christmas and New Year.
closures = st.sets(
    st.dates(min_value=dt.date(2021, 10, 1), max_value=dt.date(2030, 12, 31)), max_size=25
)


def counted(cal: WorkingCalendar, deadline: dt.date, meeting: dt.date, basis: str) -> int:
    """Working days the rule counts: strictly between (clear) or from the deadline (plain)."""
    return cal.working_days_between(deadline, meeting) + (
        basis == PLAIN and cal.is_working_day(deadline)
    )


@settings(max_examples=300, deadline=None)
@given(meeting=meeting_days, n=periods, region=regions, basis=bases, closed=closures)
def test_deadline_is_the_latest_working_day_leaving_enough_days(meeting, n, region, basis, closed):
    cal = WorkingCalendar(region, closed)
    deadline = cal.deadline_before(meeting, n, basis)
    assert cal.is_working_day(deadline)
    assert deadline < meeting
    # Exactly the required working days lie between it and the meeting...
    assert counted(cal, deadline, meeting, basis) == n
    # ...and the next working day after it would leave too few.
    later = cal.next_working_day(deadline)
    assert later >= meeting or counted(cal, later, meeting, basis) < n


@settings(max_examples=200, deadline=None)
@given(meeting=meeting_days, n=periods, region=regions, basis=bases, closed=closures)
def test_deadlines_never_move_later_as_the_period_grows(meeting, n, region, basis, closed):
    cal = WorkingCalendar(region, closed)
    assert cal.deadline_before(meeting, n + 1, basis) < cal.deadline_before(meeting, n, basis)


@settings(max_examples=200, deadline=None)
@given(meeting=meeting_days, n=periods, region=regions)
def test_clear_days_need_one_more_working_day_than_plain_days(meeting, n, region):
    cal = WorkingCalendar(region)
    clear = cal.deadline_before(meeting, n, CLEAR)
    assert clear == cal.previous_working_day(cal.deadline_before(meeting, n, PLAIN))
    assert clear == cal.deadline_before(meeting, n + 1, PLAIN)


@settings(max_examples=200, deadline=None)
@given(action=meeting_days, n=periods, basis=bases, closed=closures)
def test_earliest_meeting_is_the_first_day_whose_deadline_is_not_past(action, n, basis, closed):
    cal = WorkingCalendar("ENG", closed)
    earliest = cal.earliest_meeting_after(action, n, basis)
    assert cal.deadline_before(earliest, n, basis) >= action
    assert cal.deadline_before(earliest - ONE, n, basis) < action


@given(meeting=meeting_days, closed=closures)
def test_a_closure_day_is_never_a_working_day_nor_counted(meeting, closed):
    cal = WorkingCalendar("ENG", closed)
    for day in closed:
        assert not cal.is_working_day(day)
    deadline = cal.deadline_before(meeting, 5)
    assert deadline not in closed


def test_weekend_meeting_after_notice_on_friday_counts_the_five_days_between():
    cal = WorkingCalendar("ENG")
    # Notice on Fri 9 May 2025 (working days Mon 12 .. Fri 16 follow): a meeting on Sat 17 May
    # has five clear working days, so it is the earliest compliant date.
    assert cal.earliest_meeting_after(dt.date(2025, 5, 9), 5) == dt.date(2025, 5, 17)
