"""Secretariat screens for the register: review queue, withholding, late entries, campaigns.

A user reviews the entries of people who are members or participants of a committee they are
secretariat of; anything else is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from committees.models import Committee
from members import interests as svc
from members.errors import InterestError
from members.forms_interests import CampaignForm, WithholdForm
from members.models import Interest


def _staff_committees(request):
    committees = svc.committees_for_staff(request.user)
    if not committees.exists():
        raise Http404("Not secretariat of any committee")
    return committees


def _interest(request, pk: int) -> Interest:
    interest = svc.interest_for_staff(request.user, pk)
    if interest is None:
        raise Http404("No such entry")
    return interest


def _committee(request, slug: str) -> Committee:
    return get_object_or_404(svc.committees_for_staff(request.user), slug=slug)


@login_required
def index(request):
    committees = _staff_committees(request)
    return render(
        request,
        "members/interests_admin/index.html",
        {
            "committees": committees.order_by("name"),
            "queue": list(svc.review_queue(request.user)),
            "late": list(svc.late_declarations(request.user)[:50]),
        },
    )


@login_required
def review(request, pk: int):
    interest = _interest(request, pk)
    published = (
        interest.history.filter(state=Interest.State.PUBLISHED)
        .order_by("-history_date", "-history_id")
        .first()
    )
    changes = list(
        interest.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    return render(
        request,
        "members/interests_admin/review.html",
        {
            "interest": interest,
            "published": published,
            "changes": changes,
            "withhold_form": WithholdForm(),
        },
    )


@login_required
@require_POST
def publish(request, pk: int):
    interest = _interest(request, pk)
    svc.publish_interest(interest=interest, by=request.user)
    messages.success(request, f"Published: {interest.person} – {interest.involved}.")
    return redirect("interests_admin:index")


@login_required
@require_POST
def withhold(request, pk: int):
    interest = _interest(request, pk)
    form = WithholdForm(request.POST)
    if form.is_valid():
        svc.withhold_interest(
            interest=interest, reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(request, f"Withheld from publication: {interest.person}'s entry.")
        return redirect("interests_admin:index")
    changes = list(
        interest.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    return render(
        request,
        "members/interests_admin/review.html",
        {"interest": interest, "published": None, "changes": changes, "withhold_form": form},
        status=400,
    )


@login_required
def committee(request, slug: str):
    committee = _committee(request, slug)
    status = svc.confirmation_status(committee)
    not_confirmed = [r for r in status["rows"] if r.overdue]
    return render(
        request,
        "members/interests_admin/committee.html",
        {
            "committee": committee,
            "campaign": status["campaign"],
            "rows": status["rows"],
            "not_confirmed": not_confirmed,
            "form": CampaignForm(),
        },
    )


@login_required
@require_POST
def start_campaign(request, slug: str):
    committee = _committee(request, slug)
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            campaign = svc.start_confirmation_campaign(
                committee=committee,
                due_date=form.cleaned_data["due_date"],
                reminder_every_days=form.cleaned_data["reminder_every_days"],
                by=request.user,
            )
        except InterestError as exc:
            form.add_error(None, str(exc))
        else:
            asked = campaign.requests.count()
            emailed = campaign.requests.filter(invited=True).count()
            messages.success(
                request,
                f"Confirmation campaign started: {emailed} of {asked} people emailed.",
            )
            return redirect("interests_admin:committee", slug=committee.slug)
    status = svc.confirmation_status(committee)
    return render(
        request,
        "members/interests_admin/committee.html",
        {
            "committee": committee,
            "campaign": status["campaign"],
            "rows": status["rows"],
            "not_confirmed": [r for r in status["rows"] if r.overdue],
            "form": form,
        },
        status=400,
    )
