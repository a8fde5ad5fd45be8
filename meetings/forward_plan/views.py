"""The forward plan screens: the secretariat enters topics per future meeting, a member of the
Leadership Team agrees them, and the agenda builder adds agreed ones as items."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from committees.models import Committee, Organisation
from icp_secretariat.lib.params import whole_number
from meetings import access
from meetings.errors import ConductError
from meetings.forward_plan import services as forward_plan
from meetings.models import AgendaItem, ForwardPlanItem, Meeting


class TopicForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label="Meeting")
    title = forms.CharField(max_length=300, label="Topic")
    purpose = forms.ChoiceField(choices=AgendaItem.Purpose.choices, label="Purpose")
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, label="Lead organisation"
    )
    presenter = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.scheduled().filter(
            committee=committee, date__gte=timezone.localdate()
        )


def _committee(request, slug: str, *, officer_ok: bool = False) -> Committee:
    committee = get_object_or_404(Committee, slug=slug)
    a = access.committee_access(request.user, committee.pk)
    if not (a.secretariat or (officer_ok and a.officer)):
        raise Http404("No such committee")
    return committee


def _topics(committee: Committee):
    return (
        ForwardPlanItem.objects.filter(committee=committee, meeting__date__gte=timezone.localdate())
        .select_related("meeting", "agreed_by", "lead_organisation", "agenda_item")
        .order_by("meeting__date", "pk")
    )


@login_required
def plan(request, slug: str):
    committee = _committee(request, slug)
    form = TopicForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            forward_plan.add_topic(by=request.user, **form.cleaned_data)
            messages.success(request, "Topic added to the forward plan.")
            return redirect("record:forward_plan", committee.slug)
        except ConductError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "meetings/record_forward_plan.html",
        {"committee": committee, "topics": _topics(committee), "form": form, "officer": False},
    )


@login_required
def officer_plan(request, slug: str):
    """The Leadership Team's view of the forward plan, with a button to agree each topic."""
    committee = _committee(request, slug, officer_ok=True)
    return render(
        request,
        "meetings/record_forward_plan.html",
        {"committee": committee, "topics": _topics(committee), "form": None, "officer": True},
    )


@login_required
@require_POST
def agree(request, pk: int):
    topic = get_object_or_404(ForwardPlanItem.objects.select_related("committee"), pk=pk)
    _committee(request, topic.committee.slug, officer_ok=True)
    person = getattr(request.user, "person", None)
    try:
        forward_plan.agree_topic(topic=topic, person=person, by=request.user)
        messages.success(request, f"Agreed: {topic.title}.")
    except ConductError as exc:
        messages.error(request, str(exc))
    return redirect("record:forward_plan_my", topic.committee.slug)


@login_required
@require_POST
def add_to_agenda(request, meeting_id: int):
    meeting = access.get_meeting_for_secretariat(request.user, meeting_id)
    topic = get_object_or_404(
        ForwardPlanItem, pk=whole_number(request.POST.get("topic")) or 0, meeting=meeting
    )
    try:
        item = forward_plan.add_topic_to_agenda(topic=topic, by=request.user)
        messages.success(request, f"Added item {item.number}: {item.title}.")
    except ConductError as exc:
        messages.error(request, str(exc))
    return redirect("agenda:builder", meeting.pk)
