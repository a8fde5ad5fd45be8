"""Reporting after a meeting, included with one line on the meeting's secretariat page: the
minutes presented to the statutory partners and the key messages."""

from __future__ import annotations

from django import template

from meetings.minutes.key_messages import key_messages_panel
from meetings.minutes.reporting import partners_panel

register = template.Library()


@register.inclusion_tag("meetings/meeting_reporting.html", takes_context=True)
def meeting_reporting(context, meeting):
    return {
        "meeting": meeting,
        "partners": partners_panel(meeting),
        "key_messages": key_messages_panel(meeting),
        "csrf_token": context.get("csrf_token"),
    }
