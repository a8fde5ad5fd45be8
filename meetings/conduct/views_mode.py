"""The minute-taking mode (issue 13): the meeting in the order it runs.

Attendance first (a grid: "All present", then the exceptions, one radio group per person, all by
keyboard), then item by item with previous / next: who presides, the quorum, the declarations
from the register worth asking about, and the forms for declarations, decisions (and votes),
actions and the note. A form saved with htmx (`HX-Request`) updates the item's panel in place;
without JavaScript the same form posts and redirects back to the item (post/redirect/get).
Last, the finish time, and on to the minutes.

The writes are the record's services (`meetings.conduct.services`); the access rule is
`meetings.access.get_meeting_for_secretariat`, as for the other record screens.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from committees.models import Role
from meetings.conduct import services as record
from meetings.conduct.forms import ActionForm, DecisionForm, DeclarationForm, NoteForm
from meetings.conduct.selectors import record_state
from meetings.conduct.views import (
    _decision_message,
    _item,
    _item_context,
    _meeting,
    _people,
    _votes_by_person,
)
from meetings.errors import ConductError
from meetings.models import AgendaItem, Attendance, Meeting, MeetingRecord
from members.picklists import wants_everyone

# The statuses offered per person in the grid, in the order a clerk goes through them.
GRID_STATUSES = [
    (Attendance.Status.PRESENT, "Present"),
    (Attendance.Status.REMOTE, "Remote"),
    (Attendance.Status.APOLOGIES, "Apologies"),
    (Attendance.Status.ABSENT, "Absent"),
]


class TimeForm(forms.Form):
    """A time of day on the 24-hour clock (14:05)."""

    at = forms.TimeField(
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": "Enter a time on the 24-hour clock, like 14:05."},
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].label = label
        self.fields["at"].help_text = "24-hour clock, for example 14:05."


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(agenda__meeting=meeting).order_by("number"))


def _times(meeting: Meeting) -> MeetingRecord:
    return MeetingRecord.objects.get_or_create(meeting=meeting)[0]


def _grid_rows(state) -> list[dict]:
    """Members and Participants in seat order, then anyone else recorded (deputies, attendees,
    observers): one row each."""
    rows, seen = [], set()
    by_person = state.by_person
    for m in state.memberships:
        if m.deputy_for_id or m.role not in (Role.MEMBER, Role.PARTICIPANT):
            continue
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        rows.append(
            {
                "person": m.person,
                "role": m.seat_title or m.get_role_display(),
                "voting": m.voting,
                "attendance": by_person.get(m.person_id),
            }
        )
    for a in state.attendance:
        if a.person_id not in seen:
            seen.add(a.person_id)
            rows.append(
                {
                    "person": a.person,
                    "role": a.get_capacity_display(),
                    "voting": a.deputy_votes,
                    "attendance": a,
                }
            )
    return rows


def _mode_url(meeting: Meeting) -> str:
    return reverse("record:mode", args=[meeting.pk])


def _item_url(meeting: Meeting, item: AgendaItem, anchor: str = "") -> str:
    url = reverse("record:mode_item", args=[meeting.pk, item.pk])
    return url + (f"#{anchor}" if anchor else "")


@login_required
def attendance(request, meeting_id: int):
    """Step 1: attendance. "All present" records every Member and Participant not yet recorded
    as present; the grid then takes the exceptions."""
    meeting = _meeting(request, meeting_id)
    if not hasattr(meeting, "agenda"):
        messages.error(request, "Start the agenda first: the record follows its items.")
        return redirect("agenda:builder", meeting.pk)
    record_row = _times(meeting)
    started = TimeForm(
        request.POST or None,
        prefix="started",
        label="The meeting started at",
        initial={"at": record_row.started_at},
    )
    if request.method == "POST":
        state = record_state(meeting)
        failed = 0
        if request.POST.get("all_present"):
            failed = _all_present(request, meeting, state)
            if not failed:
                messages.success(
                    request,
                    "Everyone on the list is recorded as present: now change the exceptions.",
                )
            return redirect(_mode_url(meeting) + "#grid")
        failed = _save_grid(request, meeting, state)
        if started.is_valid():
            record.set_meeting_times(
                meeting=meeting,
                started_at=started.cleaned_data["at"],
                finished_at=record_row.finished_at,
                by=request.user,
            )
        else:
            failed += 1
            for error in started.errors.get("at", []):
                messages.error(request, f"Start time: {error}")
        if failed:
            return redirect(_mode_url(meeting) + "#grid")
        messages.success(request, "Attendance saved.")
        first = _items(meeting)
        if first:
            return redirect(_item_url(meeting, first[0]))
        return redirect(_mode_url(meeting))
    state = record_state(meeting)
    items = _items(meeting)
    return render(
        request,
        "meetings/mode_attendance.html",
        {
            "meeting": meeting,
            "state": state,
            "rows": _grid_rows(state),
            "statuses": GRID_STATUSES,
            "items": items,
            "started": started,
            "taken": bool(state.attendance),
        },
    )


def _all_present(request, meeting: Meeting, state) -> int:
    failed = 0
    for row in _grid_rows(state):
        if row["attendance"] is not None:
            continue
        try:
            record.record_attendance(
                meeting=meeting,
                person=row["person"],
                status=Attendance.Status.PRESENT,
                by=request.user,
            )
        except ConductError as exc:
            failed += 1
            messages.error(request, f"{row['person'].full_name}: {exc}")
    return failed


def _save_grid(request, meeting: Meeting, state) -> int:
    """Each row's status; a row left on "Not recorded" removes a member's record (never a
    deputy's: the deputy is removed on the full record screen)."""
    failed = 0
    for row in _grid_rows(state):
        person, current = row["person"], row["attendance"]
        status = request.POST.get(f"status-{person.pk}", "")
        if status and current is not None and current.status == status:
            continue
        try:
            if not status:
                if current is not None and current.capacity != Attendance.Capacity.DEPUTY:
                    record.remove_attendance(attendance=current, by=request.user)
                continue
            record.record_attendance(
                meeting=meeting,
                person=person,
                status=status,
                capacity=current.capacity if current else None,
                deputy_for=current.deputy_for if current else None,
                for_item=current.for_item if current else None,
                arrived_at_item=current.arrived_at_item if current else None,
                left_before_item=current.left_before_item if current else None,
                by=request.user,
            )
        except ConductError as exc:
            failed += 1
            messages.error(request, f"{person.full_name}: {exc}")
    return failed


def _neighbours(items: list[AgendaItem], item: AgendaItem):
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    before = items[index - 1] if index > 0 else None
    after = items[index + 1] if index + 1 < len(items) else None
    return index + 1, before, after


def _panel_context(request, meeting: Meeting, item: AgendaItem, **forms) -> dict:
    state = record_state(meeting)
    ctx = _item_context(meeting, item, state, everyone=wants_everyone(request), **forms)
    items = _items(meeting)
    position, before, after = _neighbours(items, item)
    ctx.update(
        position=position,
        count=len(items),
        previous=before,
        next=after,
        taken=bool(state.attendance),
        chair_id=state.chair_id,
    )
    return ctx


@login_required
def item(request, meeting_id: int, item_id: int):
    """Step 2..n: one item, with previous / next."""
    meeting = _meeting(request, meeting_id)
    the_item = _item(request, meeting, item_id)
    return render(request, "meetings/mode_item.html", _panel_context(request, meeting, the_item))


def _respond(request, meeting, the_item, anchor: str, message: str = "", **forms):
    """After a save: htmx gets the panel (with the message in it); a plain form post redirects
    back to the item; a refused plain post gets the whole page with the errors (400)."""
    failed = any(f.errors for f in forms.values())
    if request.htmx:
        ctx = _panel_context(request, meeting, the_item, **forms)
        ctx.update(saved=message, focus=anchor)
        return render(request, "meetings/mode_panel.html", ctx)
    if failed:
        ctx = _panel_context(request, meeting, the_item, **forms)
        return render(request, "meetings/mode_item.html", ctx, status=400)
    if message:
        messages.success(request, message)
    return redirect(_item_url(meeting, the_item, anchor))


@login_required
@require_POST
def act(request, meeting_id: int, item_id: int, what: str):
    """Save one of the item's forms: declaration, decision, action or note."""
    meeting = _meeting(request, meeting_id)
    the_item = _item(request, meeting, item_id)
    handler = {
        "declaration": _declare,
        "decision": _decide,
        "action": _action,
        "note": _note,
    }.get(what)
    if handler is None:
        return redirect(_item_url(meeting, the_item))
    return handler(request, meeting, the_item)


def _declare(request, meeting, the_item):
    form = DeclarationForm(request.POST, people=_people())
    if form.is_valid():
        try:
            record.record_declaration(item=the_item, by=request.user, **form.cleaned_data)
            return _respond(request, meeting, the_item, "declarations", "Declaration recorded.")
        except ConductError as exc:
            form.add_error(None, str(exc))
    return _respond(request, meeting, the_item, "declarations", declaration_form=form)


def _decide(request, meeting, the_item):
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
            return _respond(request, meeting, the_item, "decisions", _decision_message(decision))
        except ConductError as exc:
            form.add_error(None, str(exc))
    return _respond(request, meeting, the_item, "decisions", decision_form=form)


def _action(request, meeting, the_item):
    form = ActionForm(request.POST, people=_people(), committee=meeting.committee, on=meeting.date)
    if form.is_valid():
        try:
            record.add_action(meeting=meeting, item=the_item, by=request.user, **form.cleaned_data)
            return _respond(request, meeting, the_item, "actions", "Action recorded.")
        except ConductError as exc:
            form.add_error(None, str(exc))
    return _respond(request, meeting, the_item, "actions", action_form=form)


def _note(request, meeting, the_item):
    form = NoteForm(request.POST)
    if form.is_valid():
        record.save_item_note(
            item=the_item, discussion=form.cleaned_data["discussion"], by=request.user
        )
        return _respond(request, meeting, the_item, "note", "Note saved.")
    return _respond(request, meeting, the_item, "note", note_form=form)


@login_required
def close(request, meeting_id: int):
    """Last step: the time the meeting finished; then on to the minutes."""
    meeting = _meeting(request, meeting_id)
    record_row = _times(meeting)
    form = TimeForm(
        request.POST or None,
        prefix="finished",
        label="The meeting finished at",
        initial={"at": record_row.finished_at},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record.set_meeting_times(
                meeting=meeting,
                started_at=record_row.started_at,
                finished_at=form.cleaned_data["at"],
                by=request.user,
            )
            messages.success(request, "The finish time is saved.")
            return redirect(reverse("record:minutes_edit", args=[meeting.pk]))
        except ConductError as exc:
            form.add_error("at", str(exc))
    items = _items(meeting)
    return render(
        request,
        "meetings/mode_close.html",
        {
            "meeting": meeting,
            "form": form,
            "last": items[-1] if items else None,
            "started_at": record_row.started_at,
        },
        status=400 if form.errors else 200,
    )
