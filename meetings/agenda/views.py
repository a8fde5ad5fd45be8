"""Secretariat screens: build the agenda, upload papers, send to the Chair, dispatch.

Only the secretariat of the meeting's committee gets these pages; anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from icp_secretariat.lib.params import whole_number
from meetings import access
from meetings.agenda import services, supplementary
from meetings.agenda.forms import AgendaItemForm, InvitationForm, PaperUploadForm
from meetings.errors import AgendaError
from meetings.models import (
    Agenda,
    AgendaItem,
    ItemRequest,
    Meeting,
    MeetingInvitation,
    Paper,
    PaperDownload,
    SupplementaryAgenda,
)
from meetings.scheduling import checks
from members.models import Person
from members.picklists import wants_everyone


def agenda_items(agenda):
    """Items with everything the page shows, in a fixed number of queries."""
    return (
        AgendaItem.objects.filter(agenda=agenda)
        .select_related("lead_organisation", "part2_ground")
        .prefetch_related(
            Prefetch(
                "papers",
                queryset=Paper.objects.defer("text", "html").order_by("pk"),
            )
        )
        .order_by("number")
    )


def _meeting(request, meeting_id: int) -> Meeting:
    return access.get_meeting_for_secretariat(request.user, meeting_id)


def _item(request, item_id: int) -> AgendaItem:
    item = get_object_or_404(
        AgendaItem.objects.select_related("agenda__meeting__committee"), pk=item_id
    )
    access.get_meeting_for_secretariat(request.user, item.agenda.meeting_id)
    return item


@login_required
def meetings_list(request):
    """The secretariat's meetings with where each agenda stands."""
    committees = list(request.user.secretariat_of.all())
    meetings = (
        Meeting.objects.filter(committee__in=committees)
        .select_related("committee", "committee__rules", "agenda")
        .order_by("-date")
    )
    if not committees and not request.user.is_superuser:
        raise Http404
    if request.user.is_superuser:
        meetings = Meeting.objects.select_related(
            "committee", "committee__rules", "agenda"
        ).order_by("-date")
    # Latest first, a page at a time: the list does not grow with history.
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    # A meeting to come whose papers have not gone out: when they are due, or that the
    # deadline is missed (one calendar a committee, no query per meeting).
    today = timezone.localdate()
    due = services.papers_due(page.object_list, today)
    for m in page.object_list:
        if m.pk in due:
            m.papers_due, m.papers_overdue = due[m.pk], due[m.pk] < today
    return render(
        request, "meetings/agenda_meetings.html", {"meetings": page.object_list, "page_obj": page}
    )


def _agreement_context(agenda: Agenda) -> dict:
    status, rows = services.agreement_rows(agenda)
    return {
        "agreement_status": status,
        "agreements": rows,
        "agreement_rule": services.agreement_rule_text(agenda.meeting),
        "outstanding": [r for r in rows if r.agreement is None],
    }


def _builder_context(request, meeting: Meeting) -> dict:
    agenda = meeting.agenda
    items = list(agenda_items(agenda))
    # Items move within their part: the first of a part has no "Up", the last no "Down".
    for part in (1, 2):
        in_part = [i for i in items if i.part == part]
        for i in in_part:
            i.can_move_up, i.can_move_down = i is not in_part[0], i is not in_part[-1]
    return {
        "meeting": meeting,
        "agenda": agenda,
        "items": items,
        "part1": [i for i in items if i.part == 1],
        "part2": [i for i in items if i.part == 2],
        "compliance": services.dispatch_compliance(meeting),
        **_agreement_context(agenda),
        "supplements": list(SupplementaryAgenda.objects.filter(agenda=agenda)),
        "to_announce": [p for p in services.papers_to_announce(meeting) if p.is_current]
        if agenda.state == Agenda.State.DISPATCHED
        else [],
        "pending_requests": ItemRequest.objects.filter(
            meeting=meeting, state=ItemRequest.State.PENDING
        ).count(),
    }


