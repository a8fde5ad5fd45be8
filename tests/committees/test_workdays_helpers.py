"""The working-day helpers the deadline examples do not reach (issue 16, mutation testing):
days left before a deadline, reminders before it, circulation after a meeting, and the message
for an unknown counting basis."""

import datetime as dt

import pytest

from icp_secretariat.lib.workdays import WorkingCalendar

CAL = WorkingCalendar("ENG")
D = dt.date


def test_working_days_left_counts_from_tomorrow_to_the_deadline():
    assert CAL.working_days_left(D(2026, 6, 1), D(2026, 6, 1)) == 0  # today: none left
    assert CAL.working_days_left(D(2026, 6, 2), D(2026, 6, 1)) == 0  # passed
    assert CAL.working_days_left(D(2026, 6, 1), D(2026, 6, 2)) == 1  # Mon to Tue
    assert CAL.working_days_left(D(2026, 6, 5), D(2026, 6, 8)) == 1  # Fri to Mon
    assert CAL.working_days_left(D(2026, 6, 5), D(2026, 6, 7)) == 0  # Fri to Sun
    # 24 to 31 December 2026: 29, 30, 31 (25, 26 and 28 are holidays or weekend)
    assert CAL.working_days_left(D(2026, 12, 24), D(2026, 12, 31)) == 3


def test_working_days_before_and_after_skip_weekends_and_holidays():
    assert CAL.working_days_before(D(2026, 6, 8), 0) == D(2026, 6, 8)
    assert CAL.working_days_before(D(2026, 6, 8), 1) == D(2026, 6, 5)
    assert CAL.working_days_before(D(2026, 6, 8), 3) == D(2026, 6, 3)
    assert CAL.working_days_before(D(2026, 12, 29), 2) == D(2026, 12, 23)
    assert CAL.add_working_days(D(2026, 6, 5), 0) == D(2026, 6, 5)
    assert CAL.add_working_days(D(2026, 6, 5), 1) == D(2026, 6, 8)
    assert CAL.add_working_days(D(2026, 6, 5), 3) == D(2026, 6, 10)
    assert CAL.add_working_days(D(2026, 12, 23), 2) == D(2026, 12, 29)


@pytest.mark.parametrize("method", ["deadline_before", "earliest_meeting_after"])
def test_an_unknown_basis_is_named_in_the_error(method):
    with pytest.raises(ValueError, match="unknown counting basis 'calendar'"):
        getattr(CAL, method)(D(2026, 6, 8), 5, "calendar")
