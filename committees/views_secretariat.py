"""Secretariat screens: the dashboard, and creating and editing committees."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from committees import services
from committees.forms import CommitteeForm, RetentionRuleForm
from committees.models import RetentionLog, RetentionRule, Role
from committees.selectors import (
    committees_for_secretariat,
    get_committee_for_secretariat,
    is_staff_user,
)
from committees.views_common import run_service


@login_required
def dashboard(request):
    today = dt.date.today()
    current = Q(memberships__start__lte=today) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gte=today)
    )
    committees = (
        committees_for_secretariat(request.user)
        .select_related("rules")
        .annotate(
            current_members=Count("memberships", filter=current & Q(memberships__role=Role.MEMBER))
        )
    )
    return render(
        request,
        "secretariat/dashboard.html",
        {
            "committees": committees,
            "is_staff_user": is_staff_user(request.user),
        },
    )


@login_required
def committee_detail(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    return render(request, "secretariat/committee.html", {"committee": committee})


@login_required
def committee_create(request):
    if not is_staff_user(request.user):
        raise Http404("Not found")
    form = CommitteeForm(request.POST or None)
    if request.method == "POST":
        committee = run_service(
            form, lambda data: services.create_committee(created_by=request.user, **data)
        )
        if committee:
            messages.success(request, f"Committee “{committee}” created with the default rules.")
            return redirect("secretariat:committee", slug=committee.slug)
    return render(
        request,
        "secretariat/form.html",
        {
            "form": form,
            "title": "Add a committee",
            "back_url": reverse("secretariat:dashboard"),
            "submit": "Add committee",
        },
    )


@login_required
def committee_edit(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    form = CommitteeForm(request.POST or None, instance=committee)
    if request.method == "POST":
        # The form already wrote its values onto the instance; the service re-validates and saves.
        saved = run_service(
            form, lambda data: services.update_committee(committee=form.instance, **data)
        )
        if saved:
            messages.success(request, f"Committee “{saved}” saved.")
            return redirect("secretariat:committee", slug=saved.slug)
    return render(
        request,
        "secretariat/form.html",
        {
            "form": form,
            "title": f"Edit {committee}",
            "back_url": reverse("secretariat:committee", args=[slug]),
            "submit": "Save committee",
        },
    )


@login_required
def retention_edit(request, slug: str):
    """The committee's retention rule, and what the retention job last removed (issue 19)."""
    committee = get_committee_for_secretariat(request.user, slug)
    rule = RetentionRule.objects.filter(committee=committee).first() or RetentionRule(
        committee=committee
    )
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST":
        saved = run_service(form, lambda data: services.save_retention_rule(rule=form.instance))
        if saved:
            messages.success(request, "Retention rule saved.")
            return redirect("secretariat:committee", slug=slug)
    return render(
        request,
        "secretariat/retention.html",
        {
            "form": form,
            "committee": committee,
            "title": "Public record and personal data",
            "logs": RetentionLog.objects.filter(committee=committee)[:30],
        },
    )
