"""Which version of a committee's Terms of Reference was in force on a day, from the history of
its rules (K&M ToR 14.1 and M&SE "Review": the ToR are reviewed at least annually, so they change).

Pure: `version_in_force` works over plain records; `committees.selectors` feeds it the rows of
`CommitteeRules.history` (django-simple-history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RulesRecord:
    """One saved state of a committee's rules: the day it was recorded and the ToR version it
    names, with the date that version took effect."""

    recorded: dt.date
    version: str
    version_from: dt.date | None = None

    @property
    def text(self) -> str:
        if self.version_from:
            return f"{self.version}, in force from {self.version_from:%-d %B %Y}"
        return self.version


def version_in_force(records: Sequence[RulesRecord], day: dt.date) -> RulesRecord | None:
    """The ToR version a meeting on `day` was held under.

    The rules as recorded by the end of that day, skipping a version entered in advance that
    was not yet in force. Where the rules were first recorded after that day (a committee set up
    in the product later than it first met), the earliest recorded version already in force on
    the day. None when no version is known for the day.
    """
    ordered = sorted(records, key=lambda r: r.recorded)
    for record in reversed([r for r in ordered if r.recorded <= day]):
        if record.version and (record.version_from is None or record.version_from <= day):
            return record
    if any(r.recorded <= day and r.version for r in ordered):
        return None  # versions were recorded by then, none yet in force
    for record in ordered:
        if record.version and record.version_from and record.version_from <= day:
            return record
    return None
