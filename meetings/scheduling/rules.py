"""Pure rules of calling meetings, over plain values (no database).

K&M ToR 7.3: "When the Chair of the Joint Committee deems it necessary in light of the urgent
circumstances to call a meeting at short notice, the notice period shall be such as they shall
specify. Where possible this will be agreed by the Leadership Team." Whether a committee asks
for that record is its rule (CommitteeRules.urgent_meeting_needs_leadership_agreement).
"""

from __future__ import annotations

import datetime as dt


def leadership_agreement_problem(
    *, agreed_by: int, agreed_on: dt.date | None, not_possible: str
) -> str | None:
    """What is wrong with a record of the Leadership Team's agreement to an urgent meeting, as
    entered: who agreed and when go together, and a record is either an agreement or the reason
    it was not possible, not both. None when the record is consistent (or empty)."""
    not_possible = (not_possible or "").strip()
    if bool(agreed_by) != (agreed_on is not None):
        return "Give both who in the Leadership Team agreed and the date they agreed."
    if agreed_by and not_possible:
        return "Record either the Leadership Team's agreement or why it was not possible, not both."
    return None


def leadership_agreement_missing(
    *, required: bool, kind: str, agreed_by: int, agreed_on: dt.date | None, not_possible: str
) -> bool:
    """An urgent meeting of a committee whose rule asks for it, with neither the Leadership
    Team's agreement (who and when) nor the reason it was not possible recorded."""
    if not required or kind != "urgent":
        return False
    agreed = bool(agreed_by) and agreed_on is not None
    return not agreed and not (not_possible or "").strip()
