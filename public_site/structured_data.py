"""schema.org Event data for a meeting page (JSON-LD), so search engines show date and place."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from meetings.links import absolute

# As django.utils.html.json_script does: nothing in the data can close the <script> element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def meeting_json_ld(meeting, *, show_place: bool) -> SafeString:
    """The Event object for `meeting`. `show_place` is False for a meeting held in private
    when the reader may not see its details: then only the date and time are given."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
    committee = meeting.committee
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{committee.name} meeting",
        "startDate": start.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if meeting.is_cancelled
        else "https://schema.org/EventScheduled",
        "url": absolute(meeting.get_absolute_url()),
        "isAccessibleForFree": True,
        "organizer": {
            "@type": "Organization",
            "name": committee.name,
            "url": absolute(committee.get_absolute_url()),
        },
    }
    if meeting.end_time:
        data["endDate"] = dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=tz).isoformat()
    locations = []
    if show_place and meeting.venue:
        locations.append({"@type": "Place", "name": meeting.venue, "address": meeting.venue})
    # Online: the public webcast. A meeting held online only (no venue) is a VirtualLocation
    # even without a webcast: its page, since the members' joining link is not public.
    online = meeting.webcast_link or ("" if meeting.venue else meeting.online_link and data["url"])
    if show_place and online:
        locations.append({"@type": "VirtualLocation", "url": online})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
        modes = {loc["@type"] for loc in locations}
        data["eventAttendanceMode"] = (
            "https://schema.org/MixedEventAttendanceMode"
            if len(modes) == 2
            else "https://schema.org/OnlineEventAttendanceMode"
            if "VirtualLocation" in modes
            else "https://schema.org/OfflineEventAttendanceMode"
        )
    if not meeting.is_public:
        data["description"] = "Held in private."
    return mark_safe(json.dumps(data).translate(_ESCAPES))
