"""The members' portal home, "My meetings": a person's meetings with the papers they may open,
their item requests and actions, and what is due from them.

What a person may open is decided by `meetings.access` (its queryset form, so the page costs a
fixed number of queries); this module only gathers and lays it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from meetings import access
from meetings.agenda import services as agenda_services
from meetings.models import Action, Agenda, ForwardPlanItem, ItemRequest, Meeting, Paper
from meetings.page import meeting_page_context
from members import interests as svc
from members.models import Membership, Person

SHOW = 8


@dataclass
class MeetingRow:
    meeting: Meeting
    papers: list[Paper] = field(default_factory=list)
    # A meeting to come: the day its agenda and papers are due (ToR 12.2), and whether it has
    # passed without them.
    papers_deadline: dt.date | None = None
    papers_overdue: bool = False


@dataclass
class Due:
    text: str
    url: str
    link_text: str


def _actions_for(person) -> list:
    """The person's open actions from the meeting record, soonest due first (ToR action log)."""

    return list(
        Action.objects.filter(owner=person, state=Action.State.OPEN)
        .select_related("meeting", "meeting__committee", "item")
        .order_by("due", "pk")[:50]
    )


def my_meetings(user, person: Person | None, today) -> dict:
    mine = access.standing_of(user)
    memberships: list[Membership] = []
    if person is not None:
        memberships = list(
            Membership.objects.current()
            .filter(person=person)
            .select_related("committee", "seat", "organisation")
            .order_by("committee__name")
        )
    officer_of = mine.officer_of
    base = Meeting.objects.filter(
        committee_id__in=mine.committee_ids, committee__is_active=True
    ).select_related("committee", "committee__rules")
    upcoming = list(base.filter(date__gte=today).order_by("date", "start_time")[:SHOW])
    past = list(base.filter(date__lt=today).order_by("-date", "-start_time")[:SHOW])
    rows = {m.pk: MeetingRow(m) for m in upcoming + past}
    papers = (
        access.visible_papers_queryset(user)
        .filter(item__agenda__meeting_id__in=list(rows), is_current=True)
        .select_related("item", "item__agenda")
        .defer("text", "html")
        .order_by("item__number", "pk")
    )
    for paper in papers:
        rows[paper.item.agenda.meeting_id].papers.append(paper)
    due = agenda_services.papers_due(upcoming, today)
    for meeting in upcoming:
        row = rows[meeting.pk]
        if meeting.pk in due and not row.papers:
            row.papers_deadline = due[meeting.pk]
            row.papers_overdue = row.papers_deadline < today
    return {
        "memberships": memberships,
        "upcoming": [rows[m.pk] for m in upcoming],
        "past": [rows[m.pk] for m in past],
        "officer_of": officer_of,
    }


def due_from(
    user, person: Person | None, officer_of: frozenset[int], memberships, today
) -> list[Due]:

    due: list[Due] = []
    if person is not None and any(m.role in svc.REGISTER_ROLES for m in memberships):
        last = person.confirmations.order_by("-confirmed_at").first()
        if svc.confirmation_overdue(
            last_confirmed=timezone.localdate(last.confirmed_at) if last else None, today=today
        ):
            due.append(
                Due(
                    "Your register of interests needs confirming (at least once a year).",
                    reverse("portal:interests_confirm"),
                    "Confirm your interests",
                )
            )
    if officer_of:
        pending = (
            ItemRequest.objects.filter(
                state=ItemRequest.State.PENDING,
                meeting__committee_id__in=officer_of,
                meeting__date__gte=today,
            )
            .select_related("meeting", "meeting__committee")
            .order_by("meeting__date", "submitted_at")
        )
        by_meeting: dict[int, list[ItemRequest]] = {}
        for r in pending:
            by_meeting.setdefault(r.meeting_id, []).append(r)
        for reqs in by_meeting.values():
            meeting = reqs[0].meeting
            n = len(reqs)
            due.append(
                Due(
                    f"{n} item request{'s' if n != 1 else ''} await{'' if n != 1 else 's'} your "
                    f"decision for the meeting of {meeting}.",
                    reverse("portal_meetings:chair_requests", args=[meeting.pk]),
                    "Decide item requests",
                )
            )
        # Forward plan topics (ToR 6.7) the Leadership Team has still to agree.

        waiting: dict[int, list[ForwardPlanItem]] = {}
        for topic in ForwardPlanItem.objects.filter(
            committee_id__in=officer_of, agreed_at__isnull=True, meeting__date__gte=today
        ).select_related("committee"):
            waiting.setdefault(topic.committee_id, []).append(topic)
        for topics in waiting.values():
            committee = topics[0].committee
            n = len(topics)
            due.append(
                Due(
                    f"{n} forward plan topic{'s' if n != 1 else ''} of the {committee.name} "
                    f"await{'' if n != 1 else 's'} your agreement.",
                    reverse("record:forward_plan_my", args=[committee.slug]),
                    "Agree the forward plan",
                )
            )
        for agenda in Agenda.objects.filter(
            state=Agenda.State.AWAITING_CHAIR,
            meeting__committee_id__in=officer_of,
            meeting__date__gte=today,
        ).select_related("meeting", "meeting__committee__rules"):
            # Only for those whose agreement the committee's rule still needs.
            if (
                person is None
                or person.pk not in agenda_services.agreement_status(agenda).outstanding
            ):
                continue
            due.append(
                Due(
                    f"The agenda for {agenda.meeting} awaits your agreement.",
                    reverse("portal_meetings:agenda_agreement", args=[agenda.meeting_id]),
                    "Agree the agenda",
                )
            )
    return due


@login_required
def home(request):
    user = request.user
    person = Person.objects.filter(user=user).first()
    today = timezone.localdate()
    data = my_meetings(user, person, today)
    requests = list(
        ItemRequest.objects.filter(requested_by=user)
        .select_related("meeting", "meeting__committee")
        .order_by("-submitted_at")[:20]
    )
    return render(
        request,
        "portal/home.html",
        {
            "person": person,
            **data,
            "item_requests": requests,
            "actions": _actions_for(person) if person else None,
            "today": today,
            "due": due_from(user, person, data["officer_of"], data["memberships"], today),
        },
    )


@login_required
def my_meeting(request, meeting_id: int):
    """The meeting page under the members' area (links in emails point here)."""
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    return render(
        request, "meetings/public_meeting.html", meeting_page_context(request.user, meeting)
    )
