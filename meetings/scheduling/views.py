"""Secretariat screens for meetings on the calendar: list, schedule, reschedule, cancel, notice.

Also the closure days that staff add to the working-day calendar.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from committees.models import ClosureDay
from committees.selectors import committees_for_secretariat, is_administrator, is_staff_user
from meetings.errors import MeetingError
from meetings.models import Meeting
from meetings.scheduling import checks
from meetings.scheduling import deadlines as dl
from meetings.scheduling.forms import (
    CancelForm,
    ClosureDayForm,
    LeadershipAgreementForm,
    MeetingForm,
    RescheduleForm,
)
from meetings.scheduling.selectors import (
    committee_for_secretariat,
    deadlines_of,
    meeting_for_secretariat,
    meeting_rows,
    meeting_rules_context,
)
from meetings.scheduling.services import (
    cancel_meeting,
    issue_notice,
    leadership_team,
    record_leadership_agreement,
    reschedule_meeting,
    schedule_meeting,
)

MEETINGS_PER_PAGE = 50


@login_required
def meeting_list(request, slug: str):
    committee = committee_for_secretariat(request.user, slug)
    today = timezone.localdate()
    # A page of meetings, latest first: the page does not grow with the committee's history.
    page = Paginator(
        committee.meetings.order_by("-date", "-start_time"), MEETINGS_PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = meeting_rows(committee, today, meetings=page.object_list)
    # Gaps in the recent past only: long-settled history needs no warning.
    held = committee.meetings.scheduled().filter(date__gte=today - dt.timedelta(days=3 * 366))
    gaps = dl.frequency_gaps(
        list(held.values_list("date", flat=True)),
        max_months=committee.rules.max_months_between_meetings,
        today=today,
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {"committee": committee, "rows": rows, "gaps": gaps, "today": today, "page_obj": page},
    )


@login_required
def meeting_create(request, slug: str):
    committee = committee_for_secretariat(request.user, slug)
    form = MeetingForm(request.POST or None, rules=committee.rules)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = schedule_meeting(committee=committee, by=request.user, **form.cleaned_data)
        except MeetingError as error:
            form.add_error("date", str(error))
        else:
            messages.success(request, f"Meeting scheduled for {meeting.date:%-d %B %Y}.")
            return redirect(meeting.get_secretariat_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {"committee": committee, "form": form, "title": "Schedule a meeting"},
    )


def _leadership_form(meeting: Meeting, data=None) -> LeadershipAgreementForm:
    return LeadershipAgreementForm(
        data,
        team=leadership_team(meeting),
        citation=meeting.committee.rules.cite("urgent_meeting"),
        initial={
            "agreed_by": list(meeting.leadership_agreed_by.all()),
            "agreed_on": meeting.leadership_agreed_on,
            "not_possible": meeting.leadership_not_possible,
        },
    )


@login_required
def meeting_detail(request, slug: str, pk: int, leadership_form=None):
    meeting = meeting_for_secretariat(request.user, slug, pk)
    changes = meeting.changes.select_related("by")
    ctx = {
        "committee": meeting.committee,
        "meeting": meeting,
        "deadlines": deadlines_of(meeting),
        "changes": changes,
        "outbox_counts": _outbox_counts(meeting),
        "today": timezone.localdate(),
        **meeting_rules_context(meeting),
    }
    if meeting.kind == Meeting.Kind.URGENT:
        ctx["leadership_form"] = leadership_form or _leadership_form(meeting)
    return render(request, "meetings/meeting_detail.html", ctx)


@login_required
def meeting_leadership_agreement(request, slug: str, pk: int):
    """Record the Leadership Team's agreement to an urgent meeting (K&M ToR 7.3)."""
    meeting = meeting_for_secretariat(request.user, slug, pk)
    if request.method != "POST":
        return redirect(meeting.get_secretariat_url())
    form = _leadership_form(meeting, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_leadership_agreement(
                meeting=meeting,
                agreed_by=list(data["agreed_by"]),
                agreed_on=data["agreed_on"],
                not_possible=data["not_possible"],
                by=request.user,
            )
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The Leadership Team's agreement is recorded.")
            return redirect(meeting.get_secretariat_url())
    return meeting_detail(request, slug, pk, leadership_form=form)


def _outbox_counts(meeting: Meeting) -> dict[str, int]:

    return dict(meeting.outbox.values_list("state").annotate(n=Count("pk")).order_by())


def _initial(meeting: Meeting) -> dict:
    return {
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "venue": meeting.venue,
        "online_link": meeting.online_link,
        "kind": meeting.kind,
        "urgent_reason": meeting.urgent_reason,
        "is_public": str(meeting.is_public),
    }


@login_required
def meeting_reschedule(request, slug: str, pk: int):
    meeting = meeting_for_secretariat(request.user, slug, pk)
    if meeting.is_cancelled:
        raise Http404("Cancelled meetings cannot be moved")
    form = RescheduleForm(
        request.POST or None, initial=_initial(meeting), rules=meeting.committee.rules
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reschedule_meeting(
                meeting=meeting,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                venue=data["venue"],
                online_link=data["online_link"],
                kind=data["kind"],
                urgent_reason=data["urgent_reason"],
                reason=data["reason"],
                by=request.user,
            )
        except MeetingError as error:
            form.add_error("date", str(error))
        else:
            if data["is_public"] != meeting.is_public:
                Meeting.objects.filter(pk=meeting.pk).update(is_public=data["is_public"])
            messages.success(request, "Meeting rescheduled. Its deadlines follow the new date.")
            return redirect(meeting.get_secretariat_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "committee": meeting.committee,
            "meeting": meeting,
            "form": form,
            "title": "Reschedule the meeting",
        },
    )


@login_required
def meeting_cancel(request, slug: str, pk: int):
    meeting = meeting_for_secretariat(request.user, slug, pk)
    if meeting.is_cancelled:
        raise Http404("Already cancelled")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if not checks.confirmed(request) and reason.strip():
            return checks.render_check(
                request,
                meeting=meeting,
                summary=checks.cancel_check(meeting, reason),
                action=request.path,
                back=meeting.get_secretariat_url(),
                hidden={"reason": reason},
            )
        try:
            cancel_meeting(meeting=meeting, reason=reason, by=request.user)
        except MeetingError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "Meeting cancelled. Everyone who had notice is told.")
            return redirect(meeting.get_secretariat_url())
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"committee": meeting.committee, "meeting": meeting, "form": form},
    )


