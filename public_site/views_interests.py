"""The published Register of Members' Interests of a committee (K&M ToR 11.4.2): no sign-in."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from committees.models import Committee
from members.interests import end_of_day, parse_as_of, register_for


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
