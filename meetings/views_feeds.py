"""Feeds: iCalendar per committee and per meeting, the personal calendar, and the Atom feed of
newly published documents per committee.

Calendars carry the meeting's date, time, place and a link; never an agenda line, so no Part 2
title can reach a calendar. The Atom feed lists `meetings.publications` as the public sees them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event

from committees.models import Committee
from icp_secretariat.lib.public_cache import public_page
from meetings import access
from meetings.ical import meeting_uid
from meetings.links import absolute
from meetings.models import Meeting
from meetings.publications import recent_publications

# How far back a subscribed calendar reaches: a year of past meetings is plenty for a calendar.
PAST_DAYS = 400


def meeting_event(meeting: Meeting, *, url: str) -> Event:
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
        event.add("location", meeting.venue)
    event.add("url", url)
    lines = [f"{meeting.committee.name}: {meeting.get_kind_display().lower()} meeting."]
    if not meeting.is_public:
        lines.append("Held in private.")
    if meeting.is_cancelled:
        lines.append(f"Cancelled. {meeting.cancellation_reason}".strip())
    lines.append(f"Agenda and papers: {url}")
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_response(name: str, meetings, *, url_for) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//ICP Secretariat//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url=url_for(meeting)))
    cal.add_missing_timezones()
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def _public_meetings(qs):
    since = timezone.localdate() - dt.timedelta(days=PAST_DAYS)
    return (
        qs.filter(is_public=True, committee__is_active=True, date__gte=since)
        .select_related("committee")
        .order_by("date", "start_time")
    )


@public_page
def committee_calendar(request, slug: str):
    committee = get_object_or_404(Committee, slug=slug, is_active=True)
    meetings = _public_meetings(Meeting.objects.filter(committee=committee))
    return calendar_response(
        f"{committee.display_short_name} meetings",
        meetings,
        url_for=lambda m: absolute(m.get_absolute_url()),
    )


@public_page
def meeting_calendar(request, slug: str, meeting_id: int):
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if meeting.committee.slug != slug or not meeting.is_public:
        raise Http404("No such meeting")
    return calendar_response(
        str(meeting), [meeting], url_for=lambda m: absolute(m.get_absolute_url())
    )


class CommitteeDocumentsFeed(Feed):
    """Newly published documents of one committee (Atom)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return get_object_or_404(Committee, slug=slug, is_active=True)

    def title(self, obj):
        return f"{obj.name}: newly published documents"

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return f"Agendas, papers and other documents published by the {obj.name}."

    def items(self, obj):
        return recent_publications(committee=obj, limit=50)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return absolute(f"{item.url}#{item.kind}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.published

    def item_categories(self, item):
        return [item.kind]


committee_documents_feed = public_page(CommitteeDocumentsFeed())
