"""Secretariat screens for people (the secretariat of a committee they sit on, or an
administrator: `people_editable_by`) and for one committee's
memberships and offices (that committee's secretariat or a superuser)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from committees.selectors import get_committee_for_secretariat
from committees.views_common import directory_manager_required, list_context, run_service
from members import selectors, services
from members.forms import MembershipForm, OfficeForm, PersonForm
from members.models import Membership, Office

PEOPLE_PER_PAGE = 50


@directory_manager_required
def person_list(request):
    """The directory, a page at a time (people are kept for years after they leave: the list
    grows with the committees' history), and found by any word of a name, job title or email."""
    q = " ".join(request.GET.get("q", "").split())[:100]
    people = selectors.people_editable_by(request.user)
    for word in q.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(honorific__icontains=word)
            | Q(job_title__icontains=word)
            | Q(email__icontains=word)
        )
    page = Paginator(people.order_by("last_name", "first_name", "pk"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "url": reverse("secretariat:person_edit", args=[p.pk]),
            "cells": [p.full_name, p.job_title, p.email, "Yes" if p.user_id else "No"],
        }
        for p in page.object_list
    ]
    return render(
        request,
        "secretariat/list.html",
        list_context(
            title="People",
            columns=["Name", "Job title", "Email", "Can sign in"],
            rows=rows,
            add_url=reverse("secretariat:person_create"),
            add_label="Add a person",
            search={
                "q": q,
                "label": "Find a person",
                "hint": "Any part of a name, job title or email.",
            },
            page_obj=page,
            empty_text=f"Nobody matches “{q}”." if q else "None yet.",
        ),
    )


@directory_manager_required
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        person = run_service(form, lambda data: services.create_person(**data))
        if person:
            messages.success(request, f"{person} added.")
            return redirect("secretariat:person_list")
    return _form(request, form, "Add a person", "Add person", reverse("secretariat:person_list"))


@directory_manager_required
def person_edit(request, pk: int):
    # Only the secretariat of a committee the person sits on, or an administrator (else 404).
    person = get_object_or_404(selectors.people_editable_by(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST":
        saved = run_service(form, lambda data: services.update_person(person=form.instance, **data))
        if saved:
            messages.success(request, f"{saved} saved.")
            return redirect("secretariat:person_list")
    return _form(request, form, f"Edit {person}", "Save person", reverse("secretariat:person_list"))


def _form(request, form, title: str, submit: str, back_url: str, committee=None):
    return render(
        request,
        "secretariat/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back_url": back_url,
            "committee": committee,
        },
    )


@login_required
def membership_list(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    show_past = request.GET.get("show") == "all"
    rows = [
        {
            "url": reverse("secretariat:membership_edit", args=[slug, m.pk]),
            "cells": [
                m.person.full_name,
                m.get_role_display(),
                m.seat_title,
                m.organisation or "",
                m.start.strftime("%-d %b %Y"),
                m.end.strftime("%-d %b %Y") if m.end else "",
            ],
        }
        for m in selectors.memberships_for_secretariat(committee, include_past=show_past)
    ]
    return render(
        request,
        "secretariat/list.html",
        list_context(
            title=f"{'All' if show_past else 'Current'} memberships of {committee}",
            columns=["Name", "Role", "Seat", "Organisation", "Start", "End"],
            rows=rows,
            committee=committee,
            add_url=reverse("secretariat:membership_create", args=[slug]),
            add_label="Add a membership",
            toggle_url=f"?show={'current' if show_past else 'all'}",
            toggle_label="Show current only" if show_past else "Include past memberships",
        ),
    )


@login_required
def membership_create(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    form = MembershipForm(request.POST or None, instance=Membership(committee=committee))
    if request.method == "POST":
        membership = run_service(
            form, lambda data: services.create_membership(committee=committee, **data)
        )
        if membership:
            messages.success(request, f"{membership.person} added to {committee}.")
            return redirect("secretariat:membership_list", slug=slug)
    back = reverse("secretariat:membership_list", args=[slug])
    return _form(request, form, "Add a membership", "Add membership", back, committee)


@login_required
def membership_edit(request, slug: str, pk: int):
    committee = get_committee_for_secretariat(request.user, slug)
    membership = get_object_or_404(Membership, pk=pk, committee=committee)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST":
        saved = run_service(
            form, lambda data: services.update_membership(membership=form.instance, **data)
        )
        if saved:
            messages.success(request, f"Membership of {saved.person} saved.")
            return redirect("secretariat:membership_list", slug=slug)
    back = reverse("secretariat:membership_list", args=[slug])
    title = f"Edit membership: {membership.person}"
    return _form(request, form, title, "Save membership", back, committee)


@login_required
def office_list(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    rows = [
        {
            "url": reverse("secretariat:office_edit", args=[slug, o.pk]),
            "cells": [
                o.get_kind_display(),
                o.person.full_name,
                o.start.strftime("%-d %b %Y"),
                o.end.strftime("%-d %b %Y") if o.end else "",
            ],
        }
        for o in selectors.offices_for_secretariat(committee)
    ]
    rotation = selectors.chair_rotation(committee, timezone.localdate())
    return render(
        request,
        "members/office_list.html",
        list_context(
            title=f"Offices of {committee}",
            columns=["Office", "Held by", "From", "To"],
            rows=rows,
            committee=committee,
            add_url=reverse("secretariat:office_create", args=[slug]),
            add_label="Add an office holder",
            rotation=rotation,
            rotation_current_seat=rotation.seat_title(rotation.current) if rotation else "",
            rotation_next_seat=rotation.seat_title(rotation.next_due) if rotation else "",
        ),
    )


@login_required
@require_POST
def office_next_chair(request, slug: str):
    """Record the next Chair term the rotation calls for (K&M ToR 6.3)."""
    committee = get_committee_for_secretariat(request.user, slug)
    try:
        office = services.record_next_chair_term(committee=committee, on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{office} recorded.")
    return redirect("secretariat:office_list", slug=slug)


@login_required
def office_create(request, slug: str):
    committee = get_committee_for_secretariat(request.user, slug)
    form = OfficeForm(request.POST or None, instance=Office(committee=committee))
    if request.method == "POST":
        office = run_service(form, lambda data: services.create_office(committee=committee, **data))
        if office:
            messages.success(request, f"{office} recorded.")
            return redirect("secretariat:office_list", slug=slug)
    back = reverse("secretariat:office_list", args=[slug])
    return _form(request, form, "Add an office holder", "Add office holder", back, committee)


@login_required
def office_edit(request, slug: str, pk: int):
    committee = get_committee_for_secretariat(request.user, slug)
    office = get_object_or_404(Office, pk=pk, committee=committee)
    form = OfficeForm(request.POST or None, instance=office)
    if request.method == "POST":
        saved = run_service(form, lambda data: services.update_office(office=form.instance, **data))
        if saved:
            messages.success(request, f"{saved} saved.")
            return redirect("secretariat:office_list", slug=slug)
    back = reverse("secretariat:office_list", args=[slug])
    return _form(request, form, f"Edit office: {office}", "Save office", back, committee)
