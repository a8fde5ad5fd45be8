"""Check before you send (issue 13): before a mailing or an irreversible publication the
secretariat sees who will receive what (counts and names by role), which attachments, whether
Part 2 is in it, and what becomes public; one more click (a POST with `confirm=1`) sends.

The summaries are built here for the scheduling actions (notice, cancellation) and by the agenda
and minutes packages for theirs, all on the same `CheckSummary`; `render_check` draws the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils import timezone

from committees.models import Role
from communications.models import OutboxMessage
from meetings.models import Meeting, MeetingInvitation
from meetings.scheduling.selectors import Addressee, meeting_recipients
from members.models import Membership

CONFIRM_FIELD = "confirm"


def confirmed(request) -> bool:
    """Whether the POST came from the check page's final button."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


@dataclass
class Group:
    label: str
    names: list[str]

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class CheckSummary:
    title: str
    what: str
    groups: list[Group] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    part2: str = ""
    public: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confirm_label: str = "Send"
    problem: str = ""

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


ROLE_ORDER = ("Members", "Participants", "Invited observers and attendees", "Others")


def groups_by_role(meeting: Meeting, addressees: list[Addressee]) -> list[Group]:
    """The recipients by their role on the committee (2 queries)."""
    person_ids = [a.person.pk for a in addressees]
    roles = dict(
        Membership.objects.current(timezone.localdate())
        .filter(committee_id=meeting.committee_id, person_id__in=person_ids)
        .filter(role__in=[Role.MEMBER, Role.PARTICIPANT])
        .values_list("person_id", "role")
    )
    invited = set(
        MeetingInvitation.objects.filter(meeting=meeting, person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )
    by: dict[str, list[str]] = {label: [] for label in ROLE_ORDER}
    for a in addressees:
        role = roles.get(a.person.pk)
        if role == Role.MEMBER:
            label = "Members"
        elif role == Role.PARTICIPANT:
            label = "Participants"
        elif a.person.pk in invited:
            label = "Invited observers and attendees"
        else:
            label = "Others"
        by[label].append(f"{a.person.full_name} <{a.email}>")
    return [Group(label, names) for label, names in by.items() if names]


def notice_check(meeting: Meeting) -> CheckSummary:
    addressees = meeting_recipients(meeting)
    summary = CheckSummary(
        title="Give notice of the meeting",
        what=f"The notice of the meeting of {meeting.date:%-d %B %Y}: date, time and place "
        f"({meeting.place or 'place to be confirmed'}).",
        groups=groups_by_role(meeting, addressees),
        attachments=["A calendar invitation (.ics)"],
        part2="No Part 2 content: the notice carries no agenda or papers.",
        public=["Nothing new becomes public: the meeting is already on the public calendar."],
        confirm_label="Give notice",
    )
    if not addressees:
        summary.problem = "No current Member or Participant has an email address."
    return summary


def cancel_check(meeting: Meeting, reason: str) -> CheckSummary:
    had_notice = (
        OutboxMessage.objects.filter(
            meeting=meeting,
            message_name="notice",
            state__in=[OutboxMessage.State.SENT, OutboxMessage.State.SENDING],
        )
        .values_list("recipient", "recipient_name")
        .distinct()
        .order_by("recipient")
    )
    names = [f"{name} <{email}>" if name else email for email, name in had_notice]
    queued = OutboxMessage.objects.filter(meeting=meeting, state=OutboxMessage.State.QUEUED).count()
    return CheckSummary(
        title="Cancel the meeting",
        what=f"The cancellation of the meeting of {meeting.date:%-d %B %Y}, with the reason: "
        f"“{reason}”.",
        groups=[Group("Everyone who was sent the notice", names)] if names else [],
        attachments=["A calendar cancellation (.ics)"],
        part2="No Part 2 content.",
        public=[
            "The public meeting page says the meeting is cancelled, with the reason.",
        ],
        notes=[
            f"{queued} message(s) about this meeting not yet sent will be stopped."
            if queued
            else "No unsent message about this meeting is waiting.",
            "This cannot be undone: a cancelled meeting stays cancelled.",
        ],
        confirm_label="Cancel the meeting",
    )


def render_check(
    request,
    *,
    meeting: Meeting,
    summary: CheckSummary,
    action: str,
    back: str,
    hidden: dict[str, str] | None = None,
):
    """The check page: one more click (POST with confirm=1 and the same fields) sends."""
    return render(
        request,
        "meetings/check_before_send.html",
        {
            "meeting": meeting,
            "summary": summary,
            "action": action,
            "back": back,
            "hidden": sorted((hidden or {}).items()),
        },
    )
