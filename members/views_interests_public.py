"""The published Register of Members' Interests of a committee (K&M ToR 11.4.2): no sign-in."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from committees.models import Committee
from members.interests import end_of_day, register_for


def parse_as_of(value: str | None) -> tuple[dt.date | None, str]:
    """`?as_of=YYYY-MM-DD` as a date, or (None, message) when it is not a usable date."""
    if not value:
        return None, ""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None, f"'{value}' is not a date: use the form 2025-03-31. Showing the register now."
    if day > timezone.localdate():
        return None, "That date is in the future. Showing the register now."
    return day, ""


def register(request, slug: str):
    committee = get_object_or_404(Committee, slug=slug, is_active=True)
    day, problem = parse_as_of(request.GET.get("as_of"))
    when = end_of_day(day) if day else timezone.now()
    return render(
        request,
        "members/register.html",
        {
            "committee": committee,
            "register": register_for(committee, when),
            "as_of": day,
            "as_of_problem": problem,
            "today": timezone.localdate(),
        },
    )
