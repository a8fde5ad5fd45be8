"""Writes about meetings on the calendar: schedule, reschedule, cancel, and issue the notice.

Each checks the committee's notice rule (K&M ToR 10.2.1) against the working-day calendar; an
urgent meeting (ToR 7.3) may have shorter notice when the reason is given, and the reason travels
with the notice. Mail is queued in the outbox and sent after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from committees.calendars import calendar_for
from committees.models import Committee
from communications.mail import Recipient, queue_bulk
from communications.models import OutboxMessage
from communications.services import send_soon
from icp_secretariat.lib.dates import out_of_range
from icp_secretariat.lib.workdays import WorkingCalendar
from meetings import links
from meetings.errors import MeetingError
from meetings.models import Meeting, MeetingChange
from meetings.scheduling.deadlines import earliest_compliant_date, notice_applies_to
from meetings.scheduling.ical import CANCEL, REQUEST, ics_attachment
from meetings.scheduling.rules import leadership_agreement_missing, leadership_agreement_problem
from meetings.scheduling.selectors import meeting_recipients
from members.models import Office, Person

NOTICE_MESSAGE = "notice"
CANCELLATION_MESSAGE = "meeting-cancelled"
REMINDER_PREFIX = "reminder-"


def _fmt(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def meeting_context(meeting: Meeting) -> dict[str, Any]:
    """Plain values every meeting email shows (stored with the outbox record)."""
    return {
        "committee_name": meeting.committee.name,
        "meeting_id": meeting.pk,
        "date": meeting.date.isoformat(),
        "date_text": _fmt(meeting.date),
        "start_time": meeting.start_time.strftime("%H:%M"),
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "venue": meeting.venue,
        "online_link": meeting.online_link,
        "kind": meeting.get_kind_display(),
        "is_public": meeting.is_public,
        "urgent_reason": meeting.urgent_reason,
        "meeting_url": links.member_meeting_url(meeting),
    }


def _sooner(rules, lead: str) -> str:
    """The way to meet sooner, where the committee's notice rule allows an urgent meeting at
    shorter notice (K&M ToR 10.2.1 and 7.3); M&SE's ToR has no such meeting."""
    if rules.notice_applies_to != rules.NoticeAppliesTo.ALL_BUT_URGENT:
        return ""
    return (
        f" {lead}, make it an urgent meeting and give the reason ({rules.cite('urgent_meeting')})."
    )


def _check_notice_possible(
    *, committee: Committee, date: dt.date, kind: str, urgent_reason: str, today: dt.date, calendar
) -> None:
    rules = committee.rules
    if kind == Meeting.Kind.URGENT:
        if not urgent_reason.strip():
            raise MeetingError(
                "Give the reason the meeting is urgent: it is recorded and shown with the notice "
                f"({rules.cite('urgent_meeting')})."
            )
        return
    if not notice_applies_to(rules, kind):
        # e.g. an M&SE ordinary meeting: it follows the published schedule.
        return
    deadline = calendar.deadline_before(date, rules.notice_days, rules.notice_counting)
    if today > deadline:
        earliest = earliest_compliant_date(today=today, rules=rules, calendar=calendar)
        raise MeetingError(
            f"Notice of a meeting on {_fmt(date)} had to be given by {_fmt(deadline)} "
            f"({rules.notice_days} {rules.get_notice_counting_display()}, "
            f"{rules.cite('notice')}). The earliest date "
            f"you can give full notice for is {_fmt(earliest)}.{_sooner(rules, 'To meet sooner')}"
        )


def _check_details(
    *,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time | None,
    venue: str,
    online_link: str,
    today: dt.date,
) -> None:
    if date < today:
        raise MeetingError(f"{_fmt(date)} is in the past: choose a date from today onwards.")
    if out_of_range(date):
        raise MeetingError(f"{out_of_range(date)}.")
    if end_time is not None and end_time <= start_time:
        raise MeetingError("The end time must be after the start time.")
    if not (venue.strip() or online_link.strip()):
        raise MeetingError("Give a venue, an online link, or both.")


