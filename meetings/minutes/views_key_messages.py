"""The secretariat's key messages screen: draft from the record, edit, approve, send and
publish, revise. Only the secretariat of the meeting's committee gets it (404 else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings import access
from meetings.errors import ConductError
from meetings.minutes import key_messages as services


def _edit_url(meeting) -> str:
    return reverse("record:key_messages_edit", args=[meeting.pk])


@login_required
def key_messages_edit(request, meeting_id: int):
    meeting = access.get_meeting_for_secretariat(request.user, meeting_id)
    panel = services.key_messages_panel(meeting)
    latest = panel.latest
    text = latest.text if latest else ""
    reason = latest.reason if latest else ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        reason = request.POST.get("reason", "")
        try:
            if latest is None:
                raise ConductError("Draft the key messages from the record first.")
            services.update_key_messages(
                key_messages=latest, text=text, reason=reason, by=request.user
            )
            messages.success(request, "Key messages saved as a draft.")
            return redirect(_edit_url(meeting))
        except ConductError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "meetings/key_messages_edit.html",
        {
            "meeting": meeting,
            "panel": panel,
            "latest": latest,
            "text": text,
            "reason": reason,
            "public_url": services.key_messages_url(meeting),
        },
    )


@login_required
@require_POST
def key_messages_action(request, meeting_id: int, what: str):
    meeting = access.get_meeting_for_secretariat(request.user, meeting_id)
    latest = services.key_messages_panel(meeting).latest
    try:
        if what == "start":
            km = services.start_key_messages(meeting=meeting, by=request.user)
            messages.success(
                request,
                "Draft key messages written from the Part 1 record: edit them, then approve."
                if km.version == 1
                else f"Version {km.version} started: change the text and say why.",
            )
        elif latest is None:
            raise ConductError("Draft the key messages from the record first.")
        elif what == "approve":
            services.approve_key_messages(key_messages=latest, by=request.user)
            messages.success(request, "Key messages approved. Send and publish them when ready.")
        elif what == "publish":
            km = services.publish_key_messages(key_messages=latest, by=request.user)
            messages.success(request, f"Key messages sent to {km.sent_to} members and published.")
        else:
            raise ConductError("Unknown action.")
    except ConductError as exc:
        messages.error(request, str(exc))
    return redirect(_edit_url(meeting))
