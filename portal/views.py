"""Members' pages (signed in): a person's committees, and their own register of interests.

A person only ever sees and changes their own entries; anything else is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from members import interests as svc
from members.errors import InterestError
from members.forms_interests import EndInterestForm, InterestForm
from members.models import Confirmation, Interest, Membership, Person


def _person(request) -> Person:
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404("No member record for this account")
    return person


def _own_interest(request, pk: int) -> Interest:
    return get_object_or_404(Interest, pk=pk, person=_person(request))


@login_required
def interests(request):
    person = _person(request)
    entries = list(person.interests.select_related("organisation").order_by("-start_date", "pk"))
    last = person.confirmations.order_by("-confirmed_at", "-pk").first()
    today = timezone.localdate()
    # The register covers Members and Participants (K&M ToR 11.4.2); an observer or attendee
    # is asked for no confirmation (as "Due from you" on the portal's home page).
    on_register = (
        Membership.objects.current(today)
        .filter(person=person, role__in=svc.REGISTER_ROLES)
        .exists()
    )
    overdue = on_register and svc.confirmation_overdue(
        last_confirmed=timezone.localdate(last.confirmed_at) if last else None, today=today
    )
    current = [e for e in entries if e.is_current(today) or e.start_date > today]
    past = [e for e in entries if e not in current]
    return render(
        request,
        "portal/interests.html",
        {
            "person": person,
            "current": current,
            "past": past,
            "last_confirmation": last,
            "overdue": overdue,
            "on_register": on_register,
        },
    )


@login_required
def declare(request):
    person = _person(request)
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interest = svc.declare_interest(person=person, by=request.user, **form.cleaned_data)
        except InterestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _sent_message(interest))
            return redirect("portal:interests")
    return render(request, "portal/interest_form.html", {"form": form, "interest": None})


@login_required
def edit(request, pk: int):
    interest = _own_interest(request, pk)
    initial = {
        "category": interest.category,
        "involved": interest.involved,
        "organisation": interest.organisation_id,
        "description": interest.description,
        "start_date": interest.start_date,
        "end_date": interest.end_date,
        "changed_on": timezone.localdate(),
    }
    form = InterestForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            svc.update_interest(interest=interest, by=request.user, **form.cleaned_data)
        except InterestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _sent_message(interest))
            return redirect("portal:interests")
    return render(request, "portal/interest_form.html", {"form": form, "interest": interest})


@login_required
def end(request, pk: int):
    interest = _own_interest(request, pk)
    form = EndInterestForm(
        request.POST or None,
        began=interest.start_date,
        initial={"end_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.end_interest(
                interest=interest, end_date=form.cleaned_data["end_date"], by=request.user
            )
        except InterestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _sent_message(interest))
            return redirect("portal:interests")
    return render(request, "portal/interest_end.html", {"form": form, "interest": interest})


def _sent_message(interest: Interest) -> str:
    text = "Your entry has been sent to the secretariat for review before it is published."
    if interest.is_late:
        text += (
            " It was declared more than 28 days after the interest began or changed, so it is "
            "marked as late."
        )
    return text


@login_required
@require_POST
def nil_return(request):
    person = _person(request)
    try:
        svc.submit_nil_return(person=person, by=request.user)
    except InterestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your nil return is recorded: you have no interests to declare.")
    return redirect("portal:interests")


@login_required
def confirm(request):
    """The page the annual confirmation email links to; one button confirms."""
    person = _person(request)
    if request.method == "POST":
        svc.confirm_register(person=person, by=request.user)
        messages.success(request, "Thank you. Your confirmation is recorded.")
        return redirect("portal:interests")
    entries = list(person.interests.select_related("organisation").order_by("-start_date"))
    today = timezone.localdate()
    current = [e for e in entries if e.end_date is None or e.end_date >= today]
    last: Confirmation | None = person.confirmations.order_by("-confirmed_at").first()
    return render(
        request,
        "portal/interests_confirm.html",
        {"person": person, "current": current, "last_confirmation": last},
    )
