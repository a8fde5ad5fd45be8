"""Demo records for the past K&M and M&SE meetings: attendance (with apologies, a remote member,
an M&SE deputy), declarations, decisions (a vote, a Part 2 decision), discussion notes, actions
(open and done), and minutes: approved and published where a later meeting approved them, the
latest circulated in draft.

Runs after `demo.meetings` and `demo.agenda`. Idempotent: a meeting that already has
attendance is left alone; a missing committee is skipped. Part 2 texts carry
PART2-DECISION-SECRET-<meeting id> and PART2-MINUTES-SECRET-<meeting id> for leak tests.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from committees.models import Committee, Role
from communications.models import OutboxMessage
from meetings.conduct import services as record
from meetings.errors import ConductError
from meetings.minutes import key_messages as key_messages_services
from meetings.minutes import services as minutes_services
from meetings.minutes.reporting import MINUTES_TO_PARTNER
from meetings.models import (
    AgendaItem,
    Attendance,
    KeyMessages,
    Meeting,
    Minutes,
    MinutesPresentation,
)
from members.models import Membership, Person

COMMITTEE_SLUGS = ("kent-medway-icp", "mid-south-essex-icp")


def _members(meeting: Meeting) -> list[Membership]:
    return list(
        Membership.objects.current(meeting.date)
        .filter(committee_id=meeting.committee_id, deputy_for__isnull=True)
        .filter(role__in=[Role.MEMBER, Role.PARTICIPANT])
        .select_related("person", "seat")
        .order_by("role", "seat__order", "pk")
    )


def _attendance(meeting: Meeting) -> None:
    members = _members(meeting)
    voting = [m for m in members if m.role == Role.MEMBER]
    participants = [m for m in members if m.role == Role.PARTICIPANT]
    rules = meeting.committee.rules
    apologies = {m.person_id for m in voting[-2:]}
    named = None
    if rules.deputies_allowed:
        # A member with a named deputy sends apologies, so the deputy attends (M&SE).
        named = (
            Membership.objects.current(meeting.date)
            .filter(committee_id=meeting.committee_id, deputy_for__isnull=False)
            .select_related("person", "deputy_for__person")
            .first()
        )
        if named is not None:
            apologies.add(named.deputy_for.person_id)
    remote = voting[-3].person_id if len(voting) > 3 else None
    for m in voting:
        status = (
            Attendance.Status.APOLOGIES
            if m.person_id in apologies
            else Attendance.Status.REMOTE
            if m.person_id == remote
            else Attendance.Status.PRESENT
        )
        record.record_attendance(meeting=meeting, person=m.person, status=status)
    for n, m in enumerate(participants[:8]):
        record.record_attendance(
            meeting=meeting,
            person=m.person,
            status=Attendance.Status.PRESENT if n % 3 else Attendance.Status.APOLOGIES,
        )
    if rules.remote_attendance == "chair":
        record.set_remote_counts(meeting=meeting, allowed=True)
    if named is not None:
        record.record_attendance(
            meeting=meeting,
            person=named.person,
            status=Attendance.Status.PRESENT,
            capacity=Attendance.Capacity.DEPUTY,
            deputy_for=named.deputy_for.person,
        )


def _business(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(agenda__meeting=meeting, standard_key="", part=1).order_by(
            "number"
        )
    )


def _conduct(meeting: Meeting, owner: Person, *, first: bool) -> None:
    items = _business(meeting)
    present = list(
        Attendance.objects.filter(
            meeting=meeting,
            capacity=Attendance.Capacity.MEMBER,
            status=Attendance.Status.PRESENT,
        ).select_related("person")
    )
    if items and len(present) > 4:
        decl = items[0]
        record.record_declaration(
            item=decl,
            person=present[4].person,
            interest="Non-executive director of a provider named in the report",
            action="withdrew" if first else "permitted",
        )
        record.save_item_note(
            item=decl,
            discussion="Members welcomed the progress report and asked for the risks to delivery "
            "to be set out by place at the next meeting.",
        )
        record.record_decision(
            item=decl, text="The committee noted the progress and the risks to delivery."
        )
        record.add_action(
            meeting=meeting,
            item=decl,
            description="Set out the risks to delivery by place.",
            owner=owner,
            due=meeting.date + dt.timedelta(days=40),
        )
    vote_item = next((i for i in items if i.purpose == "decision"), items[-1] if items else None)
    if vote_item is not None:
        state = record.record_state(meeting)
        voters = len(state.item(vote_item.pk).eligible_voter_ids)
        against = max(1, voters // 4)
        record.record_decision(
            item=vote_item,
            text=f"The committee approved the recommendations in the paper on "
            f"{vote_item.title.lower()}.",
            method="vote",
            votes_for=voters - against - 1,
            votes_against=against,
            abstentions=1,
        )
        done = record.add_action(
            meeting=meeting,
            item=vote_item,
            description="Publish the approved plan on the partners' websites.",
            owner=owner,
            due=meeting.date + dt.timedelta(days=14),
        )
        if first:
            record.update_action(action=done, state="done", update="Published.")
    private = AgendaItem.objects.filter(agenda__meeting=meeting, part=2).order_by("number").first()
    if private is not None:
        record.save_item_note(
            item=private,
            discussion="Members discussed the confidential evaluation of the bids. "
            f"PART2-MINUTES-SECRET-{meeting.pk}",
        )
        record.record_decision(
            item=private,
            text="The committee agreed the preferred bidder and the contract value set out in "
            f"the confidential report. PART2-DECISION-SECRET-{meeting.pk}",
            public_summary="The committee took a decision on this procurement; the details are "
            "commercially sensitive and will be published when the contract is awarded.",
        )


def _key_messages(meeting: Meeting, *, publish: bool) -> None:
    """Where the committee's ToR ask for key messages (M&SE): drafted from the record, approved
    and published for the earlier meetings; the latest left as a draft to edit."""
    if not meeting.committee.rules.key_messages_required:
        return
    if KeyMessages.objects.filter(meeting=meeting).exists():
        return
    km = key_messages_services.start_key_messages(meeting=meeting)
    if publish:
        km = key_messages_services.approve_key_messages(key_messages=km)

        # Drafted, approved and sent to the members in the days after the meeting, not on the
        # day the demo is loaded, so the members' emails (52 a meeting) are not sent again at
        # every start of the demo.
        published = _days_after(meeting.date, 3)
        km = key_messages_services.publish_key_messages(key_messages=km, now=published)
        KeyMessages.objects.filter(pk=km.pk).update(
            created_at=_days_after(meeting.date, 1), approved_at=_days_after(meeting.date, 2)
        )
        name = key_messages_services.KEY_MESSAGES_PUBLISHED
        queued = OutboxMessage.objects.filter(
            meeting=meeting, message_name=name, state=OutboxMessage.State.QUEUED
        )
        _sent_then(queued, name=name, meeting_id=meeting.pk, at=published)


def _days_after(day: dt.date, days: int) -> dt.datetime:
    """10:00 that many days after `day`, never later than now."""
    moment = dt.datetime.combine(day + dt.timedelta(days=days), dt.time(10))
    return min(timezone.make_aware(moment), timezone.now())


def _sent_then(messages, *, name: str, meeting_id: int, at: dt.datetime) -> None:
    """Record past emails as sent at `at`, in one mailing of that day as if queued then: set
    directly, as the demo records every past mailing, so they stand as sent then and are not
    sent today."""
    messages.update(
        state=OutboxMessage.State.SENT,
        created_at=at,
        sent_at=at,
        attempts=1,
        mailing=f"{name}:m{meeting_id}:{timezone.localdate(at)}",
    )


@transaction.atomic
def load() -> None:
    today = timezone.localdate()
    for slug in COMMITTEE_SLUGS:
        committee = Committee.objects.select_related("rules").filter(slug=slug).first()
        if committee is None or not hasattr(committee, "rules"):
            continue
        past = list(
            Meeting.objects.scheduled()
            .filter(committee=committee, date__lt=today, agenda__isnull=False)
            .select_related("committee__rules")
            .order_by("date", "start_time")
        )[-3:]
        fresh = [m for m in past if not Attendance.objects.filter(meeting=m).exists()]
        if not fresh:
            continue
        owner = next(
            (m.person for m in _members(past[0]) if m.role == Role.PARTICIPANT),
            _members(past[0])[0].person,
        )
        # Meeting by meeting, as the secretariat would record them: the attendance, then the
        # approval of the last meeting's minutes (its "Minutes of the last meeting" item comes
        # before the business, so its decision number does too), then the business; then this
        # meeting's minutes are drafted and circulated, to be approved at the next.
        previous = None
        for n, meeting in enumerate(past):
            if meeting not in fresh:
                previous = None
                continue
            _attendance(meeting)
            if previous is not None:
                _approve_and_publish(previous, at_meeting=meeting)
            try:
                _conduct(meeting, owner, first=meeting == fresh[0])
            except ConductError:
                # A committee whose demo membership cannot make a quorum keeps its attendance only.
                pass
            _key_messages(meeting, publish=n + 1 < len(past))
            previous = _circulated_minutes(meeting)


def _circulated_minutes(meeting: Meeting) -> Minutes:
    minutes = Minutes.objects.filter(meeting=meeting, is_current=True).first()
    if minutes is None:
        minutes = minutes_services.generate_minutes(meeting=meeting)
    # Set directly: the demo records past circulation without emailing anyone today.
    circulated = timezone.make_aware(
        dt.datetime.combine(meeting.date + dt.timedelta(days=7), dt.time(10))
    )
    # Drafted the day after the meeting, not when the demo is loaded (the minutes page lists
    # each version with the day it was made).
    drafted = timezone.make_aware(
        dt.datetime.combine(meeting.date + dt.timedelta(days=1), dt.time(10))
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        state=Minutes.State.CIRCULATED, circulated_at=circulated, created_at=drafted
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_circulated_at=meeting.minutes_circulated_at or circulated
    )
    minutes.refresh_from_db()
    return minutes


def _approve_and_publish(minutes: Minutes, *, at_meeting: Meeting) -> None:
    at = AgendaItem.objects.filter(agenda__meeting=at_meeting, standard_key="minutes").first()
    if at is None:
        return
    try:
        minutes = minutes_services.approve_minutes(minutes=minutes, at_item=at)
    except ConductError:
        return
    minutes_services.publish_minutes(minutes=minutes)
    # Approved at that meeting (as it ended), not when the demo is loaded.
    ended = timezone.make_aware(
        dt.datetime.combine(at_meeting.date, at_meeting.end_time or at_meeting.start_time)
    )
    Minutes.objects.filter(pk=minutes.pk).update(approved_at=min(ended, timezone.now()))
    # Published, and presented to the partners, two days after the meeting that approved them,
    # not on the day the demo is loaded: the partners' emails stand as sent then.
    published = _days_after(at_meeting.date, 2)
    Minutes.objects.filter(pk=minutes.pk).update(published_at=published)
    presentations = MinutesPresentation.objects.filter(minutes=minutes)
    presentations.update(at=published)
    messages = OutboxMessage.objects.filter(
        pk__in=presentations.exclude(message=None).values("message_id")
    )
    _sent_then(messages, name=MINUTES_TO_PARTNER, meeting_id=minutes.meeting_id, at=published)
