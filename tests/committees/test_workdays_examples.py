"""The worked examples of DOMAIN.md section 3 (K&M rules: 5, 10 and 20 clear working days)."""

import datetime as dt

import pytest

from icp_secretariat.lib.workdays import PLAIN, WorkingCalendar

D = dt.date
CASES = [
    (D(2025, 5, 8), D(2025, 4, 29), D(2025, 4, 22), D(2025, 4, 4)),
    (D(2025, 12, 17), D(2025, 12, 9), D(2025, 12, 2), D(2025, 11, 18)),
    (D(2026, 1, 6), D(2025, 12, 24), D(2025, 12, 17), D(2025, 12, 3)),
    (D(2026, 6, 2), D(2026, 5, 22), D(2026, 5, 15), D(2026, 4, 30)),
]


@pytest.mark.parametrize("meeting,notice,urgent,item_request", CASES)
def test_worked_examples(meeting, notice, urgent, item_request):
    cal = WorkingCalendar("ENG")
    assert cal.deadline_before(meeting, 5) == notice
    assert cal.deadline_before(meeting, 10) == urgent
    assert cal.deadline_before(meeting, 20) == item_request


def test_plain_working_days_count_the_day_of_the_action():
    # M&SE: papers "no less than four working days before" Thu 15 May 2025: Fri 9, Mon 12 to Wed 14.
    assert WorkingCalendar().deadline_before(D(2025, 5, 15), 4, PLAIN) == D(2025, 5, 9)
