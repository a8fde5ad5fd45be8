"""Secretariat screens of the meeting record: the in-meeting screen (attendance, live quorum,
presiding, per-item declarations, decisions and actions). The minutes editor is in
`meetings.minutes.views`.

Plain forms that work without JavaScript on a laptop in the room. Only the secretariat of the
meeting's committee gets these pages; anyone else gets 404 (meetings.access).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from committees.models import Role
from icp_secretariat.lib.params import whole_number
from icp_secretariat.lib.redirects import safe_next
from meetings import access
from meetings.conduct import services as record
from meetings.conduct.forms import (
    ActionForm,
    ActionUpdateForm,
    AddPersonForm,
    DecisionForm,
    DeclarationForm,
    NoteForm,
    RecordingForm,
)
from meetings.conduct.recording import item_moments, set_recording
from meetings.conduct.selectors import (
    carried_forward_actions,
    current_minutes,
    declaration_suggestions,
    record_state,
)
from meetings.errors import ConductError
from meetings.models import Action, AgendaItem, Attendance, Declaration, Meeting, Minutes, Part
from members.models import Person
from members.picklists import wants_everyone


def _meeting(request, meeting_id: int) -> Meeting:
    return access.get_meeting_for_secretariat(request.user, meeting_id)


def _item(request, meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("lead_organisation", "part2_ground"),
        pk=item_id,
        agenda__meeting=meeting,
    )


def _people():
    return Person.objects.order_by("last_name", "first_name")


def _members(meeting: Meeting):
    return Person.objects.filter(
        Q(memberships__committee_id=meeting.committee_id)
        & Q(memberships__role=Role.MEMBER)
        & Q(memberships__deputy_for__isnull=True)
        & Q(memberships__start__lte=meeting.date)
        & (Q(memberships__end__isnull=True) | Q(memberships__end__gte=meeting.date))
    ).distinct()


def _screen_url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("record:screen", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def _fail(request, exc: Exception) -> None:
    messages.error(request, str(exc))


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
def screen(request, meeting_id: int):
    """The in-meeting screen: attendance, quorum and the items."""
    meeting = _meeting(request, meeting_id)
    if not hasattr(meeting, "agenda"):
        messages.error(request, "Start the agenda first: the record follows its items.")
        return redirect("agenda:builder", meeting.pk)
    state = record_state(meeting)
    by_person = state.by_person
    rows = []
    seen = set()
    for m in state.memberships:
        if m.deputy_for_id or m.role == Role.ATTENDEE or m.person_id in seen:
            continue
        seen.add(m.person_id)
        rows.append({"person": m.person, "membership": m, "attendance": by_person.get(m.person_id)})
    others = [a for a in state.attendance if a.person_id not in seen]
    items = [s.item for s in state.items]
    return render(
        request,
        "meetings/record_screen.html",
        {
            "meeting": meeting,
            "rules": meeting.committee.rules,
            "state": state,
            "rows": rows,
            "others": others,
            "items": items,
            "statuses": Attendance.Status.choices,
            "carried": carried_forward_actions(meeting),
            "minutes": current_minutes(meeting),
            "add_form": AddPersonForm(
                meeting=meeting,
                members=_members(meeting),
                people=_people(),
                everyone=wants_everyone(request),
            ),
        },
    )


@login_required
@require_POST
def remote(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    try:
        record.set_remote_counts(
            meeting=meeting, allowed=request.POST.get("allowed") == "1", by=request.user
        )
        messages.success(request, "Saved the Chair's decision on remote attendance.")
    except ConductError as exc:
        _fail(request, exc)
    return redirect(_screen_url(meeting, "quorum"))


def _votes_by_person(post) -> dict[int, str]:
    """A named vote's choices from its form: `vote-<person id>` fields with a choice. A field
    whose name is not a person's id is no one's vote."""
    votes = {}
    for key, value in post.items():
        person_id = whole_number(key[5:]) if key.startswith("vote-") else None
        if person_id is not None and value:
            votes[person_id] = value
    return votes


@login_required
@require_POST
def attendance(request, meeting_id: int):
    """Save the attendance table: one status (and arrival/departure items) per person."""
    meeting = _meeting(request, meeting_id)
    items = {str(i.pk): i for i in AgendaItem.objects.filter(agenda__meeting=meeting)}
    existing = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    person_ids = [n for n in map(whole_number, request.POST.getlist("person")) if n is not None]
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids)}
    saved, failed = 0, 0
    for pid in person_ids:
        person = people.get(pid)
        if person is None:
            continue
        status = request.POST.get(f"status-{pid}", "")
        current = existing.get(pid)
        if not status:
            if current is not None and current.capacity != Attendance.Capacity.DEPUTY:
                record.remove_attendance(attendance=current, by=request.user)
            continue
        try:
            record.record_attendance(
                meeting=meeting,
                person=person,
                status=status,
                capacity=current.capacity if current else None,
                deputy_for=current.deputy_for if current else None,
                for_item=current.for_item if current else None,
                arrived_at_item=items.get(request.POST.get(f"arrived-{pid}", "")),
                left_before_item=items.get(request.POST.get(f"left-{pid}", "")),
                by=request.user,
            )
            saved += 1
        except ConductError as exc:
            failed += 1
            messages.error(request, f"{person.full_name}: {exc}")
    if not failed:
        messages.success(request, f"Attendance saved ({saved} recorded).")
    return redirect(_screen_url(meeting, "attendance"))


@login_required
@require_POST
def add_person(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    form = AddPersonForm(request.POST, meeting=meeting, members=_members(meeting), people=_people())
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_screen_url(meeting, "add-person"))
    data = form.cleaned_data
    try:
        record.record_attendance(
            meeting=meeting,
            person=data["person"],
            status=data["status"],
            capacity=data["capacity"],
            deputy_for=data.get("deputy_for"),
            for_item=data.get("for_item"),
            deputy_items=list(data.get("deputy_items") or []),
            by=request.user,
        )
        messages.success(request, f"Recorded {data['person'].full_name}.")
    except ConductError as exc:
        _fail(request, exc)
    return redirect(_screen_url(meeting, "attendance"))


def _item_context(
    meeting: Meeting, item: AgendaItem, state, *, everyone: bool = False, **forms
) -> dict:
    item_state = state.item(item.pk)
    present_people = Person.objects.filter(
        pk__in=[a.person_id for a in item_state.present]
    ).order_by("last_name", "first_name")
    voters = [(pid, state.names.get(pid, "")) for pid in item_state.eligible_voter_ids]
    ctx = {
        "meeting": meeting,
        "rules": meeting.committee.rules,
        "item": item,
        "state": state,
        "item_state": item_state,
        "voters": voters,
        "suggestions": declaration_suggestions(item_state, meeting.committee_id, meeting.date),
        "declaration_form": DeclarationForm(people=present_people),
        "decision_form": DecisionForm(),
        "action_form": ActionForm(
            people=_people(), committee=meeting.committee, everyone=everyone, on=meeting.date
        ),
        "note_form": NoteForm(initial={"discussion": item_state.discussion}),
        "carried": carried_forward_actions(meeting) if item.standard_key == "minutes" else [],
        "approvable": (
            Minutes.objects.filter(
                meeting__committee_id=meeting.committee_id,
                meeting__date__lt=meeting.date,
                is_current=True,
                state__in=[Minutes.State.DRAFT, Minutes.State.CIRCULATED],
            ).select_related("meeting")
            if item.standard_key == "minutes"
            else []
        ),
    }
    ctx.update(forms)
    return ctx


@login_required
def item(request, meeting_id: int, item_id: int):
    meeting = _meeting(request, meeting_id)
    the_item = _item(request, meeting, item_id)
    return render(
        request,
        "meetings/record_item.html",
        _item_context(meeting, the_item, record_state(meeting), everyone=wants_everyone(request)),
    )


def _item_url(meeting: Meeting, item: AgendaItem, anchor: str = "") -> str:
    return reverse("record:item", args=[meeting.pk, item.pk]) + (f"#{anchor}" if anchor else "")


def _rerender(request, meeting, the_item, **forms):
    ctx = _item_context(meeting, the_item, record_state(meeting), **forms)
    return render(request, "meetings/record_item.html", ctx, status=400)


@login_required
@require_POST
def declare(request, meeting_id: int, item_id: int):
    meeting = _meeting(request, meeting_id)
    the_item = _item(request, meeting, item_id)
    form = DeclarationForm(request.POST, people=_people())
    if form.is_valid():
        try:
            record.record_declaration(item=the_item, by=request.user, **form.cleaned_data)
            messages.success(request, "Declaration recorded.")
            return redirect(_item_url(meeting, the_item, "declarations"))
        except ConductError as exc:
            form.add_error(None, str(exc))
    return _rerender(request, meeting, the_item, declaration_form=form)


@login_required
@require_POST
def declaration_delete(request, meeting_id: int, pk: int):
    meeting = _meeting(request, meeting_id)
    declaration = get_object_or_404(
        Declaration.objects.select_related("item"), pk=pk, item__agenda__meeting=meeting
    )
    try:
        record.remove_declaration(declaration=declaration, by=request.user)
        messages.success(request, "Declaration removed.")
    except ConductError as exc:
        _fail(request, exc)
    return redirect(_item_url(meeting, declaration.item, "declarations"))


def _decision_message(decision) -> str:
    if not decision.number:
        return f"The motion was lost: {decision.outcome}. It takes no decision number."
    return f"Decision {decision.number} recorded: {decision.outcome}."


@login_required
@require_POST
def decide(request, meeting_id: int, item_id: int):
    meeting = _meeting(request, meeting_id)
    the_item = _item(request, meeting, item_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        by_name = _votes_by_person(request.POST)
        casting = {"for": True, "against": False}.get(data.get("casting_vote") or "")
        try:
            decision = record.record_decision(
                item=the_item,
                text=data["text"],
                public_summary=data.get("public_summary") or "",
                method=data["method"],
                votes_for=data.get("votes_for"),
                votes_against=data.get("votes_against"),
                abstentions=data.get("abstentions"),
                votes_by_name=by_name or None,
                casting_vote_for=casting,
                by=request.user,
            )
            messages.success(request, _decision_message(decision))
            return redirect(_item_url(meeting, the_item, "decisions"))
        except ConductError as exc:
            form.add_error(None, str(exc))
    return _rerender(request, meeting, the_item, decision_form=form)


@login_required
@require_POST
def action_add(request, meeting_id: int, item_id: int):
    meeting = _meeting(request, meeting_id)
    the_item = _item(request, meeting, item_id)
    form = ActionForm(request.POST, people=_people())
    if form.is_valid():
        try:
            record.add_action(meeting=meeting, item=the_item, by=request.user, **form.cleaned_data)
            messages.success(request, "Action recorded.")
            return redirect(_item_url(meeting, the_item, "actions"))
        except ConductError as exc:
            form.add_error(None, str(exc))
    return _rerender(request, meeting, the_item, action_form=form)


@login_required
@require_POST
def note(request, meeting_id: int, item_id: int):
    meeting = _meeting(request, meeting_id)
    the_item = _item(request, meeting, item_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        record.save_item_note(
            item=the_item, discussion=form.cleaned_data["discussion"], by=request.user
        )
        messages.success(request, "Discussion note saved.")
    return redirect(_item_url(meeting, the_item, "note"))


@login_required
@require_POST
def action_update(request, pk: int):
    action = get_object_or_404(Action.objects.select_related("meeting"), pk=pk)
    access.get_meeting_for_secretariat(request.user, action.meeting_id)
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            record.update_action(action=action, by=request.user, **form.cleaned_data)
            messages.success(request, "Action updated.")
        except ConductError as exc:
            _fail(request, exc)
    else:
        _form_errors(request, form)
    return redirect(safe_next(request, _screen_url(action.meeting)))


@login_required
def recording(request, meeting_id: int):
    """The meeting's recording or live stream, and where each Part 1 item starts in it."""
    meeting = _meeting(request, meeting_id)
    items = AgendaItem.objects.filter(agenda__meeting=meeting, part=Part.PUBLIC).order_by("number")
    if request.method == "POST":
        form = RecordingForm(request.POST, items=items)
        if form.is_valid():
            try:
                set_recording(
                    meeting=meeting,
                    url=form.cleaned_data["url"],
                    starts=form.cleaned_data["starts"],
                    by=request.user,
                )
            except ConductError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The recording and the items' start times are saved.")
                return redirect(meeting.get_secretariat_url())
    else:
        form = RecordingForm(initial={"url": meeting.webcast_link}, items=items)
    moments = item_moments(meeting)
    return render(
        request,
        "meetings/record_recording.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "form": form,
            "links": [(i, moments[i.pk]) for i in items if i.pk in moments],
        },
    )
