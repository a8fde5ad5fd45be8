"""The published Register of Members' Interests of a committee (K&M ToR 11.4.2): no sign-in."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from committees.models import Committee
from icp_secretariat.lib.dates import SafeDateInputField
from members.interests import end_of_day, parse_as_of, register_for


class AsOfForm(forms.Form):
    """The date the register is shown as it stood: day, month and year boxes (`as_of_0..2`), or
    one ISO value (`?as_of=2025-03-31`, the form of the open-data link)."""

    as_of = SafeDateInputField(
        label="See the register as it stood on a date",
        help_text="For example, 31 3 2025",
        required=False,
        any_year=True,
        error_messages={"invalid": "Enter a real date as day, month and year"},
    )


def _as_of(request) -> tuple:
    form = AsOfForm(request.GET)
    if not form.is_valid():
        error = form.errors["as_of"][0]
        return None, f"That is not a date ({error}). Showing the register now."
    day = form.cleaned_data["as_of"]
    # The future check (and a date typed as one ISO value) as the open-data API has it.
    return parse_as_of(day.isoformat() if day else None)


def register(request, slug: str):
    committee = get_object_or_404(Committee, slug=slug, is_active=True)
    day, problem = _as_of(request)
    when = end_of_day(day) if day else timezone.now()
    return render(
        request,
        "members/register.html",
        {
            "committee": committee,
            "register": register_for(committee, when),
            "as_of": day,
            "as_of_problem": problem,
            "as_of_form": AsOfForm(initial={"as_of": day}, auto_id="%s"),
            "today": timezone.localdate(),
        },
    )
