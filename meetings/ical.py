"""iCalendar invitations for meetings: one stable UID per meeting, SEQUENCE up on each move."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

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
        event.add("location", meeting.place)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    description = [f"{meeting.committee.name}: {meeting.get_kind_display().lower()} meeting."]
    if meeting.urgent_reason:
        description.append(f"Called at short notice because: {meeting.urgent_reason}")
    if method == CANCEL:
        description.append(f"Cancelled. {meeting.cancellation_reason}".strip())
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("organizer", f"mailto:{organiser_email or settings.DEFAULT_FROM_EMAIL}")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def ics_attachment(meeting, *, method: str = REQUEST) -> dict[str, str]:
    """The outbox attachment record for the invitation or cancellation."""
    return {
        "filename": "cancel.ics" if method == CANCEL else "invite.ics",
        "content": meeting_ics(meeting, method=method),
        "mimetype": f"text/calendar; method={method}",
    }
