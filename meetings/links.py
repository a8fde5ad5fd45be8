"""Absolute links put in emails, in one place so other parts of the product can change them."""

from __future__ import annotations

from django.urls import reverse

from communications.mail import absolute_url as absolute


def request_item_url(meeting) -> str:
    """Where a member asks for an agenda item (the members' portal builds the page)."""
    return absolute(reverse("portal_meetings:request_item", args=[meeting.pk]))


def member_meeting_url(meeting) -> str:
    return absolute(reverse("portal_meetings:meeting", args=[meeting.pk]))


def secretariat_meeting_url(meeting) -> str:
    return absolute(reverse("meetings_admin:meeting", args=[meeting.committee.slug, meeting.pk]))


def author_papers_url(meeting) -> str:
    """Where a report author sends papers; the secretariat's meeting page until a portal exists."""
    return member_meeting_url(meeting)