@login_required
def builder(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    if not Agenda.objects.filter(meeting=meeting).exists():
        # Starting an agenda writes rows, so it is a POST from this page (no writes on GET).
        return render(request, "meetings/agenda_start.html", {"meeting": meeting})
    ctx = _builder_context(request, meeting)
    if request.htmx:
        return render(request, "meetings/agenda_items_table.html", ctx)
    return render(request, "meetings/agenda_builder.html", ctx)


@login_required
@require_POST
def start(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    services.get_or_create_agenda(meeting=meeting)
    return redirect("agenda:builder", meeting.pk)


@login_required
def item_add(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    agenda = Agenda.objects.filter(meeting=meeting).first()
    if agenda is None:
        return redirect("agenda:builder", meeting.pk)
    form = AgendaItemForm(
        request.POST or None, committee=meeting.committee, everyone=wants_everyone(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(agenda=agenda, by=request.user, **form.cleaned_data)
        except AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Item {item.number} added.")
            return redirect("agenda:builder", meeting.pk)
    return render(
        request, "meetings/agenda_item_form.html", {"meeting": meeting, "form": form, "item": None}
    )


@login_required
def item_edit(request, item_id: int):
    item = _item(request, item_id)
    meeting = item.agenda.meeting
    form = AgendaItemForm(
        request.POST or None,
        instance=item,
        committee=meeting.committee,
        everyone=wants_everyone(request),
    )
    if request.method == "POST" and form.is_valid():
        # The ModelForm has written the values onto `item`; reload so the service compares.
        values = dict(form.cleaned_data)
        fresh = AgendaItem.objects.get(pk=item.pk)
        try:
            services.update_item(item=fresh, by=request.user, **values)
        except AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Item saved.")
            return redirect("agenda:builder", meeting.pk)
    return render(
        request, "meetings/agenda_item_form.html", {"meeting": meeting, "form": form, "item": item}
    )


@login_required
@require_POST
def item_delete(request, item_id: int):
    item = _item(request, item_id)
    meeting = item.agenda.meeting
    try:
        services.delete_item(item=item, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Item removed.")
    return redirect("agenda:builder", meeting.pk)


@login_required
@require_POST
def item_move(request, item_id: int):
    item = _item(request, item_id)
    meeting = item.agenda.meeting
    direction = request.POST.get("direction", "")
    error = None
    try:
        services.move_item(item=item, direction=direction, by=request.user)
    except AgendaError as exc:
        error = str(exc)
    if request.htmx:
        ctx = _builder_context(request, meeting)
        ctx["error"] = error
        ctx["moved"] = item.pk
        return render(request, "meetings/agenda_items_table.html", ctx)
    if error:
        messages.error(request, error)
    return redirect(reverse("agenda:builder", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def send_to_chair(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    try:
        services.send_to_chair(agenda=meeting.agenda, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The agenda has been sent for agreement to {services.agreement_rule_text(meeting)}.",
        )
    return redirect("agenda:builder", meeting.pk)


@login_required
@require_POST
def record_agreement(request, meeting_id: int):
    """The secretariat records an agreement given another way (by email, in person)."""
    meeting = _meeting(request, meeting_id)
    person_id = whole_number(request.POST.get("person"))
    person = Person.objects.filter(pk=person_id).first() if person_id is not None else None
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        if person is None:
            raise AgendaError("Choose who gave their agreement.")
        agenda = services.agree_agenda(
            agenda=meeting.agenda,
            by=request.user,
            version=version,
            person=person,
            note=request.POST.get("note", ""),
        )
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        done = " The agenda is agreed." if agenda.state == Agenda.State.AGREED else ""
        messages.success(request, f"{person.full_name}'s agreement is recorded.{done}")
    return redirect(reverse("agenda:builder", args=[meeting.pk]) + "#agreement")


@login_required
def dispatch(request, meeting_id: int):
    """GET or an unconfirmed POST shows the check page; its button (confirm=1) dispatches."""
    meeting = _meeting(request, meeting_id)
    if not Agenda.objects.filter(meeting=meeting).exists():
        return redirect("agenda:builder", meeting.pk)
    if not checks.confirmed(request):
        return checks.render_check(
            request,
            meeting=meeting,
            summary=services.dispatch_check(meeting),
            action=request.path,
            back=reverse("agenda:builder", args=[meeting.pk]),
        )
    try:
        services.dispatch_agenda(agenda=meeting.agenda, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "The agenda and papers have been sent to members and participants, and Part 1 "
            "is published.",
        )
    return redirect("agenda:builder", meeting.pk)


@login_required
def announce_papers(request, meeting_id: int):
    """Tell readers about the late and revised papers since the last time: one email each, after
    the check page (GET or an unconfirmed POST shows it)."""
    meeting = _meeting(request, meeting_id)
    if not Agenda.objects.filter(meeting=meeting).exists():
        return redirect("agenda:builder", meeting.pk)
    if not checks.confirmed(request):
        return checks.render_check(
            request,
            meeting=meeting,
            summary=services.papers_check(meeting),
            action=request.path,
            back=reverse("agenda:builder", args=[meeting.pk]),
        )
    try:
        sent = services.announce_papers(meeting=meeting, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{sent} readers are being told about the papers.")
    return redirect("agenda:builder", meeting.pk)


@login_required
def paper_upload(request, item_id: int):
    item = _item(request, item_id)
    meeting = item.agenda.meeting
    form = PaperUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.upload_paper(
                item=item,
                by=request.user,
                uploaded=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                reason=form.cleaned_data["reason"],
            )
        except AgendaError as exc:
            form.add_error("file" if "PDF" in str(exc) or "file" in str(exc) else None, str(exc))
        else:
            messages.success(
                request,
                f"Paper '{paper.title}' uploaded. It is being checked"
                + ("" if paper.source_format == "pdf" else " and converted to PDF")
                + "; the agenda shows it when it is ready.",
            )
            return redirect("agenda:builder", meeting.pk)
    return render(
        request,
        "meetings/paper_upload.html",
        {"meeting": meeting, "item": item, "form": form, "paper": None},
    )


@login_required
def item_papers(request, item_id: int):
    """The papers cell of one item: the builder polls it (htmx) while uploads are processing."""
    item = _item(request, item_id)
    item = agenda_items(item.agenda).get(pk=item.pk)
    return render(
        request, "meetings/agenda_item_papers.html", {"item": item, "agenda": item.agenda}
    )


@login_required
def paper_replace(request, paper_id: int):
    paper = get_object_or_404(
        Paper.objects.select_related("item__agenda__meeting__committee").defer("text", "html"),
        pk=paper_id,
    )
    item = paper.item
    meeting = access.get_meeting_for_secretariat(request.user, item.agenda.meeting_id)
    form = PaperUploadForm(request.POST or None, request.FILES or None, replacing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.replace_paper(
                paper=paper,
                by=request.user,
                uploaded=form.cleaned_data["file"],
                reason=form.cleaned_data["reason"],
                title=form.cleaned_data["title"],
            )
        except AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "New version uploaded. It replaces the current one once it has been processed.",
            )
            return redirect("agenda:builder", meeting.pk)
    return render(
        request,
        "meetings/paper_upload.html",
        {"meeting": meeting, "item": item, "form": form, "paper": paper},
    )


@login_required
@require_POST
def paper_withdraw(request, paper_id: int):
    paper = get_object_or_404(Paper.objects.select_related("item__agenda"), pk=paper_id)
    meeting = access.get_meeting_for_secretariat(request.user, paper.item.agenda.meeting_id)
    try:
        services.withdraw_paper(paper=paper, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Paper withdrawn.")
    return redirect("agenda:builder", meeting.pk)


@login_required
def requests_list(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    rows = (
        ItemRequest.objects.filter(meeting=meeting)
        .select_related("requested_by", "decided_by", "deferred_to", "agenda_item")
        .order_by("-submitted_at")
    )
    return render(request, "meetings/request_list.html", {"meeting": meeting, "rows": rows})


@login_required
def downloads_log(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    rows = (
        PaperDownload.objects.filter(paper__item__agenda__meeting=meeting)
        .select_related("paper", "paper__item", "user")
        .defer("paper__text")
        .order_by("-at")[:1000]
    )
    return render(request, "meetings/paper_downloads.html", {"meeting": meeting, "rows": rows})


@login_required
def invitations(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    form = InvitationForm(request.POST or None, committee=meeting.committee)
    if request.method == "POST" and form.is_valid():
        services.invite_to_meeting(
            meeting=meeting,
            person=form.cleaned_data["person"],
            part2=form.cleaned_data["part2"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, "Invitation recorded.")
        return redirect("agenda:invitations", meeting.pk)
    rows = MeetingInvitation.objects.filter(meeting=meeting).select_related("person")
    return render(
        request,
        "meetings/agenda_invitations.html",
        {"meeting": meeting, "form": form, "rows": rows},
    )


@login_required
@require_POST
def invitation_withdraw(request, meeting_id: int, invitation_id: int):
    """Withdraw an invitation made by mistake or no longer wanted (one of this meeting's)."""
    meeting = _meeting(request, meeting_id)
    invitation = get_object_or_404(
        MeetingInvitation.objects.select_related("person"), pk=invitation_id, meeting=meeting
    )
    services.withdraw_invitation(invitation=invitation, by=request.user)
    messages.success(request, f"{invitation.person} is no longer invited.")
    return redirect("agenda:invitations", meeting.pk)


# ---------------------------------------------------------------- supplementary agendas


def _supplement(request, meeting_id: int, number: int):
    meeting = _meeting(request, meeting_id)
    supplement = get_object_or_404(
        SupplementaryAgenda.objects.select_related("agenda"),
        agenda__meeting=meeting,
        number=number,
    )
    supplement.agenda.meeting = meeting
    return meeting, supplement


@login_required
@require_POST
def supplementary_raise(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    agenda = get_object_or_404(Agenda, meeting=meeting)
    try:
        supplement = supplementary.raise_supplement(agenda=agenda, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
        return redirect("agenda:builder", meeting.pk)
    return redirect("agenda:supplementary", meeting.pk, supplement.number)


@login_required
def supplementary_page(request, meeting_id: int, number: int):
    """The supplementary agenda: its proposed items, a form to add one, agreement, dispatch."""
    meeting, supplement = _supplement(request, meeting_id, number)
    form = AgendaItemForm(
        request.POST or None, committee=meeting.committee, everyone=wants_everyone(request)
    )
    open_ = supplement.state != SupplementaryAgenda.State.DISPATCHED
    if request.method == "POST" and open_ and form.is_valid():
        try:
            supplementary.propose_item(supplement=supplement, by=request.user, **form.cleaned_data)
        except AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Item added to the supplementary agenda.")
            return redirect("agenda:supplementary", meeting.pk, supplement.number)
    agenda = supplement.agenda
    awaiting = supplement.state == SupplementaryAgenda.State.AWAITING_CHAIR
    ctx = _agreement_context(agenda) if awaiting else {}
    return render(
        request,
        "meetings/agenda_supplementary.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "supplement": supplement,
            "rows": supplementary.proposed_rows(supplement),
            "items": list(supplement.items.order_by("number")),
            "form": form,
            "open": open_,
            **ctx,
        },
    )


@login_required
@require_POST
def supplementary_withdraw(request, meeting_id: int, number: int, index: int):
    meeting, supplement = _supplement(request, meeting_id, number)
    try:
        supplementary.withdraw_proposed(supplement=supplement, index=index, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Item removed from the supplementary agenda.")
    return redirect("agenda:supplementary", meeting.pk, supplement.number)


@login_required
@require_POST
def supplementary_send(request, meeting_id: int, number: int):
    meeting, supplement = _supplement(request, meeting_id, number)
    try:
        supplementary.send_supplement_to_chair(supplement=supplement, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Supplementary agenda {supplement.number} has been sent for agreement to "
            f"{services.agreement_rule_text(meeting)}.",
        )
    return redirect("agenda:supplementary", meeting.pk, supplement.number)


@login_required
def supplementary_dispatch(request, meeting_id: int, number: int):
    """GET or an unconfirmed POST shows the check page; its button (confirm=1) dispatches."""
    meeting, supplement = _supplement(request, meeting_id, number)
    back = reverse("agenda:supplementary", args=[meeting.pk, supplement.number])
    if not checks.confirmed(request):
        return checks.render_check(
            request,
            meeting=meeting,
            summary=supplementary.supplement_check(supplement),
            action=request.path,
            back=back,
        )
    try:
        items = supplementary.dispatch_supplement(supplement=supplement, by=request.user)
    except AgendaError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        f"Supplementary agenda {supplement.number} is dispatched: {len(items)} item(s) added, "
        "Members and Participants are told, and a new pack version is being built.",
    )
    return redirect("agenda:builder", meeting.pk)
