"""The secretariat's Part 2 review screen: each Part 2 item with its review date; re-publish as
Part 1 or extend the review date, each with the reason (meetings.minutes.part2_review)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from committees.models import Committee
from icp_secretariat.lib.dates import SafeDateField
from meetings import access
from meetings.errors import ConductError
from meetings.minutes import part2_review
from meetings.models import AgendaItem, Part2Review

PAGE_SIZE = 20


class RepublishForm(forms.Form):
    reason = forms.CharField(
        label="Why the ground no longer applies",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Say why the item can now be public."},
    )


class ExtendForm(forms.Form):
    new_date = SafeDateField(
        label="New review date",
        help_text="For example, 31 3 2027",
        error_messages={
            "required": "Give the new review date as day, month and year.",
            "invalid": "Enter the new review date as day, month and year, for example 31 3 2027.",
        },
    )
    reason = forms.CharField(
        label="Why the ground still applies",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Say why the item stays private."},
    )


def _committee(request, slug: str) -> Committee:
    committee = Committee.objects.filter(slug=slug).first()
    if committee is None or not access.is_secretariat(request.user, committee):
        raise Http404("No such committee")
    return committee


@login_required
def reviews(request, slug: str):
    committee = _committee(request, slug)
    today = timezone.localdate()
    taken = part2_review.part2_items(committee, today=today)
    # Soonest review first, a page at a time: the items due come first, and the list does not
    # grow with the committee's history.
    page = Paginator(taken, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        # Each item's own extend form, for ids of its own (the date boxes are drawn in its row).
        item.extend_form = ExtendForm(auto_id=f"extend-{item.pk}-%s")
    history = (
        Part2Review.objects.filter(item__agenda__meeting__committee=committee)
        .select_related("item__agenda__meeting", "by")
        .order_by("-at")[:50]
    )
    return render(
        request,
        "meetings/part2_reviews.html",
        {
            "committee": committee,
            "items": items,
            "page_obj": page,
            "due": taken.filter(part2_review_date__lte=today).count(),
            "to_come": part2_review.part2_items_to_come(committee, today=today),
            "today": today,
            "history": history,
        },
    )


def _item(request, slug: str, item_id: int) -> tuple[Committee, AgendaItem]:
    committee = _committee(request, slug)
    item = get_object_or_404(
        AgendaItem.objects.select_related("agenda__meeting"),
        pk=item_id,
        agenda__meeting__committee=committee,
    )
    return committee, item


def _errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def republish(request, slug: str, item_id: int):
    committee, item = _item(request, slug, item_id)
    form = RepublishForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            part2_review.republish_item(
                item=item, reason=form.cleaned_data["reason"], by=request.user
            )
        except ConductError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Item {item.number} of {item.agenda.meeting.date:%-d %B %Y} is now Part 1: its "
                "papers and decisions are public, and a new version of the public pack and the "
                "minutes is on its way.",
            )
    return redirect(reverse("record:part2_reviews", args=[committee.slug]))


@login_required
@require_POST
def extend(request, slug: str, item_id: int):
    committee, item = _item(request, slug, item_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            part2_review.extend_review(
                item=item,
                new_date=form.cleaned_data["new_date"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ConductError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Item {item.number} stays private; review date extended.")
    return redirect(reverse("record:part2_reviews", args=[committee.slug]))