@transaction.atomic
def schedule_meeting(
    *,
    committee: Committee,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time | None = None,
    venue: str = "",
    online_link: str = "",
    kind: str = Meeting.Kind.ORDINARY,
    is_public: bool = True,
    urgent_reason: str = "",
    by=None,
    today: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Meeting:
    """Put a meeting on the calendar, refusing a date too close for the notice rule."""
    today = today or timezone.localdate()
    calendar = calendar or calendar_for(committee.rules)
    _check_details(
        date=date,
        start_time=start_time,
        end_time=end_time,
        venue=venue,
        online_link=online_link,
        today=today,
    )
    _check_notice_possible(
        committee=committee,
        date=date,
        kind=kind,
        urgent_reason=urgent_reason,
        today=today,
        calendar=calendar,
    )
    meeting = Meeting.objects.create(
        committee=committee,
        date=date,
        start_time=start_time,
        end_time=end_time,
        venue=venue,
        online_link=online_link,
        kind=kind,
        is_public=is_public,
        urgent_reason=urgent_reason if kind == Meeting.Kind.URGENT else "",
    )
    MeetingChange.objects.create(
        meeting=meeting,
        kind=MeetingChange.Kind.SCHEDULED,
        new_date=date,
        new_start_time=start_time,
        by=by,
    )
    return meeting


@transaction.atomic
def reschedule_meeting(
    *,
    meeting: Meeting,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time | None,
    venue: str,
    online_link: str,
    reason: str,
    kind: str | None = None,
    urgent_reason: str | None = None,
    by=None,
    today: dt.date | None = None,
) -> Meeting:
    """Move a meeting. Its deadlines follow the new date; reminders for the old date are
    cancelled; if notice had been given, an updated notice (same UID, next SEQUENCE) goes out."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee__rules")
        .get(pk=meeting.pk)
    )
    today = today or timezone.localdate()
    if meeting.is_cancelled:
        raise MeetingError("This meeting is cancelled; schedule a new meeting instead.")
    if not reason.strip():
        raise MeetingError("Give the reason for the change: it is kept with the meeting.")
    kind = kind or meeting.kind
    urgent_reason = meeting.urgent_reason if urgent_reason is None else urgent_reason
    _check_details(
        date=date,
        start_time=start_time,
        end_time=end_time,
        venue=venue,
        online_link=online_link,
        today=today,
    )
    _check_notice_possible(
        committee=meeting.committee,
        date=date,
        kind=kind,
        urgent_reason=urgent_reason,
        today=today,
        calendar=calendar_for(meeting.committee.rules),
    )
    old_date, old_time = meeting.date, meeting.start_time
    had_notice = meeting.notice_given_at is not None
    meeting.date, meeting.start_time, meeting.end_time = date, start_time, end_time
    meeting.venue, meeting.online_link, meeting.kind = venue, online_link, kind
    meeting.urgent_reason = urgent_reason if kind == Meeting.Kind.URGENT else ""
    meeting.sequence += 1
    meeting.save()
    MeetingChange.objects.create(
        meeting=meeting,
        kind=MeetingChange.Kind.RESCHEDULED,
        old_date=old_date,
        old_start_time=old_time,
        new_date=date,
        new_start_time=start_time,
        reason=reason,
        by=by,
    )
    # Reminders name the old date: cancel those not yet sent; the planner makes new ones.
    OutboxMessage.objects.filter(
        meeting=meeting,
        state=OutboxMessage.State.QUEUED,
        message_name__startswith=REMINDER_PREFIX,
    ).update(state=OutboxMessage.State.CANCELLED)
    if had_notice:
        _send_notice(meeting=meeting, by=by, change_reason=reason)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, reason: str, by=None) -> Meeting:
    """Cancel a meeting, keep the reason, stop its unsent mail, and tell those who had notice."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee")
        .get(pk=meeting.pk)
    )
    if meeting.is_cancelled:
        raise MeetingError("This meeting is already cancelled.")
    if not reason.strip():
        raise MeetingError("Give the reason for cancelling: it is kept and sent with the notice.")
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = reason
    meeting.sequence += 1
    meeting.save()
    MeetingChange.objects.create(
        meeting=meeting,
        kind=MeetingChange.Kind.CANCELLED,
        old_date=meeting.date,
        old_start_time=meeting.start_time,
        reason=reason,
        by=by,
    )
    OutboxMessage.objects.filter(meeting=meeting, state=OutboxMessage.State.QUEUED).update(
        state=OutboxMessage.State.CANCELLED
    )
    had_notice = (
        OutboxMessage.objects.filter(
            meeting=meeting,
            message_name=NOTICE_MESSAGE,
            state__in=[OutboxMessage.State.SENT, OutboxMessage.State.SENDING],
        )
        .values_list("recipient", "recipient_name")
        .distinct()
        .order_by("recipient")
    )
    recipients = [
        Recipient(email, name, f"cancel:{meeting.pk}:{meeting.sequence}:{email.lower()}")
        for email, name in had_notice
    ]
    pks = queue_bulk(
        recipients=recipients,
        name=CANCELLATION_MESSAGE,
        context={**meeting_context(meeting), "cancellation_reason": reason},
        committee=meeting.committee,
        meeting=meeting,
        attachments=[ics_attachment(meeting, method=CANCEL)],
    )
    send_soon(pks)
    return meeting


