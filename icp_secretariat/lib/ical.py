"""iCalendar that every calendar reads the same way (issue 16, point 10).

- `vtimezone`: the VTIMEZONE block with one observance per change of offset (a DTSTART each, no
  RDATE at all). `icalendar` lists the changes as one multi-valued RDATE, of which Mozilla's
  ical.js (Thunderbird, Nextcloud) reads only the first value: winter meetings showed an hour
  early. Only the years the calendar needs are listed.
- `personalise`: an invitation or cancellation with the ATTENDEE that RFC 5546 requires for
  REQUEST and CANCEL, for the one person the message goes to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vCalAddress, vText


def vtimezone(tzid: str, days: Iterable[dt.date]) -> Timezone:
    """The VTIMEZONE for `tzid` covering `days` (from the year before the first to two years
    after the last), one STANDARD or DAYLIGHT observance per transition."""
    days = list(days) or [dt.date.today()]
    first = dt.date(min(days).year - 1, 1, 1)
    last = dt.date(max(days).year + 2, 12, 31)
    source = Timezone.from_tzinfo(ZoneInfo(tzid), tzid=tzid, first_date=first, last_date=last)
    timezone = Timezone()
    timezone.add("tzid", tzid)
    observances = []
    for observance in source.subcomponents:
        rdates = observance.pop("RDATE", None)
        starts = [observance.decoded("DTSTART")]
        for rdate in rdates if isinstance(rdates, list) else [rdates] if rdates else []:
            starts.extend(d.dt for d in rdate.dts)
        for start in starts:
            one = type(observance)()
            one.add("dtstart", start)
            for name in ("TZNAME", "TZOFFSETFROM", "TZOFFSETTO"):
                if name in observance:
                    one[name] = observance[name]
            observances.append((start, one))
    for _start, one in sorted(observances, key=lambda pair: pair[0]):
        timezone.add_component(one)
    return timezone


def personalise(ics: str, *, email: str, name: str = "") -> str:
    """`ics` (a REQUEST or CANCEL) with an ATTENDEE for this recipient in each event."""
    calendar = Calendar.from_ical(ics)
    for event in calendar.walk("VEVENT"):
        attendee = vCalAddress(f"mailto:{email}")
        if name:
            attendee.params["CN"] = vText(name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("FALSE")
        event.pop("ATTENDEE", None)
        event.add("attendee", attendee, encode=0)
    return calendar.to_ical().decode()


def method_of(mimetype: str) -> str:
    """ "text/calendar; method=REQUEST" -> "REQUEST"; "" when it is not a calendar."""
    kind, _, params = mimetype.partition(";")
    if kind.strip().lower() != "text/calendar":
        return ""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "method":
            return value.strip().upper()
    return ""
