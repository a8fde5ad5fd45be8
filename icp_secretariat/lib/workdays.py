"""The working-day calendar and deadlines in clear working days (DOMAIN.md section 3).

Working days exclude Saturdays, Sundays, the bank holidays of a region (the `holidays` package,
always with `subdiv`, which otherwise drops Easter Monday and the Summer bank holiday) and closure
days that staff add.

Two ways to count N working days before a meeting on day M:
- clear (K&M "five clear working days"): the deadline is the latest working day D with at least N
  working days strictly between D and M; neither D nor M counts.
- plain (M&SE "no less than four working days before"): D itself counts but M does not, so the
  deadline is the latest working day D with at least N working days in [D, M).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

CLEAR = "clear"
PLAIN = "plain"
_ONE = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def bank_holidays(region: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year).keys())


class WorkingCalendar:
    def __init__(self, region: str = "ENG", closures: Iterable[dt.date] = ()):
        self.region = region
        self.closures = frozenset(closures)

    def is_working_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.closures
            and day not in bank_holidays(self.region, day.year)
        )

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days strictly between two dates (neither end counts)."""
        count, day = 0, start + _ONE
        while day < end:
            count += self.is_working_day(day)
            day += _ONE
        return count

    def previous_working_day(self, day: dt.date) -> dt.date:
        day -= _ONE
        while not self.is_working_day(day):
            day -= _ONE
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        day += _ONE
        while not self.is_working_day(day):
            day += _ONE
        return day

    def deadline_before(self, meeting: dt.date, days: int, basis: str = CLEAR) -> dt.date:
        """The last day on which an action needing `days` working days' notice can be taken."""
        if basis not in (CLEAR, PLAIN):
            raise ValueError(f"unknown counting basis {basis!r}")
        needed = days + 1 if basis == CLEAR else days
        day = meeting
        for _ in range(max(needed, 1)):
            day = self.previous_working_day(day)
        return day

    def earliest_meeting_after(self, action: dt.date, days: int, basis: str = CLEAR) -> dt.date:
        """The first date a meeting may be held if the action is taken on `action`.

        It is the earliest day M whose deadline (`deadline_before(M, days, basis)`) is on or after
        `action`: clear days need days + 1 working days in [action, M), plain days need `days`.
        """
        if basis not in (CLEAR, PLAIN):
            raise ValueError(f"unknown counting basis {basis!r}")
        needed = max(days + 1 if basis == CLEAR else days, 1)
        day = action if self.is_working_day(action) else self.next_working_day(action)
        for _ in range(needed - 1):
            day = self.next_working_day(day)
        # `day` is the last working day that must lie before the meeting: the meeting may be the
        # very next calendar day, even a weekend day.
        return day + _ONE

    def working_days_left(self, today: dt.date, deadline: dt.date) -> int:
        """Working days from tomorrow up to and including `deadline` (0 when it is today)."""
        if deadline <= today:
            return 0
        return self.working_days_between(today, deadline) + self.is_working_day(deadline)

    def working_days_before(self, day: dt.date, days: int) -> dt.date:
        """The working day `days` working days before `day` (for reminders ahead of a deadline)."""
        for _ in range(days):
            day = self.previous_working_day(day)
        return day

    def add_working_days(self, day: dt.date, days: int) -> dt.date:
        """The working day `days` working days after `day` (for minutes circulation)."""
        for _ in range(days):
            day = self.next_working_day(day)
        return day