@transaction.atomic
def issue_notice(*, meeting: Meeting, by=None, now: dt.datetime | None = None) -> list[int]:
    """Send the notice of the meeting to every current Member and Participant (ToR 10.2, 10.3).

    Refused once the notice deadline has passed unless the meeting is urgent (ToR 7.3).
    Returns the outbox ids queued.
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee__rules")
        .get(pk=meeting.pk)
    )
    now = now or timezone.now()
    today = timezone.localdate(now)
    if meeting.is_cancelled:
        raise MeetingError("This meeting is cancelled: there is nothing to give notice of.")
    if meeting.date < today:
        raise MeetingError("This meeting has already taken place.")
    rules = meeting.committee.rules
    deadline = calendar_for(rules).deadline_before(
        meeting.date, rules.notice_days, rules.notice_counting
    )
    if leadership_agreement_missing(
        required=rules.urgent_meeting_needs_leadership_agreement,
        kind=meeting.kind,
        agreed_by=meeting.leadership_agreed_by.count(),
        agreed_on=meeting.leadership_agreed_on,
        not_possible=meeting.leadership_not_possible,
    ):
        raise MeetingError(
            "Record the Leadership Team's agreement to this urgent meeting (who and when), or "
            f"why it was not possible, before giving notice ({rules.cite('urgent_meeting')})."
        )
    if (
        today > deadline
        and meeting.kind != Meeting.Kind.URGENT
        and notice_applies_to(rules, meeting.kind)
    ):
        raise MeetingError(
            f"Notice had to be given by {_fmt(deadline)} ({rules.notice_days} "
            f"{rules.get_notice_counting_display()} before the meeting, "
            f"{rules.cite('notice')}). Reschedule the meeting."
            f"{_sooner(rules, 'Or')}"
        )
    return _send_notice(meeting=meeting, by=by, now=now)


def _send_notice(*, meeting: Meeting, by=None, now=None, change_reason: str = "") -> list[int]:
    now = now or timezone.now()
    members = meeting_recipients(meeting, on=timezone.localdate(now))
    if not members:
        raise MeetingError(
            "No current Member or Participant has an email address: add them before giving notice."
        )
    recipients = [
        Recipient(
            m.email,
            m.person.full_name,
            f"notice:{meeting.pk}:{meeting.date}:{meeting.sequence}:{m.email.lower()}",
        )
        for m in members
    ]
    pks = queue_bulk(
        recipients=recipients,
        name=NOTICE_MESSAGE,
        context={
            **meeting_context(meeting),
            "is_update": meeting.sequence > 0,
            "change_reason": change_reason,
            # No mailing contradicts another: once the papers went, none "will follow".
            "papers_sent_on": _fmt(timezone.localtime(meeting.papers_dispatched_at).date())
            if meeting.papers_dispatched_at
            else "",
        },
        committee=meeting.committee,
        meeting=meeting,
        attachments=[ics_attachment(meeting, method=REQUEST)],
    )
    meeting.notice_given_at = now
    meeting.save(update_fields=["notice_given_at"])
    MeetingChange.objects.create(
        meeting=meeting,
        kind=MeetingChange.Kind.NOTICE,
        new_date=meeting.date,
        new_start_time=meeting.start_time,
        by=by,
        at=now,
        reason=f"Notice sent to {len(recipients)} Members and Participants.",
    )
    send_soon(pks)
    return pks


@transaction.atomic
def record_minutes_circulated(*, meeting: Meeting, at: dt.datetime | None = None) -> Meeting:
    """Record when draft minutes were circulated (the minutes work calls this)."""
    Meeting.objects.filter(pk=meeting.pk).update(minutes_circulated_at=at or timezone.now())
    meeting.refresh_from_db()
    return meeting


def leadership_team(meeting: Meeting) -> list[Person]:
    """The members of the Leadership Team on the meeting's date, who may agree it is urgent."""
    ids = (
        Office.objects.current(meeting.date)
        .filter(committee_id=meeting.committee_id, kind="leadership_team")
        .values_list("person_id", flat=True)
    )
    return list(Person.objects.filter(pk__in=list(ids)).order_by("last_name", "first_name"))


@transaction.atomic
def record_leadership_agreement(
    *,
    meeting: Meeting,
    agreed_by: list[Person],
    agreed_on: dt.date | None,
    not_possible: str = "",
    by=None,
) -> Meeting:
    """Record on an urgent meeting the Leadership Team's agreement (who, when) or why it was
    not possible (K&M ToR 7.3)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    rules = meeting.committee.rules
    if meeting.kind != Meeting.Kind.URGENT:
        raise MeetingError(
            "Only an urgent meeting called at short notice records the Leadership Team's "
            f"agreement ({rules.cite('urgent_meeting')})."
        )
    team = {p.pk for p in leadership_team(meeting)}
    strangers = [p for p in agreed_by if p.pk not in team]
    if strangers:
        raise MeetingError(
            f"{strangers[0].full_name} is not on the Leadership Team on "
            f"{_fmt(meeting.date)} ({rules.cite('leadership_team')})."
        )
    if agreed_on is not None and agreed_on > timezone.localdate():
        raise MeetingError("The date of the agreement cannot be in the future.")
    problem = leadership_agreement_problem(
        agreed_by=len(agreed_by), agreed_on=agreed_on, not_possible=not_possible
    )
    if problem:
        raise MeetingError(problem)
    meeting.leadership_agreed_on = agreed_on
    meeting.leadership_not_possible = (not_possible or "").strip()
    meeting.save(update_fields=["leadership_agreed_on", "leadership_not_possible"])
    meeting.leadership_agreed_by.set(agreed_by)
    return meeting
