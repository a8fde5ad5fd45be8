"""Secretariat screens for the shared directory: organisations and places.

Any secretariat officer or staff member manages these; they are not specific to one committee.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from committees import services
from committees.forms import OrganisationForm, PlaceForm
from committees.models import Organisation, Place
from committees.views_common import directory_manager_required, list_context, run_service


@directory_manager_required
def organisation_list(request):
    rows = [
        {
            "url": reverse("secretariat:organisation_edit", args=[o.pk]),
            "cells": [
                o.name,
                o.short_name,
                o.get_kind_display(),
                o.governance_contact_name or o.governance_contact_email or "None",
            ],
        }
        for o in Organisation.objects.order_by("name")
    ]
    return render(
        request,
        "secretariat/list.html",
        list_context(
            title="Organisations",
            columns=["Name", "Short name", "Kind", "Governance contact"],
            rows=rows,
            add_url=reverse("secretariat:organisation_create"),
            add_label="Add an organisation",
        ),
    )


@directory_manager_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST":
        org = run_service(form, lambda data: services.create_organisation(**data))
        if org:
            messages.success(request, f"Organisation “{org}” added.")
            return redirect("secretariat:organisation_list")
    return _form(request, form, "Add an organisation", "Add organisation")


@directory_manager_required
def organisation_edit(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST":
        saved = run_service(
            form, lambda data: services.update_organisation(organisation=form.instance, **data)
        )
        if saved:
            messages.success(request, f"Organisation “{saved}” saved.")
            return redirect("secretariat:organisation_list")
    return _form(request, form, f"Edit {org}", "Save organisation")


def _form(request, form, title: str, submit: str, back: str = "secretariat:organisation_list"):
    return render(
        request,
        "secretariat/form.html",
        {"form": form, "title": title, "submit": submit, "back_url": reverse(back)},
    )


@directory_manager_required
def place_list(request):
    rows = [
        {
            "url": reverse("secretariat:place_edit", args=[p.pk]),
            "cells": [p.name, p.get_kind_display()],
        }
        for p in Place.objects.order_by("name")
    ]
    return render(
        request,
        "secretariat/list.html",
        list_context(
            title="Places",
            columns=["Name", "Kind"],
            rows=rows,
            add_url=reverse("secretariat:place_create"),
            add_label="Add a place",
        ),
    )


@directory_manager_required
def place_create(request):
    form = PlaceForm(request.POST or None)
    if request.method == "POST":
        place = run_service(form, lambda data: services.create_place(**data))
        if place:
            messages.success(request, f"Place “{place}” added.")
            return redirect("secretariat:place_list")
    return _form(request, form, "Add a place", "Add place", "secretariat:place_list")


@directory_manager_required
def place_edit(request, pk: int):
    place = get_object_or_404(Place, pk=pk)
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST":
        saved = run_service(form, lambda data: services.update_place(place=form.instance, **data))
        if saved:
            messages.success(request, f"Place “{saved}” saved.")
            return redirect("secretariat:place_list")
    return _form(request, form, f"Edit {place}", "Save place", "secretariat:place_list")
