"""Demo data: a year of Kent and Medway and Mid and South Essex meetings around today.

Shows every deadline state (met, missed, upcoming, short notice, cancelled) and fills the
communications page (sent notices, one failure). Idempotent: a committee that already has
meetings is left alone; a committee missing from the demo is skipped.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from committees.calendars import calendar_for
from committees.models import Committee, OfficeKind
from communications.mail import Recipient, queue_bulk
from communications.models import OutboxMessage
from meetings.models import Meeting, MeetingChange
from meetings.scheduling import deadlines as dl
from meetings.scheduling.ical import REQUEST, ics_attachment
from meetings.scheduling.selectors import meeting_recipients
from meetings.scheduling.services import NOTICE_MESSAGE, meeting_context
from members.models import Office

VENUES = {
    "kent-medway-icp": ["Sessions House, County Hall, Maidstone", "Gun Wharf, Chatham"],
    "mid-south-essex-icp": ["Civic Centre, Southend-on-Sea", "County Hall, Chelmsford"],
}


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _on_working_day(day: dt.date, calendar) -> dt.date:
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


@transaction.atomic
def load(today: dt.date | None = None) -> list[Meeting]:
    today = today or timezone.localdate()
    made: list[Meeting] = []
    for slug, venues in VENUES.items():
        committee = Committee.objects.select_related("rules").filter(slug=slug).first()
        if committee is None or not hasattr(committee, "rules") or committee.meetings.exists():
            continue
        made += _committee_year(committee, venues, today)
    return made


def _committee_year(committee: Committee, venues: list[str], today: dt.date) -> list[Meeting]:
    rules = committee.rules
    calendar = calendar_for(rules)
    km = committee.slug == "kent-medway-icp"
    step = 8 if km else 9  # weeks: K&M about every two months, M&SE a little less often
    offset = 0 if km else 3
    days = [
        _on_working_day(today + dt.timedelta(weeks=step * n + offset, days=1), calendar)
        for n in range(-3, 4)
    ]
    meetings = []
    for n, day in enumerate(days):
        meeting = Meeting.objects.create(
            committee=committee,
            date=day,
            start_time=dt.time(14 if km else 10),
            end_time=dt.time(16 if km else 12),
            venue=venues[n % len(venues)],
            online_link="https://meet.example.org/" + committee.slug if n % 2 else "",
        )
        MeetingChange.objects.create(
            meeting=meeting,
            kind=MeetingChange.Kind.SCHEDULED,
            new_date=day,
            new_start_time=meeting.start_time,
            at=_at(day - dt.timedelta(days=120)),
        )
        meetings.append(meeting)
        due = dl.deadline_dates(day, rules, calendar)
        past = day < today
        if due[dl.NOTICE] < today or past:
            meeting.notice_given_at = _at(due[dl.NOTICE])
        if past:
            meeting.papers_dispatched_at = _at(due[dl.PAPERS], 16)
            if due[dl.MINUTES] < today:
                meeting.minutes_circulated_at = _at(due[dl.MINUTES] - dt.timedelta(days=1))
        meeting.save()

    past = [m for m in meetings if m.date < today]
    future = [m for m in meetings if m.date >= today]
    if km and past:
        # The one missed deadline: the papers of the latest K&M meeting went out a day late.
        last = past[-1]
        late = dl.deadline_dates(last.date, rules, calendar)[dl.PAPERS]
        last.papers_dispatched_at = _at(calendar.next_working_day(late), 11)
        last.save()
    if km and len(future) > 2:
        cancelled = future[2]
        cancelled.status = Meeting.Status.CANCELLED
        cancelled.cancellation_reason = "No decisions due; business moved to the next meeting."
        cancelled.notice_given_at = None
        cancelled.save()
        MeetingChange.objects.create(
            meeting=cancelled,
            kind=MeetingChange.Kind.CANCELLED,
            old_date=cancelled.date,
            old_start_time=cancelled.start_time,
            reason=cancelled.cancellation_reason,
        )
    if km and past:
        # An urgent meeting called at short notice (K&M ToR 7.3), before the meetings the demo
        # records, agreed by the Leadership Team ("Where possible this will be agreed by the
        # Leadership Team") on the day notice was given.
        day = _on_working_day(past[0].date - dt.timedelta(days=14), calendar)
        notice = calendar.working_days_before(day, 2)
        urgent = Meeting.objects.create(
            committee=committee,
            date=day,
            start_time=dt.time(9),
            end_time=dt.time(10),
            online_link="https://meet.example.org/km-urgent",
            kind=Meeting.Kind.URGENT,
            urgent_reason="Winter pressures: the partners must agree the surge plan before the "
            "next ordinary meeting.",
            notice_given_at=_at(notice),
            papers_dispatched_at=_at(notice, 16),
            minutes_circulated_at=_at(calendar.add_working_days(day, 5)),
            leadership_agreed_on=notice,
        )
        team = Office.objects.current(notice).filter(
            committee=committee, kind=OfficeKind.LEADERSHIP_TEAM
        )
        urgent.leadership_agreed_by.set([o.person_id for o in team])
        meetings.append(urgent)
    if not km and past:
        # An extraordinary meeting between two ordinary ones: M&SE, Conduct & Operation, "A
        # minimum of five working days' notice will be given when calling an extraordinary
        # meeting" (working days: the ToR does not say clear), papers four working days before.
        day = _on_working_day(past[-1].date + dt.timedelta(days=10), calendar)
        if day < today:
            due = dl.deadline_dates(day, rules, calendar)
            extraordinary = Meeting.objects.create(
                committee=committee,
                date=day,
                start_time=dt.time(9),
                end_time=dt.time(10),
                online_link="https://meet.example.org/mse-extraordinary",
                kind=Meeting.Kind.EXTRAORDINARY,
                notice_given_at=_at(due[dl.NOTICE]),
                papers_dispatched_at=_at(due[dl.PAPERS]),
            )
            meetings.append(extraordinary)

    _outbox(committee, [m for m in meetings if m.notice_given_at])
    return meetings


def _outbox(committee: Committee, meetings: list[Meeting]) -> None:
    """Notices as sent mail, with one failure, so the communications page has real entries."""
    first_failure = True
    for meeting in meetings:
        people = meeting_recipients(meeting, on=meeting.notice_given_at.date())
        recipients = [
            Recipient(
                m.email,
                m.person.full_name,
                f"demo-notice:{meeting.pk}:{m.email.lower()}",
            )
            for m in people
        ] or [
            Recipient(
                f"members@{committee.slug}.example.org",
                f"{committee.display_short_name} members",
                f"demo-notice:{meeting.pk}:members",
            )
        ]
        pks = queue_bulk(
            recipients=recipients,
            name=NOTICE_MESSAGE,
            context={**meeting_context(meeting), "is_update": False, "change_reason": ""},
            committee=committee,
            meeting=meeting,
            attachments=[ics_attachment(meeting, method=REQUEST)],
            send_after=meeting.notice_given_at,
            # One mailing of the day the notice was given, as if queued then (not today).
            mailing=f"{NOTICE_MESSAGE}:m{meeting.pk}:{timezone.localdate(meeting.notice_given_at)}",
        )
        rows = OutboxMessage.objects.filter(pk__in=pks)
        rows.update(
            state=OutboxMessage.State.SENT,
            created_at=meeting.notice_given_at,
            sent_at=meeting.notice_given_at,
            attempts=1,
        )
        if first_failure and pks and meeting.date >= timezone.localdate():
            first_failure = False
            OutboxMessage.objects.filter(pk=pks[0]).update(
                state=OutboxMessage.State.FAILED,
                sent_at=None,
                attempts=1,
                last_error="SMTPRecipientsRefused: 550 5.1.1 Recipient address rejected: "
                "mailbox unavailable",
            )
