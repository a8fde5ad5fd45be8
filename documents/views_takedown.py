"""The secretariat's take-down screen: choose what to remove, give the reasons, check what will
happen, confirm. Only the secretariat of the meeting's committee gets it (404 else)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from documents.models import PublishedDocument
from meetings import access
from meetings.errors import ConductError
from meetings.minutes import takedown as services


class TakeDownForm(forms.Form):
    target = forms.ChoiceField(
        label="What is to be removed from view",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to remove from view"},
    )
    public_reason = forms.CharField(
        label="Reason readers will see",
        help_text="Shown where it was published, for example: contained personal data.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason readers will see"},
    )
    note = forms.CharField(
        label="Note for the secretariat (optional)",
        help_text="What went wrong; kept with the record of the take-down, never shown publicly.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.key, t.title) for t in targets]

    def clean_public_reason(self):
        value = self.cleaned_data["public_reason"].strip()
        if not value:
            raise forms.ValidationError("Enter the reason readers will see")
        return value


def _affected_packs(meeting, target) -> list[PublishedDocument]:
    """The published pack and agenda versions that contain a paper (no longer served)."""
    if target.kind != "paper":
        return []
    docs = PublishedDocument.objects.filter(meeting=meeting).order_by("kind", "audience", "version")
    return [d for d in docs if target.obj.pk in (d.paper_ids or [])]


@login_required
def take_down(request, meeting_id: int):
    meeting = access.get_meeting_for_secretariat(request.user, meeting_id)
    targets = services.targets(meeting)
    form = TakeDownForm(request.POST or None, targets=targets)
    context = {
        "meeting": meeting,
        "form": form,
        "targets": targets,
        "done": services.removed_notices(meeting),
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = services.find_target(meeting, data["target"])
        if request.POST.get("confirm") == "yes":
            try:
                row = services.take_down(
                    meeting=meeting,
                    key=data["target"],
                    public_reason=data["public_reason"],
                    note=data["note"],
                    by=request.user,
                )
            except ConductError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, f"“{row.title}” is removed from view. The file is kept privately."
                )
                return redirect("documents:take_down", meeting.pk)
        else:
            # The check before confirming: what goes, what readers will see instead.
            context.update(
                check=True,
                target=target,
                today=timezone.localdate(),
                packs=_affected_packs(meeting, target),
            )
            return render(request, "meetings/take_down_check.html", context)
    return render(request, "meetings/take_down.html", context)
