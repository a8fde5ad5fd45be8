"""Absolute links put in emails, in one place so other parts of the product can change them."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def request_item_url(meeting) -> str:
    """Where a member asks for an agenda item (the members' portal builds the page)."""
    try:
        return absolute(reverse("portal:request_item", args=[meeting.pk]))
    except NoReverseMatch:
        return absolute(f"/my/meetings/{meeting.pk}/request-item/")


def member_meeting_url(meeting) -> str:
    try:
        return absolute(reverse("portal:meeting", args=[meeting.pk]))
    except NoReverseMatch:
        return absolute(f"/my/meetings/{meeting.pk}/")


def secretariat_meeting_url(meeting) -> str:
    return absolute(reverse("meetings_admin:meeting", args=[meeting.committee.slug, meeting.pk]))


def author_papers_url(meeting) -> str:
    """Where a report author sends papers; the secretariat's meeting page until a portal exists."""
    return member_meeting_url(meeting)
