"""Feeds: iCalendar per committee and per meeting, the personal calendar, and the Atom feed of
newly published documents per committee.

Calendars carry the meeting's date, time, place and a link; never an agenda line, so no Part 2
title can reach a calendar. The Atom feed lists `public_site.publications` as the public sees them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from committees.models import Committee
from icp_secretariat.lib.clean_input import safe_feed
from icp_secretariat.lib.public_cache import public_page
from meetings import access
from meetings.links import absolute
from meetings.models import Meeting
from meetings.scheduling.ical import PAST_DAYS, calendar_response
from public_site.publications import recent_publications


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

    feed_type = safe_feed(Atom1Feed)

    def get_object(self, request, slug: str):
        return get_object_or_404(Committee, slug=slug, is_active=True)

    def title(self, obj):
        return f"{obj.name}: newly published documents"

    def link(self, obj):
        return obj.get_absolute_url()

    def author_name(self, obj):
        return f"{obj.name} secretariat"

    def author_link(self, obj):
        return absolute(obj.get_absolute_url())

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
