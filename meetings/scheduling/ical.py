"""iCalendar for meetings: invitations (one stable UID per meeting, SEQUENCE up on each move)
and the calendar feeds that the public site and the members' portal serve."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event

from icp_secretariat.lib.clean_input import clean_text
from icp_secretariat.lib.ical import vtimezone

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def meeting_uid(meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "icp-secretariat.local"
    return f"meeting-{meeting.pk}@{host}"


def meeting_ics(meeting, *, method: str = REQUEST, organiser_email: str | None = None) -> str:
    """The .ics text for a meeting: an invitation (REQUEST) or its cancellation (CANCEL)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
    end_time = meeting.end_time or (start + dt.timedelta(hours=2)).time()
    end = dt.datetime.combine(meeting.date, end_time, tzinfo=tz)
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//ICP Secretariat//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{meeting.committee.display_short_name} meeting")
    if meeting.place:
        event.add("location", clean_text(meeting.place, multiline=False))
    if meeting.online_link:
        event.add("url", meeting.online_link)
    description = [f"{meeting.committee.name}: {meeting.get_kind_display().lower()} meeting."]
    if meeting.urgent_reason:
        description.append(f"Called at short notice because: {meeting.urgent_reason}")
    if method == CANCEL:
        description.append(f"Cancelled. {meeting.cancellation_reason}".strip())
    event.add("description", clean_text("\n".join(description)))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("organizer", f"mailto:{organiser_email or settings.DEFAULT_FROM_EMAIL}")
    cal.add_component(event)
    _add_timezone(cal, [meeting.date])
    return cal.to_ical().decode()


def _add_timezone(cal: Calendar, days) -> None:
    """The VTIMEZONE first, one observance per change (no multi-valued RDATE: ical.js)."""
    cal.subcomponents.insert(0, vtimezone(settings.TIME_ZONE, days))


def ics_attachment(meeting, *, method: str = REQUEST) -> dict[str, str]:
    """The outbox attachment record for the invitation or cancellation. The outbox sends it as
    a `text/calendar; method=...` alternative part with the recipient as ATTENDEE."""
    return {
        "filename": "cancel.ics" if method == CANCEL else "invite.ics",
        "content": meeting_ics(meeting, method=method),
        "mimetype": f"text/calendar; method={method}",
    }


# How far back a subscribed calendar reaches: a year of past meetings is plenty for a calendar.
PAST_DAYS = 400


def meeting_event(meeting, *, url: str) -> Event:
    """One VEVENT for a meeting: the same UID as the emailed invitation, so calendars merge."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
    end_time = meeting.end_time or (start + dt.timedelta(hours=2)).time()
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", dt.datetime.combine(meeting.date, end_time, tzinfo=tz))
    event.add("summary", f"{meeting.committee.display_short_name} meeting")
    if meeting.is_public and meeting.venue:
        event.add("location", clean_text(meeting.venue, multiline=False))
    event.add("url", url)
    lines = [f"{meeting.committee.name}: {meeting.get_kind_display().lower()} meeting."]
    if not meeting.is_public:
        lines.append("Held in private.")
    if meeting.is_cancelled:
        lines.append(f"Cancelled. {meeting.cancellation_reason}".strip())
    lines.append(f"Agenda and papers: {url}")
    event.add("description", clean_text("\n".join(lines)))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_response(name: str, meetings, *, url_for) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//ICP Secretariat//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    days = []
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url=url_for(meeting)))
        days.append(meeting.date)
    _add_timezone(cal, days)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
