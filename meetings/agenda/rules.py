"""Pure rules of agendas: standard items, numbering, item-request timing, dispatch compliance.

Plain functions over plain values (dates, tuples), so they are tested without a database. The
services in `meetings.agenda.services` apply them to rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

# The items every agenda starts with (DOMAIN.md section 5, step 4); staff may edit them.
# (key, title, purpose, business-slot) where business items go before the closing two.
STANDARD_OPENING: tuple[tuple[str, str, str], ...] = (
    ("welcome", "Welcome, introductions and apologies for absence", "information"),
    ("declarations", "Declarations of interest", "information"),
    (
        "minutes",
        "Minutes of the last meeting, matters arising and action log",
        "decision",
    ),
    ("register", "Register of Members' Interests", "assurance"),
)
STANDARD_CLOSING: tuple[tuple[str, str, str], ...] = (
    ("aob", "Any other business", "discussion"),
    ("next_meeting", "Date of next meeting", "information"),
)
CLOSING_KEYS = frozenset(key for key, _, _ in STANDARD_CLOSING)


def renumber(items: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Given (item id, part) in the current order, return (item id, number) with Part 1 first.

    Part 2 items are always taken after Part 1 items (K&M ToR 7.2); the relative order within
    each part is kept, and numbering continues from Part 1 into Part 2.
    """
    ordered = [i for i in items if i[1] == 1] + [i for i in items if i[1] != 1]
    return [(item_id, n) for n, (item_id, _) in enumerate(ordered, start=1)]


def move(order: Sequence[int], item_id: int, direction: str) -> list[int]:
    """Swap one id with its neighbour ("up" or "down"); unchanged at either end."""
    order = list(order)
    i = order.index(item_id)
    j = i - 1 if direction == "up" else i + 1
    if direction not in ("up", "down") or not 0 <= j < len(order):
        return order
    order[i], order[j] = order[j], order[i]
    return order


class Calendar(Protocol):
    def deadline_before(self, meeting: dt.date, days: int, basis: str = ...) -> dt.date: ...
    def is_working_day(self, day: dt.date) -> bool: ...
    def working_days_between(self, start: dt.date, end: dt.date) -> int: ...


@dataclass(frozen=True)
class RequestDeadlines:
    on_time: dt.date  # last day for an ordinary request (ToR 12.3: 20 clear working days)
    urgent: dt.date  # last day for an urgent request (10 clear working days)


@dataclass(frozen=True)
class RequestTiming:
    timing: str  # "on_time", "urgent" or "too_late"
    message: str

    @property
    def accepted(self) -> bool:
        return self.timing != "too_late"


def classify_item_request(
    *, submitted_on: dt.date, urgent: bool, deadlines: RequestDeadlines
) -> RequestTiming:
    """Place a member's item request against the deadlines.

    On or before the ordinary deadline: on time. After it but on or before the urgent deadline:
    accepted only if the member says it is urgent (with a reason, checked by the form). Later:
    too late, with the deadline in the message.
    """
    fmt = "%A %-d %B %Y"
    if submitted_on <= deadlines.on_time:
        return RequestTiming("on_time", "Your request is on time.")
    if submitted_on <= deadlines.urgent:
        if urgent:
            return RequestTiming(
                "urgent", "Your request is after the usual deadline but within the urgent window."
            )
        return RequestTiming(
            "too_late",
            f"The deadline for item requests for this meeting was "
            f"{deadlines.on_time:{fmt}}. You can still ask for an urgent item until "
            f"{deadlines.urgent:{fmt}}: tick 'This is urgent' and say why.",
        )
    return RequestTiming(
        "too_late",
        f"It is too late to request an item for this meeting: the deadline was "
        f"{deadlines.on_time:{fmt}}, and {deadlines.urgent:{fmt}} for urgent items. "
        "Ask for the item at a later meeting, or raise it with the secretariat.",
    )


def request_deadlines(calendar: Calendar, meeting_date: dt.date, rules) -> RequestDeadlines:
    return RequestDeadlines(
        on_time=calendar.deadline_before(
            meeting_date, rules.item_request_days, rules.item_request_counting
        ),
        urgent=calendar.deadline_before(
            meeting_date, rules.urgent_item_request_days, rules.urgent_item_request_counting
        ),
    )


@dataclass(frozen=True)
class Compliance:
    deadline: dt.date
    dispatched_on: dt.date | None
    late_by: int  # working days after the deadline; 0 when on time
    # Not dispatched and the deadline has passed: how late a dispatch today would be (0 when
    # dispatched, or when today is on or before the deadline).
    late_if_sent_today: int = 0
    # An urgent meeting called at short notice (ToR 7.3): the deadline is the day its notice was
    # given, the papers being due with it.
    short_notice: bool = False
    # The committee's paragraph for urgent meetings, as messages cite it ("ToR 7.3").
    urgent_citation: str = ""

    @property
    def on_time(self) -> bool:
        return self.dispatched_on is not None and self.late_by == 0

    @property
    def missed(self) -> bool:
        """Not dispatched, and the papers deadline has passed."""
        return self.late_if_sent_today > 0

    def describe(self) -> str:
        fmt = "%-d %B %Y"
        if self.dispatched_on is None:
            if self.missed:
                return (
                    f"Not yet dispatched, and the papers deadline ({self.deadline:{fmt}}) has "
                    f"passed: sent today, the agenda and papers are late by "
                    f"{working_days_text(self.late_if_sent_today)}."
                )
            return f"Not yet dispatched; papers deadline {self.deadline:{fmt}}."
        if self.short_notice:
            urgent = "this urgent meeting, called at short notice"
            if self.urgent_citation:
                urgent += f" ({self.urgent_citation})"
            if self.late_by == 0:
                return f"Dispatched on {self.dispatched_on:{fmt}} with the notice of {urgent}."
            return (
                f"Dispatched on {self.dispatched_on:{fmt}}, {working_days_text(self.late_by)} "
                f"after the notice of {urgent} ({self.deadline:{fmt}})."
            )
        if self.late_by == 0:
            return (
                f"Dispatched on time on {self.dispatched_on:{fmt}} "
                f"(deadline {self.deadline:{fmt}})."
            )
        return (
            f"Dispatched late by {working_days_text(self.late_by)} on {self.dispatched_on:{fmt}} "
            f"(deadline {self.deadline:{fmt}})."
        )


