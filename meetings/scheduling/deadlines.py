"""A meeting's deadlines and their state, from the committee's rules, the calendar and the facts.

Pure functions over plain values: no database. `rules` is anything with the CommitteeRules
attributes (`notice_days`, `notice_counting`, ...), `calendar` a `WorkingCalendar`, `facts` the
recorded times at which a deadline was met (notice given, papers dispatched, minutes circulated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from icp_secretariat.lib.workdays import CLEAR, PLAIN, WorkingCalendar

NOTICE = "notice"
PAPERS = "papers"
ITEM_REQUEST = "item_request"
URGENT_ITEM_REQUEST = "urgent_item_request"
AUTHOR_PAPERS = "author_papers"
MINUTES = "minutes_circulation"
KEYS = (NOTICE, PAPERS, ITEM_REQUEST, URGENT_ITEM_REQUEST, AUTHOR_PAPERS, MINUTES)

LABELS = {
    NOTICE: "Notice of the meeting",
    PAPERS: "Agenda and papers sent and published",
    ITEM_REQUEST: "Members' requests for agenda items",
    URGENT_ITEM_REQUEST: "Urgent agenda item requests",
    AUTHOR_PAPERS: "Report authors' papers to the secretariat",
    MINUTES: "Draft minutes circulated",
}
# The rule each deadline comes from (committees.models.RuleTopic), cited from the committee's own
# ToR; the secretariat's own working deadlines (authors' papers, minutes) cite nothing.
TOPICS = {
    NOTICE: "notice",
    PAPERS: "papers",
    ITEM_REQUEST: "item_requests",
    URGENT_ITEM_REQUEST: "item_requests",
}


def label(key: str, rules: Any) -> str:
    """The deadline's name, citing the paragraph of the committee's own ToR that sets it."""
    topic = TOPICS.get(key)
    cite = getattr(rules, "cite", None)
    if topic is None or cite is None:
        return LABELS[key]
    return f"{LABELS[key]} ({cite(topic)})"


# Deadlines the secretariat meets, with the fact that meets them. The others close for members.
TRACKED = (NOTICE, PAPERS, MINUTES)

UPCOMING = "upcoming"
MET = "met"
MISSED = "missed"
CLOSED = "closed"  # an untracked deadline (e.g. members' item requests) that has passed
SHORT_NOTICE = "short_notice"  # urgent meeting given less notice than the rule (ToR 7.3)
CANCELLED = "cancelled"
NOT_REQUIRED = "not_required"  # a kind of meeting the committee's notice rule does not cover

# Which kinds of meeting (Meeting.Kind values) the notice period applies to, by the committee's
# rule (CommitteeRules.notice_applies_to). K&M ToR 10.2.1: every meeting, an urgent one at as
# much notice as practicable (ToR 7.3). M&SE, Conduct & Operation: "A minimum of five working
# days' notice will be given when calling an extraordinary meeting"; ordinary meetings follow
# the published schedule.
NOTICE_APPLIES = {
    "all_but_urgent": frozenset({"ordinary", "extraordinary", "urgent"}),
    "extraordinary": frozenset({"extraordinary"}),
}


def notice_applies(applies_to: str, kind: str) -> bool:
    """Whether the notice period applies to a meeting of this kind under the committee's rule.
    (Under "all_but_urgent" an urgent meeting is measured against it too, and given late it is
    `short_notice`, not missed.)"""
    try:
        return kind in NOTICE_APPLIES[applies_to]
    except KeyError:
        raise ValueError(f"Unknown notice rule: {applies_to!r}") from None


def notice_applies_to(rules: Any, kind: str) -> bool:
    return notice_applies(getattr(rules, "notice_applies_to", "all_but_urgent"), kind)


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    due: dt.date
    state: str
    days_left: int | None = None  # working days, for an upcoming deadline
    met_at: dt.datetime | None = None
    days: int = 0
    basis: str = CLEAR

    @property
    def rule(self) -> str:
        if self.key == MINUTES:
            return f"{self.days} working days after the meeting"
        words = "clear working days" if self.basis == CLEAR else "working days"
        return f"{self.days} {words} before the meeting"


def _period(rules: Any, key: str) -> tuple[int, str]:
    if key == AUTHOR_PAPERS:
        # Report authors' papers count clear days like the papers they feed.
        return rules.author_papers_days, getattr(rules, "papers_counting", CLEAR)
    if key == MINUTES:
        return rules.minutes_circulation_days, PLAIN
    return getattr(rules, f"{key}_days"), getattr(rules, f"{key}_counting")


def deadline_dates(
    meeting_date: dt.date, rules: Any, calendar: WorkingCalendar
) -> dict[str, dt.date]:
    """The due date of every deadline of a meeting on `meeting_date`, by key."""
    dates = {}
    for key in KEYS:
        days, basis = _period(rules, key)
        if key == MINUTES:
            dates[key] = calendar.add_working_days(meeting_date, days)
        else:
            dates[key] = calendar.deadline_before(meeting_date, days, basis)
    return dates


def _local_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        return moment.date()
    from django.utils import timezone  # only for the project's time zone; no database

    return timezone.localtime(moment).date()


def short_notice_papers_due(
    papers_due: dt.date, *, urgent: bool, notice_due: dt.date, notice_at: dt.datetime | None
) -> dt.date | None:
    """The papers deadline of an urgent meeting called at short notice, or None where the
    ordinary one stands.

    ToR 7.3: the Chair may call an urgent meeting at short notice, "the notice period ... such as
    they shall specify". Given after the notice deadline, the notice came too late for the papers
    to meet theirs (12.2): they are due with the notice, on the day it was given (never earlier
    than the ordinary deadline)."""
    if not urgent or notice_at is None:
        return None
    given = _local_date(notice_at)
    if given <= notice_due:
        return None
    return max(papers_due, given)


def meeting_deadline_dates(
    meeting_date: dt.date,
    rules: Any,
    calendar: WorkingCalendar,
    *,
    urgent: bool,
    notice_at: dt.datetime | None,
) -> tuple[dict[str, dt.date], bool]:
    """`deadline_dates` of one meeting, an urgent one's papers due with its short notice
    (`short_notice_papers_due`); and whether they are."""
    dates = deadline_dates(meeting_date, rules, calendar)
    short = short_notice_papers_due(
        dates[PAPERS], urgent=urgent, notice_due=dates[NOTICE], notice_at=notice_at
    )
    if short is not None:
        dates[PAPERS] = short
    return dates, short is not None


def compute_deadlines(
    *,
    meeting_date: dt.date,
    rules: Any,
    calendar: WorkingCalendar,
    facts: Mapping[str, dt.datetime | None],
    today: dt.date,
    urgent: bool = False,
    cancelled: bool = False,
    notice_required: bool = True,
) -> list[Deadline]:
    """Every deadline of a meeting with its state on `today`.

    A tracked deadline is met when its fact is recorded on or before the due date, missed when
    recorded late or not recorded once the day has passed. Notice of an urgent meeting given late
    is `short_notice` (allowed by ToR 7.3, with the reason shown), and its papers are then due
    with the notice (`short_notice_papers_due`): sent by then they are `short_notice` too. Where
    the committee's notice rule does not cover the meeting's kind (`notice_required` False: an
    M&SE ordinary meeting), the notice deadline is `not_required`.
    """
    result = []
    dates, short = meeting_deadline_dates(
        meeting_date, rules, calendar, urgent=urgent, notice_at=facts.get(NOTICE)
    )
    for key, due in dates.items():
        days, basis = _period(rules, key)
        fact = facts.get(key)
        left = None
        if cancelled:
            state = CANCELLED
        elif key == NOTICE and not notice_required:
            state = NOT_REQUIRED
        elif key in TRACKED and fact is not None:
            on_time = _local_date(fact) <= due
            if on_time and key == PAPERS and short:
                state = SHORT_NOTICE
            elif on_time:
                state = MET
            elif key == NOTICE and urgent:
                state = SHORT_NOTICE
            else:
                state = MISSED
        elif today <= due:
            state, left = UPCOMING, calendar.working_days_left(today, due)
        elif key in TRACKED:
            state = MISSED
        else:
            state = CLOSED
        result.append(
            Deadline(
                key,
                label(key, rules),
                due,
                state,
                left,
                fact if key in TRACKED else None,
                days,
                basis,
            )
        )
    return result


def earliest_compliant_date(*, today: dt.date, rules: Any, calendar: WorkingCalendar) -> dt.date:
    """The first working day a meeting could be held on if notice were given today.

    (The rule alone would allow a weekend or bank holiday; nobody proposes one.)"""
    day = calendar.earliest_meeting_after(today, rules.notice_days, rules.notice_counting)
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def months_between(earlier: dt.date, later: dt.date) -> float:
    """Calendar months from one date to another, fractional (30.44 days a month)."""
    return (later - earlier).days / 30.436875


@dataclass(frozen=True)
class FrequencyGap:
    start: dt.date
    end: dt.date
    months: float
    until_today: bool = False


def frequency_gaps(
    meeting_dates: list[dt.date], *, max_months: int, today: dt.date
) -> list[FrequencyGap]:
    """Gaps longer than the committee's minimum frequency allows (K&M ToR 10.1: quarterly).

    A gap runs from one meeting to the next; after the last past meeting it runs to the next
    scheduled meeting, or to today when none is scheduled.
    """
    dates = sorted(set(meeting_dates))
    gaps = []
    limit = _add_months(max_months)
    for earlier, later in zip(dates, dates[1:], strict=False):
        if later > limit(earlier):
            gaps.append(FrequencyGap(earlier, later, months_between(earlier, later)))
    if dates and dates[-1] < today and today > limit(dates[-1]):
        gaps.append(FrequencyGap(dates[-1], today, months_between(dates[-1], today), True))
    return gaps


def _add_months(months: int):
    def add(day: dt.date) -> dt.date:
        month = day.month - 1 + months
        year, month = day.year + month // 12, month % 12 + 1
        for last in (31, 30, 29, 28):
            try:
                return day.replace(year=year, month=month, day=min(day.day, last))
            except ValueError:
                continue
        raise AssertionError("unreachable")

    return add
