"""A committee's working-day calendar: its region's bank holidays and its stored closure days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from committees.models import ClosureDay
from icp_secretariat.lib.workdays import WorkingCalendar


def calendar_for(rules, closures: Iterable[dt.date] | None = None) -> WorkingCalendar:
    """The calendar of a committee's rules; closures default to those stored for it (its own
    closure days and the installation-wide ones, for its region)."""
    if closures is None:
        closures = (
            ClosureDay.objects.for_region(rules.holiday_region)
            .for_committee(rules.committee_id)
            .values_list("date", flat=True)
        )
    return WorkingCalendar(rules.holiday_region, closures)