def working_days_text(n: int) -> str:
    """The number of working days in words: "1 working day", "3 working days"."""
    return f"{n} working day" if n == 1 else f"{n} working days"


def _late_by(calendar: Calendar, deadline: dt.date, day: dt.date) -> int:
    # Working days after the deadline up to and including `day` (a dispatch on the Saturday
    # after a Friday deadline is late by the Monday it effectively reaches).
    late = calendar.working_days_between(deadline, day) + (1 if calendar.is_working_day(day) else 0)
    return max(late, 1)


def dispatch_compliance(
    calendar: Calendar,
    *,
    deadline: dt.date,
    dispatched_on: dt.date | None,
    today: dt.date | None = None,
    short_notice: bool = False,
    urgent_citation: str = "",
) -> Compliance:
    """How the dispatch date compares with the papers deadline (ToR 12.2); with `today`, how
    late a dispatch not yet made would be if made today."""
    if dispatched_on is None:
        late_today = _late_by(calendar, deadline, today) if today and today > deadline else 0
        return Compliance(deadline, None, 0, late_today, short_notice, urgent_citation)
    if dispatched_on <= deadline:
        return Compliance(deadline, dispatched_on, 0, 0, short_notice, urgent_citation)
    late = _late_by(calendar, deadline, dispatched_on)
    return Compliance(deadline, dispatched_on, late, 0, short_notice, urgent_citation)


def standard_items() -> Iterable[tuple[str, str, str]]:
    return STANDARD_OPENING + STANDARD_CLOSING


# ---------------------------------------------------------------- who agrees the agenda
# The rule (CommitteeRules.agenda_agreed_by) names offices; everyone holding them must agree the
# same version. K&M ToR 12.1.1: "Agreement of the agenda with the Chair"; M&SE, Conduct &
# Operation: "The agenda ... will be agreed by the Chair and Vice Chairs".

AGREED_BY_OFFICES: dict[str, tuple[str, ...]] = {
    "chair": ("chair",),
    "chair_vice_chairs": ("chair", "vice_chair"),
    "chair_leadership_team": ("chair", "leadership_team"),
}
OFFICE_NAMES = {"chair": "Chair", "vice_chair": "Vice-Chair", "leadership_team": "Leadership Team"}


def agreeing_offices(rule: str) -> tuple[str, ...]:
    """The offices whose holders must agree the agenda under the committee's rule."""
    try:
        return AGREED_BY_OFFICES[rule]
    except KeyError:
        raise ValueError(f"Unknown agenda agreement rule: {rule!r}") from None


@dataclass(frozen=True)
class AgreementStatus:
    """Where the agreement of one version stands. `required` maps each person who must agree to
    the office(s) they agree in; `vacant` lists an office with no holder that must have one."""

    required: dict[int, str]
    agreed: frozenset[int]
    vacant: tuple[str, ...]

    @property
    def outstanding(self) -> list[int]:
        return [pk for pk in self.required if pk not in self.agreed]

    @property
    def complete(self) -> bool:
        return not self.vacant and bool(self.required) and not self.outstanding


def agreement_status(
    rule: str, holders: dict[str, Iterable[int]], agreed: Iterable[int]
) -> AgreementStatus:
    """Who must still agree. `holders` maps an office to the people holding it today. The Chair's
    office must be held (an agenda cannot be agreed "with the Chair" when there is none); every
    current holder of the other offices named must agree, and a person holding two of them (the
    Chair is also on K&M's Leadership Team) agrees once."""
    required: dict[int, str] = {}
    vacant = []
    for office in agreeing_offices(rule):
        people = list(holders.get(office, ()))
        if office == "chair" and not people:
            vacant.append(OFFICE_NAMES[office])
        for pk in people:
            if pk in required:
                required[pk] = f"{required[pk]}, {OFFICE_NAMES[office]}"
            else:
                required[pk] = OFFICE_NAMES[office]
    return AgreementStatus(required, frozenset(agreed) & frozenset(required), tuple(vacant))


def describe_agreed_by(rule: str) -> str:
    """The rule in words for a message: "the Chair and every Vice-Chair"."""
    words = {
        "chair": "the Chair",
        "chair_vice_chairs": "the Chair and every Vice-Chair",
        "chair_leadership_team": "the Chair and every member of the Leadership Team",
    }
    agreeing_offices(rule)
    return words[rule]
