"""Secretariat screens for one committee's rules and seats (its secretariat or a superuser)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from committees import selectors, services
from committees.forms import (
    CommitteeRulesForm,
    OfficeEligibilityFormSet,
    Part2GroundFormSet,
    PresidingFallbackFormSet,
    QuorumConditionFormSet,
    SeatForm,
)
from committees.models import CommitteeRules, RuleTopic, Seat
from committees.selectors import get_committee_for_secretariat
from committees.views_common import add_validation_error, list_context, run_service
from icp_secretariat.lib.dates import SafeDateInputField


@login_required
def rules_edit(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    rules, _ = CommitteeRules.objects.get_or_create(committee=committee)
    data = request.POST or None
    form = CommitteeRulesForm(data, instance=rules)
    kwargs = {"form_kwargs": {"committee": committee}}
    formsets = {
        "conditions": QuorumConditionFormSet(data, instance=rules, prefix="conditions", **kwargs),
        "eligibility": OfficeEligibilityFormSet(
            data, instance=rules, prefix="eligibility", **kwargs
        ),
        "fallbacks": PresidingFallbackFormSet(data, instance=rules, prefix="fallbacks", **kwargs),
        "grounds": Part2GroundFormSet(data, instance=committee, prefix="grounds", **kwargs),
    }
    if request.method == "POST":
        all_valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        if all_valid:
            to_save, to_delete = [], []
            for fs in formsets.values():
                to_save.extend(fs.save(commit=False))
                to_delete.extend(fs.deleted_objects)
            try:
                services.update_committee_rules(
                    rules=form.instance,
                    changes=form.cleaned_data,
                    save=to_save,
                    delete=to_delete,
                    save_m2m=[fs.save_m2m for fs in formsets.values()],
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, f"Rules of {committee} saved.")
                return redirect("secretariat:committee", slug=committee.slug)
    return render(
        request,
        "secretariat/rules_form.html",
        {
            "committee": committee,
            "form": form,
            "formsets": [
                (
                    "Quorum conditions",
                    "Beyond the head count, for example at least one "
                    "member from each statutory partner (K&M ToR 8.1).",
                    formsets["conditions"],
                ),
                (
                    "Who may hold each office",
                    "For each office the Terms of Reference restrict, the seats whose holders "
                    "may hold it, the paragraph and its words, quoted when anyone else is named "
                    "(K&M ToR 6.3: the Chair is the Leader of KCC or of Medway Council). An "
                    "office with no row may be held by any Member. A rotating Chair rotates "
                    "between the seats eligible for Chair, in seat order.",
                    formsets["eligibility"],
                ),
                (
                    "Who presides when the Chair cannot",
                    "In order: each row names an office, a seat, or the other seat in the "
                    "Chair's rotation (K&M ToR 6.8: the other Local Authority leader, then the "
                    "ICB Chair).",
                    formsets["fallbacks"],
                ),
                (
                    "Grounds for taking business in private (Part 2)",
                    "As the Terms of Reference list them.",
                    formsets["grounds"],
                ),
            ],
            "back_url": reverse("secretariat:committee", args=[committee.slug]),
        },
    )


@login_required
def seat_list(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    seats = Seat.objects.filter(committee=committee).select_related("organisation", "place")
    rows = [
        {
            "url": reverse("secretariat:seat_edit", args=[slug, s.pk]),
            "cells": [
                s.title,
                s.reference,
                s.get_role_display(),
                s.organisation or "",
                s.place or "",
            ],
        }
        for s in seats
    ]
    return render(
        request,
        "secretariat/list.html",
        list_context(
            title=f"Seats on {committee}",
            columns=["Seat", "ToR", "Role", "Organisation", "Place"],
            rows=rows,
            committee=committee,
            add_url=reverse("secretariat:seat_create", args=[slug]),
            add_label="Add a seat",
        ),
    )


@login_required
def seat_create(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    form = SeatForm(request.POST or None, instance=Seat(committee=committee))
    if request.method == "POST":
        seat = run_service(form, lambda data: services.create_seat(committee=committee, **data))
        if seat:
            messages.success(request, f"Seat “{seat}” added.")
            return redirect("secretariat:seat_list", slug=slug)
    return _seat_form(request, committee, form, "Add a seat", "Add seat")


@login_required
def seat_edit(request, slug: str, pk: int):
    committee = get_committee_for_secretariat(request.user, slug)
    seat = get_object_or_404(Seat, pk=pk, committee=committee)
    form = SeatForm(request.POST or None, instance=seat)
    if request.method == "POST":
        saved = run_service(form, lambda data: services.update_seat(seat=form.instance, **data))
        if saved:
            messages.success(request, f"Seat “{saved}” saved.")
            return redirect("secretariat:seat_list", slug=slug)
    return _seat_form(request, committee, form, f"Edit seat: {seat}", "Save seat")


def _seat_form(request, committee, form, title: str, submit: str):
    return render(
        request,
        "secretariat/form.html",
        {
            "form": form,
            "committee": committee,
            "title": title,
            "submit": submit,
            "back_url": reverse("secretariat:seat_list", args=[committee.slug]),
        },
    )


class RulesOnForm(forms.Form):
    # Any year: a query, not a stored date (a date before the first record shows "No rules").
    date = SafeDateInputField(
        label="Show the rules in force on",
        help_text="For example, 27 3 2024",
        any_year=True,
        error_messages={
            "required": "Enter the date as day, month and year",
            "invalid": "Enter a real date, for example 27 3 2024",
        },
    )


def _display(record, name: str) -> str:
    field = CommitteeRules._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None or value == "":
        return "Not set"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value)


@login_required
def rules_on(request, slug: str):
    """The committee's rules as they stood on a past date, from their history (K&M ToR 14.1 and
    M&SE "Review": the Terms of Reference are reviewed, so the rules change)."""
    committee = get_committee_for_secretariat(request.user, slug)
    form = RulesOnForm(request.GET or None)
    ctx: dict = {"committee": committee, "form": form}
    if form.is_valid():
        day = form.cleaned_data["date"]
        record = selectors.rules_on(committee, day)
        current = CommitteeRules.objects.filter(committee=committee).first()
        ctx["day"] = day
        ctx["record"] = record
        ctx["tor_version"] = selectors.tor_version_on(committee, day)
        if record is None:
            first = selectors.first_rules_record(committee)
            ctx["first_recorded"] = first.history_date if first else None
        else:
            names = ["notice_applies_to", "agenda_agreed_by", "tor_version", "tor_version_from"]
            names = [n for n in CommitteeRulesForm.Meta.fields if n not in names] + names
            # Seat lists (many-to-many) have no history of their own yet: only what the record holds.
            names = [n for n in names if not CommitteeRules._meta.get_field(n).many_to_many]
            ctx["rows"] = [
                {
                    "label": str(CommitteeRules._meta.get_field(n).verbose_name).capitalize(),
                    "then": _display(record, n),
                    "now": _display(current, n) if current else "",
                }
                for n in names
            ]
            then_refs = record.references or {}
            now_refs = (current.references or {}) if current else {}
            ctx["references"] = [
                {
                    "label": topic.label,
                    "then": then_refs.get(topic.value, "") or "Not set",
                    "now": now_refs.get(topic.value, "") or "Not set",
                }
                for topic in RuleTopic
            ]
    return render(request, "secretariat/rules_on.html", ctx)
