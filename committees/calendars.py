"""A committee's working-day calendar: its region's bank holidays and its stored closure days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from committees.models import ClosureDay
from icp_secretariat.lib import public_cache
from icp_secretariat.lib.workdays import WorkingCalendar


def calendar_for(rules, closures: Iterable[dt.date] | None = None) -> WorkingCalendar:
    """The calendar of a committee's rules; closures default to those stored for it (its own
    closure days and the installation-wide ones, for its region), read from the cache until a
    closure day is written."""
    if closures is None:
        region, committee_id = rules.holiday_region, rules.committee_id
        closures = public_cache.remember(
            f"closures:{region}:{committee_id}",
            (public_cache.model_topic(ClosureDay),),
            lambda: list(
                ClosureDay.objects.for_region(region)
                .for_committee(committee_id)
                .values_list("date", flat=True)
            ),
        )
    return WorkingCalendar(rules.holiday_region, closures)