@login_required
def meeting_notice(request, slug: str, pk: int):
    """GET or an unconfirmed POST shows the check page; its button (confirm=1) gives notice."""
    meeting = meeting_for_secretariat(request.user, slug, pk)
    if not checks.confirmed(request):
        return checks.render_check(
            request,
            meeting=meeting,
            summary=checks.notice_check(meeting),
            action=request.path,
            back=meeting.get_secretariat_url(),
        )
    try:
        sent = issue_notice(meeting=meeting, by=request.user)
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Notice queued for {len(sent)} Members and Participants.")
    return redirect(meeting.get_secretariat_url())


def _staff_or_404(user) -> None:
    if not is_staff_user(user):
        raise Http404("Not found")


def _closure_days_for(user):
    """The closure days a user sees: their committees' and the installation-wide ones (all for
    an administrator)."""
    days = ClosureDay.objects.select_related("committee")
    if is_administrator(user):
        return days
    return days.filter(
        Q(committee__isnull=True) | Q(committee__in=committees_for_secretariat(user))
    )


@login_required
def closure_days(request):
    _staff_or_404(request.user)
    form = ClosureDayForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        day = form.save()
        messages.success(request, f"{day.date:%-d %B %Y} added as a closure day.")
        return redirect("meetings_admin:closure_days")
    today = timezone.localdate()
    days = list(_closure_days_for(request.user).filter(date__gte=today.replace(month=1, day=1)))
    for day in days:
        day.removable = is_administrator(request.user) or day.committee_id is not None
    return render(request, "meetings/deadlines_closure_days.html", {"form": form, "days": days})


@login_required
@require_POST
def closure_day_delete(request, pk: int):
    """Only a closure day of the user's own committees (any, for an administrator)."""
    _staff_or_404(request.user)
    days = _closure_days_for(request.user)
    if not is_administrator(request.user):
        days = days.filter(committee__isnull=False)
    day = get_object_or_404(days, pk=pk)
    day.delete()
    messages.success(request, f"{day.date:%-d %B %Y} is a working day again.")
    return redirect("meetings_admin:closure_days")
