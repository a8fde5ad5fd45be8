"""Members' pages: request an agenda item; the Chair's pages: agree the agenda, decide requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meetings import access
from meetings.agenda import services, supplementary
from meetings.agenda.forms import DecisionForm, ItemRequestForm, ReturnAgendaForm, WithholdForm
from meetings.agenda.rules import classify_item_request
from meetings.agenda.views import agenda_items
from meetings.errors import AgendaError
from meetings.models import Agenda, ItemRequest, Meeting, PaperWithholding
from members.models import Person


@login_required
def request_item(request, meeting_id: int):
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if not access.committee_access(request.user, meeting.committee_id).member:
        raise Http404("No such meeting")
    deadlines = services.request_deadlines(meeting)
    today = timezone.localdate()
    timing_now = classify_item_request(submitted_on=today, urgent=True, deadlines=deadlines)
    form = ItemRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_item_request(meeting=meeting, by=request.user, **form.cleaned_data)
        except AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Your request has been sent to the Chair. You will be emailed the decision.",
            )
            return redirect("portal_meetings:request_item", meeting.pk)
    mine = ItemRequest.objects.filter(meeting=meeting, requested_by=request.user).select_related(
        "deferred_to"
    )
    return render(
        request,
        "meetings/request_item.html",
        {
            "meeting": meeting,
            "form": form,
            "deadlines": deadlines,
            "closed": not timing_now.accepted,
            "closed_message": timing_now.message,
            "urgent_only": timing_now.timing == "urgent",
            "mine": mine,
        },
    )


@login_required
def agenda_agreement(request, meeting_id: int):
    """The Chair reads the agenda as it stands and agrees it or returns it with comments."""
    meeting = access.get_meeting_for_officer(request.user, meeting_id)
    agenda = Agenda.objects.filter(meeting=meeting).first()
    if agenda is None:
        raise Http404("No agenda yet")
    status, agreements = services.agreement_rows(agenda)
    me = Person.objects.filter(user=request.user).values_list("pk", flat=True).first()
    supplement = supplementary.awaiting_supplement(agenda)
    return render(
        request,
        "meetings/agenda_agreement.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "items": list(agenda_items(agenda)),
            "return_form": ReturnAgendaForm(),
            "can_return": access.can_agree_agenda(request.user, meeting),
            "can_agree": me in status.outstanding,
            "agreements": agreements,
            "agreement_status": status,
            "agreement_rule": services.agreement_rule_text(meeting),
            "supplement": supplement,
            "supplement_rows": supplementary.proposed_rows(supplement) if supplement else [],
        },
    )


@login_required
@require_POST
def agenda_agree(request, meeting_id: int):
    meeting = access.get_meeting_for_officer(request.user, meeting_id)
    agenda = get_object_or_404(Agenda, meeting=meeting)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        agenda = services.agree_agenda(agenda=agenda, by=request.user, version=version)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        if agenda.state == Agenda.State.DISPATCHED:
            messages.success(request, "You have agreed the supplementary agenda.")
        elif agenda.state == Agenda.State.AGREED:
            messages.success(
                request, "You have agreed the agenda. The secretariat can now dispatch it."
            )
        else:
            messages.success(
                request,
                "You have agreed the agenda. It is agreed once everyone named below has agreed.",
            )
    return redirect("portal_meetings:agenda_agreement", meeting.pk)


@login_required
@require_POST
def agenda_return(request, meeting_id: int):
    meeting = access.get_meeting_for_officer(request.user, meeting_id)
    agenda = get_object_or_404(Agenda, meeting=meeting)
    form = ReturnAgendaForm(request.POST)
    comments = form.data.get("comments", "") if hasattr(form, "data") else ""
    try:
        services.return_agenda(agenda=agenda, by=request.user, comments=str(comments))
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The agenda has gone back to the secretariat with your comments.")
    return redirect("portal_meetings:agenda_agreement", meeting.pk)


@login_required
def chair_requests(request, meeting_id: int):
    meeting = access.get_meeting_for_officer(request.user, meeting_id)
    rows = list(
        ItemRequest.objects.filter(meeting=meeting)
        .select_related("requested_by", "deferred_to", "agenda_item", "decided_by")
        .order_by("state", "-submitted_at")
    )
    return render(
        request,
        "meetings/request_decisions.html",
        {
            "meeting": meeting,
            "rows": rows,
            "can_decide": access.can_agree_agenda(request.user, meeting),
        },
    )


@login_required
def decide_request(request, request_id: int):
    req = get_object_or_404(ItemRequest.objects.select_related("meeting"), pk=request_id)
    meeting: Meeting = access.get_meeting_for_officer(request.user, req.meeting_id)
    form = DecisionForm(request.POST or None, meeting=meeting, prefix=f"r{req.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_item_request(
                request=req,
                by=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                deferred_to=form.cleaned_data["deferred_to"],
            )
        except AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Decision recorded; the member has been emailed.")
            return redirect("portal_meetings:chair_requests", meeting.pk)
    return render(
        request, "meetings/request_decide.html", {"meeting": meeting, "req": req, "form": form}
    )


@login_required
def withhold(request, meeting_id: int):
    """The Chair withholds a Part 2 paper from a conflicted member (DOMAIN section 4)."""
    meeting = access.get_meeting_for_officer(request.user, meeting_id)
    form = WithholdForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.withhold_paper(by=request.user, **form.cleaned_data)
        except AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The paper is withheld from that person.")
            return redirect("portal_meetings:withhold", meeting.pk)
    rows = PaperWithholding.objects.filter(paper__item__agenda__meeting=meeting).select_related(
        "paper", "person", "decided_by"
    )
    return render(
        request, "meetings/paper_withholding.html", {"meeting": meeting, "form": form, "rows": rows}
    )
