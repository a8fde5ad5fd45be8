"""The secretariat's minutes screens: generate from the record, edit, circulate, approve,
publish, correct. Only the secretariat of the meeting's committee gets these pages (404 else).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from icp_secretariat.lib.params import whole_number
from meetings import access
from meetings.conduct.selectors import (
    current_minutes,
)
from meetings.errors import ConductError
from meetings.minutes import reporting
from meetings.minutes import services as minutes_services
from meetings.minutes.checks import circulate_check, publish_check
from meetings.models import AgendaItem, Meeting, Minutes
from meetings.scheduling import checks

CHECKS = {"circulate": circulate_check, "publish": publish_check}


def _meeting(request, meeting_id: int) -> Meeting:
    return access.get_meeting_for_secretariat(request.user, meeting_id)


def _minutes_url(meeting: Meeting) -> str:
    return reverse("record:minutes_edit", args=[meeting.pk])


@login_required
def minutes_edit(request, meeting_id: int):
    """The secretariat's minutes page: generate, edit, circulate, approve, publish, correct."""
    meeting = _meeting(request, meeting_id)
    versions = list(
        Minutes.objects.filter(meeting=meeting)
        .select_related("approved_at_item__agenda__meeting")
        .prefetch_related("documents")
        .order_by("-version")
    )
    minutes = next((m for m in versions if m.is_current), None)
    correcting = minutes is not None and not minutes.is_draft and request.GET.get("correct")
    if request.method == "POST" and minutes is not None:
        texts = {
            s["key"]: request.POST.get(f"section-{s['key']}", s["text"]) for s in minutes.sections
        }
        try:
            if minutes.is_draft:
                minutes_services.update_minutes(minutes=minutes, texts=texts, by=request.user)
                messages.success(request, "Draft minutes saved.")
            else:
                new = minutes_services.correct_minutes(
                    minutes=minutes,
                    texts=texts,
                    reason=request.POST.get("reason", ""),
                    by=request.user,
                )
                messages.success(request, f"Correction saved as version {new.version}.")
                for warning in new.partner_warnings:
                    messages.warning(request, warning)
            return redirect(_minutes_url(meeting))
        except ConductError as exc:
            messages.error(request, str(exc))
            for s in minutes.sections:
                s["text"] = texts.get(s["key"], s["text"])
            correcting = not minutes.is_draft
    # Minutes are approved at a later meeting that has been held (approve_minutes refuses any
    # other): its "minutes of the last meeting" item, the next meetings first.
    later = AgendaItem.objects.filter(
        agenda__meeting__committee_id=meeting.committee_id,
        agenda__meeting__date__gt=meeting.date,
        standard_key="minutes",
    ).exclude(agenda__meeting__status=Meeting.Status.CANCELLED)
    approval_items = list(
        later.filter(agenda__meeting__date__lte=timezone.localdate())
        .select_related("agenda__meeting")
        .order_by("agenda__meeting__date", "agenda__meeting__start_time")[:6]
    )
    approve_next = None
    if not approval_items:
        approve_next = (
            later.select_related("agenda__meeting")
            .order_by("agenda__meeting__date", "agenda__meeting__start_time")
            .first()
        )
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "versions": versions,
            "correcting": correcting,
            "approval_items": approval_items,
            "approve_next": approve_next,
            "editable": minutes is not None and (minutes.is_draft or correcting),
            "partners": reporting.partners_panel(meeting),
        },
    )


@login_required
@require_POST
def minutes_action(request, meeting_id: int, what: str):
    meeting = _meeting(request, meeting_id)
    minutes = current_minutes(meeting)
    if what in CHECKS and minutes is not None and not checks.confirmed(request):
        # Circulating and publishing go out by email and cannot be called back: check first.
        return checks.render_check(
            request,
            meeting=meeting,
            summary=CHECKS[what](meeting, minutes),
            action=request.path,
            back=_minutes_url(meeting),
        )
    try:
        if what == "generate":
            minutes_services.generate_minutes(
                meeting=meeting, by=request.user, replace_draft=request.POST.get("replace") == "1"
            )
            messages.success(request, "Draft minutes generated from the minutes_services.")
        elif minutes is None:
            raise ConductError("Generate the draft minutes first.")
        elif what == "circulate":
            minutes_services.circulate_minutes(minutes=minutes, by=request.user)
            messages.success(request, "Draft minutes circulated to Members and Participants.")
        elif what == "approve":
            at_item = get_object_or_404(
                AgendaItem.objects.select_related("agenda__meeting"),
                pk=whole_number(request.POST.get("at_item")) or 0,
                agenda__meeting__committee_id=meeting.committee_id,
            )
            minutes_services.approve_minutes(minutes=minutes, at_item=at_item, by=request.user)
            messages.success(request, "Approval recorded.")
        elif what == "publish":
            published = minutes_services.publish_minutes(minutes=minutes, by=request.user)
            messages.success(request, "Minutes published.")
            for warning in published.partner_warnings:
                messages.warning(request, warning)
        elif what == "present":
            if not minutes.is_published:
                raise ConductError("Publish the minutes first: the partners receive them then.")
            warnings = reporting.present_minutes_to_partners(minutes=minutes, by=request.user)
            messages.success(request, "The minutes were sent to every partner with a contact.")
            for warning in warnings:
                messages.warning(request, warning)
        else:
            raise ConductError("Unknown action.")
    except ConductError as exc:
        messages.error(request, str(exc))
    return redirect(_minutes_url(meeting))
