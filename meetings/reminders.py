"""Planning reminders: which reminder emails are due today, created once each in the outbox.

Timing is per committee (CommitteeRules.*_reminder_days, in working days before the deadline).
Each reminder's idempotency key holds the meeting's date, so a rescheduled meeting gets fresh
reminders and re-running the planner never makes a second copy. The planner reads everything it
needs in a fixed number of queries, whatever the number of meetings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from committees.models import ClosureDay, Committee, CommitteeRules, Role
from communications.mail import Batch, Recipient, queue_batches
from icp_secretariat.lib.workdays import WorkingCalendar
from meetings import links
from meetings.models import AgendaItem, Meeting
from meetings.scheduling import deadlines as dl
from members.models import Membership

ITEM_REQUEST = "reminder-item-request"
AUTHOR_PAPERS = "reminder-author-papers"
DEADLINE_NEAR = "reminder-secretariat-deadline-near"
DEADLINE_MISSED = "reminder-secretariat-deadline-missed"
MINUTES_DUE = "reminder-secretariat-minutes-due"

# Meetings further away than this have no reminder due yet; those further back need no more.
LOOK_AHEAD = dt.timedelta(days=200)
LOOK_BACK = dt.timedelta(days=90)


@dataclass(frozen=True)
class Addressee:
    email: str
    name: str


def report_authors_for(meeting_ids: list[int]) -> dict[int, list[Addressee]]:
    """Report authors owing papers, by meeting id, in one query: the named author of each
    agenda item that has no current paper yet."""

    rows = (
        AgendaItem.objects.filter(agenda__meeting_id__in=meeting_ids, report_author__isnull=False)
        .exclude(report_author__email="")
        .exclude(papers__is_current=True)
        .values_list(
            "agenda__meeting_id",
            "report_author__email",
            "report_author__honorific",
            "report_author__first_name",
            "report_author__last_name",
        )
        .distinct()
    )
    authors: dict[int, list[Addressee]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for meeting_id, email, *name in rows:
        if (meeting_id, email) not in seen:
            seen.add((meeting_id, email))
            authors[meeting_id].append(Addressee(email, " ".join(p for p in name if p)))
    return dict(authors)


def _calendars() -> dict[str, WorkingCalendar]:
    closures: dict[str, set[dt.date]] = defaultdict(set)
    everywhere: set[dt.date] = set()
    for region, day in ClosureDay.objects.values_list("region", "date"):
        (everywhere if not region else closures[region]).add(day)
    return {
        region: WorkingCalendar(region, closures[region] | everywhere)
        for region in ("ENG", "WLS", "SCT", "NIR")
    }


def _members_wanting_reminders(
    committee_ids: set[int], today: dt.date
) -> dict[int, list[Addressee]]:
    """Members and Participants, less those who turned reminders off in the portal.

    Only for optional reminders: statutory notices and papers never read the preference.
    """
    rows = (
        Membership.objects.current(today)
        .filter(committee_id__in=committee_ids, role__in=[Role.MEMBER, Role.PARTICIPANT])
        .exclude(person__email="")
        .exclude(person__user__notification_preferences__reminders=False)
        .values_list("committee_id", "person__email", "person__first_name", "person__last_name")
        .order_by("committee_id", "person__last_name", "person__email")
    )
    result: dict[int, list[Addressee]] = defaultdict(list)
    seen = set()
    for committee_id, email, first, last in rows:
        if (committee_id, email.lower()) not in seen:
            seen.add((committee_id, email.lower()))
            result[committee_id].append(Addressee(email, f"{first} {last}".strip()))
    return result


def _secretariat_by_committee(committee_ids: set[int]) -> dict[int, list[Addressee]]:
    through = Committee.secretariat.through
    rows = (
        through.objects.filter(committee_id__in=committee_ids, user__is_active=True)
        .exclude(user__email="")
        .values_list("committee_id", "user__email", "user__first_name", "user__last_name")
    )
    result: dict[int, list[Addressee]] = defaultdict(list)
    for committee_id, email, first, last in rows:
        result[committee_id].append(Addressee(email, f"{first} {last}".strip()))
    return result


class _Plan:
    """Collects reminders by (message name, meeting, extra), then queues each group once."""

    def __init__(self) -> None:
        self.groups: dict[tuple, dict] = {}

    def add(self, *, name, meeting, who, key, context, group_extra=""):
        group = self.groups.setdefault(
            (name, meeting.pk, group_extra),
            {"name": name, "meeting": meeting, "context": context, "recipients": []},
        )
        group["recipients"].extend(
            Recipient(a.email, a.name, f"{key}:{a.email.lower()}") for a in who
        )

    def queue(self) -> list[int]:
        return queue_batches(
            [
                Batch(
                    g["name"], g["context"], g["recipients"], g["meeting"].committee, g["meeting"]
                )
                for g in self.groups.values()
            ]
        )


def _base_context(meeting: Meeting) -> dict:
    return {
        "committee_name": meeting.committee.name,
        "meeting_id": meeting.pk,
        "date": meeting.date.isoformat(),
        "date_text": f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}",
        "start_time": meeting.start_time.strftime("%H:%M"),
        "urgent_reason": meeting.urgent_reason,
    }


def _due_text(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class _Timing:
    """One meeting as each reminder step sees it: its rules and working calendar, its deadlines,
    the context every message about it shares, and the stamp in each idempotency key."""

    meeting: Meeting
    rules: CommitteeRules
    cal: WorkingCalendar
    due: dict[str, dt.date]
    ctx: dict
    stamp: str
    today: dt.date


def _meetings_in_window(today: dt.date) -> list[Meeting]:
    """Scheduled meetings near enough to `today` to have a reminder due, with their rules."""
    meetings = list(
        Meeting.objects.scheduled()
        .filter(date__gte=today - LOOK_BACK, date__lte=today + LOOK_AHEAD)
        .select_related("committee__rules")
        .order_by("committee_id", "date")
    )
    return [m for m in meetings if hasattr(m.committee, "rules")]


def _timing(meeting: Meeting, calendars: dict[str, WorkingCalendar], today: dt.date) -> _Timing:
    """The meeting's deadlines by its committee's working calendar (England's if none)."""
    rules = meeting.committee.rules
    cal = calendars.get(rules.holiday_region) or calendars["ENG"]
    # An urgent meeting called at short notice has its papers due with the notice.
    due, _short = dl.meeting_deadline_dates(
        meeting.date,
        rules,
        cal,
        urgent=meeting.kind == Meeting.Kind.URGENT,
        notice_at=meeting.notice_given_at,
    )
    return _Timing(
        meeting=meeting,
        rules=rules,
        cal=cal,
        due=due,
        ctx=_base_context(meeting),
        stamp=f"{meeting.pk}:{meeting.date}",
        today=today,
    )


def _plan_item_request(plan: _Plan, t: _Timing, members: list[Addressee]) -> None:
    """Members and Participants: ask for items before the item-request deadline (ToR 12.3)."""
    due = t.due[dl.ITEM_REQUEST]
    start = t.cal.working_days_before(due, t.rules.item_request_reminder_days)
    if start <= t.today <= due:
        plan.add(
            name=ITEM_REQUEST,
            meeting=t.meeting,
            who=members,
            key=f"{ITEM_REQUEST}:{t.stamp}",
            context={
                **t.ctx,
                "deadline": due.isoformat(),
                "deadline_text": _due_text(due),
                "urgent_deadline_text": _due_text(t.due[dl.URGENT_ITEM_REQUEST]),
                "action_url": links.request_item_url(t.meeting),
            },
        )


def _plan_author_papers(plan: _Plan, t: _Timing, authors: list[Addressee]) -> None:
    """Report authors: papers to the secretariat before they are due."""
    due = t.due[dl.AUTHOR_PAPERS]
    start = t.cal.working_days_before(due, t.rules.author_papers_reminder_days)
    if start <= t.today <= due and authors:
        plan.add(
            name=AUTHOR_PAPERS,
            meeting=t.meeting,
            who=authors,
            key=f"{AUTHOR_PAPERS}:{t.stamp}",
            context={
                **t.ctx,
                "deadline": due.isoformat(),
                "deadline_text": _due_text(due),
                "action_url": links.author_papers_url(t.meeting),
            },
        )


def _plan_deadline_warnings(plan: _Plan, t: _Timing, secretariat: list[Addressee]) -> None:
    """Secretariat: notice and papers deadlines near and not met, then missed."""
    meeting = t.meeting
    facts = {dl.NOTICE: meeting.notice_given_at, dl.PAPERS: meeting.papers_dispatched_at}
    for key, fact in facts.items():
        if fact is not None or t.today > meeting.date:
            continue
        if key == dl.NOTICE and not dl.notice_applies_to(t.rules, meeting.kind):
            continue  # e.g. an M&SE ordinary meeting: no notice period to warn about
        context = {
            **t.ctx,
            "deadline_key": key,
            "deadline_label": dl.label(key, t.rules),
            "deadline": t.due[key].isoformat(),
            "deadline_text": _due_text(t.due[key]),
            "action_url": links.secretariat_meeting_url(meeting),
        }
        start = t.cal.working_days_before(t.due[key], t.rules.secretariat_deadline_warning_days)
        if start <= t.today <= t.due[key]:
            name = DEADLINE_NEAR
        elif t.today > t.due[key]:
            name = DEADLINE_MISSED
        else:
            continue
        plan.add(
            name=name,
            meeting=meeting,
            who=secretariat,
            key=f"{name}:{key}:{t.stamp}",
            context=context,
            group_extra=key,
        )


def _plan_minutes_due(plan: _Plan, t: _Timing, secretariat: list[Addressee]) -> None:
    """Secretariat: draft minutes due for circulation."""
    meeting = t.meeting
    minutes_due = t.due[dl.MINUTES]
    start = t.cal.working_days_before(minutes_due, t.rules.minutes_reminder_days)
    if (
        meeting.minutes_circulated_at is None
        and t.today > meeting.date
        and max(start, meeting.date + dt.timedelta(days=1)) <= t.today <= minutes_due
    ):
        plan.add(
            name=MINUTES_DUE,
            meeting=meeting,
            who=secretariat,
            key=f"{MINUTES_DUE}:{t.stamp}",
            context={
                **t.ctx,
                "deadline": minutes_due.isoformat(),
                "deadline_text": _due_text(minutes_due),
                "action_url": links.secretariat_meeting_url(meeting),
            },
        )


def plan_reminders(now: dt.datetime | None = None) -> list[int]:
    """Queue every reminder due today that is not yet in the outbox; returns the new ids."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    meetings = _meetings_in_window(today)
    if not meetings:
        return []
    calendars = _calendars()
    committee_ids = {m.committee_id for m in meetings}
    members = _members_wanting_reminders(committee_ids, today)
    staff = _secretariat_by_committee(committee_ids)
    authors = report_authors_for([m.pk for m in meetings])
    plan = _Plan()
    for meeting in meetings:
        t = _timing(meeting, calendars, today)
        secretariat = staff.get(meeting.committee_id, [])
        _plan_item_request(plan, t, members.get(meeting.committee_id, []))
        _plan_author_papers(plan, t, authors.get(meeting.pk, []))
        _plan_deadline_warnings(plan, t, secretariat)
        _plan_minutes_due(plan, t, secretariat)
    return plan.queue()
