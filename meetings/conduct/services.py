"""Writes of the meeting record: attendance, declarations, decisions, actions, and the minutes.

Every rule that stops an action raises `ConductError` with a message a person can act on. The
live state (who is present for an item, quorum, who may vote) comes from
`meetings.conduct.selectors.record_state`, which applies the pure rules of `committees.quorum`
and `meetings.conduct.rules`. Mail goes through the outbox; PDFs are built by a Celery task after
commit.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from committees.models import CommitteeRules, Role, RuleTopic
from communications.mail import Recipient, queue_bulk
from meetings import links
from meetings.conduct.rules import vote_outcome
from meetings.conduct.selectors import (
    ItemState,
    RecordState,
    record_state,
)
from meetings.errors import ConductError
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    ItemNote,
    Meeting,
    MeetingRecord,
    Part,
    VoteCast,
)
from members.models import Membership, Person

ACTION_DUE = "action_due"


def date_text(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _check_item(meeting: Meeting, item: AgendaItem | None, what: str) -> None:
    if item is not None and item.agenda.meeting_id != meeting.pk:
        raise ConductError(f"The {what} must be an item of this meeting's agenda.")


# ------------------------------------------------------------------------------- attendance


@transaction.atomic
def set_remote_counts(*, meeting: Meeting, allowed: bool, by=None) -> MeetingRecord:
    """The Chair's decision whether remote attendance counts towards the quorum (ToR 8.3)."""
    record, _ = MeetingRecord.objects.get_or_create(meeting=meeting)
    if (
        meeting.committee.rules.remote_attendance
        != CommitteeRules.RemoteAttendance.CHAIR_DISCRETION
    ):
        raise ConductError(
            "This committee's rules decide whether remote attendance counts; the Chair has no "
            "discretion to change it at the meeting."
        )
    record.chair_allows_remote = allowed
    record.save(update_fields=["chair_allows_remote"])
    return record


def _capacity_for(membership: Membership | None) -> str:
    if membership is None:
        return Attendance.Capacity.OBSERVER
    return {
        Role.MEMBER: Attendance.Capacity.MEMBER,
        Role.PARTICIPANT: Attendance.Capacity.PARTICIPANT,
        Role.ATTENDEE: Attendance.Capacity.ATTENDEE,
        Role.OBSERVER: Attendance.Capacity.OBSERVER,
    }[membership.role]


def _current_membership(meeting: Meeting, person: Person) -> Membership | None:
    """The person's own membership of the committee on the meeting's date (not as a deputy)."""
    return (
        Membership.objects.current(meeting.date)
        .filter(committee_id=meeting.committee_id, person=person, deputy_for__isnull=True)
        .first()
    )


def _check_attendance_items(
    meeting: Meeting,
    person: Person,
    for_item: AgendaItem | None,
    arrived_at_item: AgendaItem | None,
    left_before_item: AgendaItem | None,
) -> None:
    """The items named are this meeting's, and the person leaves after they arrive."""
    for it, what in ((for_item, "item attended for"), (arrived_at_item, "arrival item")):
        _check_item(meeting, it, what)
    _check_item(meeting, left_before_item, "departure item")
    if arrived_at_item and left_before_item and left_before_item.number <= arrived_at_item.number:
        raise ConductError(
            f"{person.full_name} cannot leave before item {left_before_item.number} having "
            f"arrived at item {arrived_at_item.number}."
        )


def _check_deputy_allowed(
    meeting: Meeting, rules: CommitteeRules, person: Person, deputy_for: Person | None
) -> Person:
    """The rules allow deputies, and the deputy stands in for another person who is a Member;
    returns that Member."""
    if not rules.deputies_allowed:
        raise ConductError(
            f"This committee's rules do not allow deputies ({rules.cite('deputies')})."
        )
    if deputy_for is None:
        raise ConductError("Say which member the deputy stands in for.")
    member = (
        Membership.objects.current(meeting.date)
        .filter(committee_id=meeting.committee_id, person=deputy_for, role=Role.MEMBER)
        .first()
    )
    if member is None:
        raise ConductError(f"{deputy_for.full_name} is not a Member on {date_text(meeting.date)}.")
    if deputy_for.pk == person.pk:
        raise ConductError("A member cannot be their own deputy.")
    return deputy_for


def _check_member_stood_in_for(
    meeting: Meeting, person: Person, deputy_for: Person, *, for_matter: bool = False
) -> None:
    """The Member is not present throughout (a deputy stands in while they are unable to attend;
    a member who arrives late or leaves early takes their seat's voice back for the items they
    are there, `rules.seat_voice`), and nobody else is already deputising for them. A deputy for
    one matter stands in for a member who is there but excluded, so may be recorded beside them.
    """
    other = Attendance.objects.filter(meeting=meeting, person=deputy_for).first()
    if (
        not for_matter
        and other is not None
        and other.is_present
        and other.arrived_at_item_id is None
        and other.left_before_item_id is None
    ):
        raise ConductError(
            f"{deputy_for.full_name} is recorded as present; a deputy stands in only for an "
            "absent member. Record their apologies first, or the item they arrived at or left "
            "before."
        )
    clash = (
        Attendance.objects.filter(
            meeting=meeting, deputy_for=deputy_for, capacity=Attendance.Capacity.DEPUTY
        )
        .exclude(person=person)
        .select_related("person")
        .first()
    )
    if clash is not None:
        raise ConductError(
            f"{clash.person.full_name} is already deputising for {deputy_for.full_name}."
        )


def _check_deputy_items(
    meeting: Meeting, rules: CommitteeRules, deputy_for: Person, items: list[AgendaItem]
) -> None:
    """A deputy for one matter (M&SE, Conflicts of Interest): the rules provide for one, and the
    member is excluded from each item for a conflict of interest."""
    if not rules.conflict_deputies_allowed:
        raise ConductError(
            "This committee's rules do not provide for a deputy to take the place of a member "
            f"excluded for a conflict of interest ({rules.cite('conflict_deputies')})."
        )
    for item in items:
        _check_item(meeting, item, "item the deputy stands in for")
    excluded = set(
        Declaration.objects.filter(item__in=items, person=deputy_for)
        .exclude(action=Declaration.Action.PERMITTED)
        .values_list("item_id", flat=True)
    )
    missing = sorted(i.number for i in items if i.pk not in excluded)
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise ConductError(
            f"{deputy_for.full_name} is not excluded from item{'s' if len(missing) > 1 else ''} "
            f"{listed} for a conflict of interest: a deputy takes the place of a member only "
            "for the matter the Chair excludes them from "
            f"({rules.cite('conflict_deputies')}). Record their declaration first."
        )


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    person: Person,
    status: str,
    capacity: str | None = None,
    deputy_for: Person | None = None,
    for_item: AgendaItem | None = None,
    arrived_at_item: AgendaItem | None = None,
    left_before_item: AgendaItem | None = None,
    deputy_items: list[AgendaItem] | None = None,
    by=None,
) -> Attendance:
    """Record one person's attendance; a second call for the same person updates it.

    `deputy_items`: for a deputy for one matter, the items from which the member is excluded
    (an empty list: a deputy for the meeting; None: as already recorded)."""
    if status not in Attendance.Status.values:
        raise ConductError(
            "Choose whether the person is present, remote, sent apologies or absent."
        )
    rules = meeting.committee.rules
    membership = _current_membership(meeting, person)
    capacity = capacity or _capacity_for(membership)
    _check_attendance_items(meeting, person, for_item, arrived_at_item, left_before_item)
    deputy_votes = False
    if deputy_items is None:
        current = Attendance.objects.filter(meeting=meeting, person=person).first()
        deputy_items = list(current.deputy_items.all()) if current else []
    deputy_items = list(deputy_items) if capacity == Attendance.Capacity.DEPUTY else []
    if capacity == Attendance.Capacity.DEPUTY and deputy_items:
        deputy_for = _check_conflict_deputy(meeting, rules, person, deputy_for, deputy_items)
        # "take the place of the conflicted member in relation to that matter": their vote too.
        deputy_votes = True
    elif capacity == Attendance.Capacity.DEPUTY:
        deputy_for = _check_deputy_allowed(meeting, rules, person, deputy_for)
        _check_member_stood_in_for(meeting, person, deputy_for)
        deputy_votes = rules.deputies_may_vote
    elif capacity == Attendance.Capacity.MEMBER and membership is None:
        raise ConductError(f"{person.full_name} is not a member of this committee on that date.")
    else:
        deputy_for = None
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "capacity": capacity,
            "status": status,
            "deputy_for": deputy_for,
            "deputy_votes": deputy_votes,
            "for_item": for_item,
            "arrived_at_item": arrived_at_item,
            "left_before_item": left_before_item,
        },
    )
    attendance.deputy_items.set(deputy_items)
    return attendance


def _check_conflict_deputy(
    meeting: Meeting,
    rules: CommitteeRules,
    person: Person,
    deputy_for: Person | None,
    items: list[AgendaItem],
) -> Person:
    """A deputy for one matter: allowed by the rules, for a Member excluded from each item."""
    if deputy_for is None:
        raise ConductError("Say which member the deputy stands in for.")
    _check_deputy_items(meeting, rules, deputy_for, items)
    if not (
        Membership.objects.current(meeting.date)
        .filter(committee_id=meeting.committee_id, person=deputy_for, role=Role.MEMBER)
        .exists()
    ):
        raise ConductError(f"{deputy_for.full_name} is not a Member on {date_text(meeting.date)}.")
    if deputy_for.pk == person.pk:
        raise ConductError("A member cannot be their own deputy.")
    _check_member_stood_in_for(meeting, person, deputy_for, for_matter=True)
    return deputy_for


@transaction.atomic
def remove_attendance(*, attendance: Attendance, by=None) -> None:
    attendance.delete()


# ------------------------------------------------------------------------------ declarations


@transaction.atomic
def record_declaration(
    *, item: AgendaItem, person: Person, interest: str, action: str, by=None
) -> Declaration:
    """Record an interest declared on an item and what the member did (ToR 7.5, 11.4.3)."""
    meeting = item.agenda.meeting
    if not interest.strip():
        raise ConductError("Describe the interest declared.")
    if action not in Declaration.Action.values:
        raise ConductError(
            "Choose what the member did: withdrew, stayed without voting, or took "
            "part with the Chair's permission."
        )
    here = Attendance.objects.filter(meeting=meeting, person=person).first()
    if here is None or not here.is_present:
        raise ConductError(
            f"{person.full_name} is not recorded as present at this meeting: record their "
            "attendance first."
        )
    declaration, _ = Declaration.objects.update_or_create(
        item=item,
        person=person,
        defaults={
            "interest": interest.strip(),
            "action": action,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    return declaration


@transaction.atomic
def remove_declaration(*, declaration: Declaration, by=None) -> None:
    if declaration.item.decisions.exists():
        raise ConductError(
            "A decision has been recorded on this item with this declaration in force; the "
            "declaration stays on the record."
        )
    declaration.delete()


# ---------------------------------------------------------------------------------- decisions


def decision_prefix(committee) -> str:
    """KMICP for "Kent and Medway ICP": a word in capitals is kept whole, others give an initial."""
    rules = committee.rules
    if rules.decision_prefix:
        return rules.decision_prefix
    words = re.findall(r"[A-Za-z&]+", committee.display_short_name)
    parts = []
    for word in words:
        if word.lower() in {"and", "of", "the", "for", "&"}:
            continue
        parts.append(word if word.isupper() else word[0].upper())
    return "".join(parts) or "DEC"


def _next_number(meeting: Meeting) -> tuple[int, int, str]:
    # Lock the rules row so two officers recording at once cannot take the same number.
    CommitteeRules.objects.select_for_update().filter(committee_id=meeting.committee_id).first()
    year = meeting.date.year
    top = Decision.objects.filter(committee_id=meeting.committee_id, year=year).aggregate(
        m=Max("sequence")
    )["m"]
    sequence = (top or 0) + 1
    return year, sequence, f"{decision_prefix(meeting.committee)}/{year}/{sequence:02d}"


def _inquorate_message(state: ItemState) -> str:
    meeting = state.item.agenda.meeting
    return (
        f"The meeting of {date_text(meeting.date)} is not quorate for item "
        f"{state.item.number}, so no decision can be "
        "recorded: " + "; ".join(state.quorum.unmet) + "."
    )


def _decision_part(meeting: Meeting, item: AgendaItem, public_summary: str) -> str:
    """The Part the decision is minuted in; a Part 2 decision needs a public summary."""
    part = item.part if meeting.is_public else Part.PRIVATE
    if part == Part.PRIVATE and not public_summary.strip():
        raise ConductError(
            "A Part 2 decision needs a public summary without the confidential detail "
            f"({meeting.committee.rules.cite('public_record')}): the public register shows "
            "only that."
        )
    return part


def _count_votes_by_name(
    votes_by_name: dict[int, str], eligible: set[int], state: RecordState
) -> tuple[int, int, int]:
    """Votes for, against and abstaining in a vote by name, each cast by someone who may vote."""
    outsiders = [pid for pid in votes_by_name if pid not in eligible]
    if outsiders:
        names = ", ".join(state.names.get(pid, str(pid)) for pid in outsiders)
        raise ConductError(
            f"{names} may not vote on this item: only voting members present for it and "
            "not withdrawn for a conflict of interest vote."
        )
    choices = list(votes_by_name.values())
    if any(c not in VoteCast.Choice.values for c in choices):
        raise ConductError("Each vote is for, against or an abstention.")
    return (
        choices.count(VoteCast.Choice.FOR),
        choices.count(VoteCast.Choice.AGAINST),
        choices.count(VoteCast.Choice.ABSTAIN),
    )


def _vote_fields(
    *,
    rules: CommitteeRules,
    state: RecordState,
    eligible: set[int],
    votes_for: int | None,
    votes_against: int | None,
    abstentions: int | None,
    votes_by_name: dict[int, str] | None,
    casting_vote_for: bool | None,
) -> dict[str, Any]:
    """The count and outcome of a vote (ToR 7.4) by the committee's rules, as Decision fields."""
    if votes_by_name:
        votes_for, votes_against, abstentions = _count_votes_by_name(votes_by_name, eligible, state)
    if votes_for is None or votes_against is None:
        raise ConductError("Enter the votes for and against (and abstentions, if any).")
    outcome = vote_outcome(
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions or 0,
        eligible_present=len(eligible),
        voting_members_total=state.voting_total,
        majority_basis=rules.majority_basis,
        quorate=True,
        chair_has_casting_vote=rules.chair_has_casting_vote,
        casting_vote_for=casting_vote_for,
        citation=rules.cite(RuleTopic.VOTING),
    )
    return {
        "votes_for": votes_for,
        "votes_against": votes_against,
        "abstentions": abstentions or 0,
        "passed": outcome.passed,
        "outcome": outcome.summary,
        "casting_vote_used": outcome.casting_vote_used,
        "by_name": bool(votes_by_name),
    }


def _save_decision(
    *,
    item: AgendaItem,
    meeting: Meeting,
    part: str,
    text: str,
    public_summary: str,
    presiding_id: int | None,
    votes_by_name: dict[int, str] | None,
    by,
    fields: dict[str, Any],
) -> Decision:
    """Number the decision and save it, with the votes cast by name. A motion that fell is
    kept (its count is minuted) but takes no number: the register numbers what was decided."""
    if fields.get("passed", True):
        year, sequence, number = _next_number(meeting)
    else:
        year, sequence, number = meeting.date.year, None, ""
    decision = Decision.objects.create(
        item=item,
        meeting=meeting,
        committee_id=meeting.committee_id,
        year=year,
        sequence=sequence,
        number=number,
        part=part,
        text=text,
        public_summary=public_summary.strip() if part == Part.PRIVATE else "",
        presiding_id=presiding_id,
        recorded_by=by,
        **fields,
    )
    if votes_by_name:
        VoteCast.objects.bulk_create(
            VoteCast(decision=decision, person_id=pid, choice=choice)
            for pid, choice in votes_by_name.items()
        )
    return decision


@transaction.atomic
def record_decision(
    *,
    item: AgendaItem,
    text: str,
    public_summary: str = "",
    method: str = Decision.Method.CONSENSUS,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    votes_by_name: dict[int, str] | None = None,
    casting_vote_for: bool | None = None,
    by=None,
    state: RecordState | None = None,
) -> Decision:
    """Record a decision on an item, by consensus or a vote (ToR 7.4), with its number.

    Refused while the item is inquorate. A vote counts one vote per voting member present and
    not conflicted; the committee's majority basis decides; a tie is not passed unless the rules
    give the Chair a casting vote.
    """
    meeting = item.agenda.meeting
    rules = meeting.committee.rules
    text = text.strip()
    if not text:
        raise ConductError("Write the decision as it is to be minuted.")
    part = _decision_part(meeting, item, public_summary)
    state = state or record_state(meeting)
    item_state = state.item(item.pk)
    if not item_state.quorum:
        raise ConductError(_inquorate_message(item_state))
    eligible = set(item_state.eligible_voter_ids)
    fields: dict[str, Any] = {"method": method}
    if method == Decision.Method.VOTE:
        fields.update(
            _vote_fields(
                rules=rules,
                state=state,
                eligible=eligible,
                votes_for=votes_for,
                votes_against=votes_against,
                abstentions=abstentions,
                votes_by_name=votes_by_name,
                casting_vote_for=casting_vote_for,
            )
        )
    elif method == Decision.Method.CONSENSUS:
        fields.update(passed=True, outcome="Agreed by consensus")
    else:
        raise ConductError("Choose consensus or a vote.")
    return _save_decision(
        item=item,
        meeting=meeting,
        part=part,
        text=text,
        public_summary=public_summary,
        presiding_id=item_state.presiding_id,
        votes_by_name=votes_by_name,
        by=by,
        fields=fields,
    )


# ------------------------------------------------------------------------------------ actions


@transaction.atomic
def add_action(
    *,
    meeting: Meeting,
    description: str,
    owner: Person,
    due: dt.date,
    item: AgendaItem | None = None,
    by=None,
) -> Action:
    if not description.strip():
        raise ConductError("Describe the action.")
    _check_item(meeting, item, "action's item")
    if due < meeting.date:
        raise ConductError(
            f"The action cannot be due before the meeting ({date_text(meeting.date)})."
        )
    return Action.objects.create(
        meeting=meeting,
        item=item,
        description=description.strip(),
        owner=owner,
        due=due,
        created_by=by,
    )


@transaction.atomic
def update_action(*, action: Action, state: str, update: str = "", by=None) -> Action:
    if state not in Action.State.values:
        raise ConductError("Choose open, done or dropped.")
    if state == Action.State.DROPPED and not update.strip():
        raise ConductError("Say why the action is dropped.")
    action.state = state
    action.update = update.strip() or action.update
    action.closed_at = None if state == Action.State.OPEN else (action.closed_at or timezone.now())
    action.save()
    return action


@transaction.atomic
def set_meeting_times(
    *, meeting: Meeting, started_at: dt.time | None, finished_at: dt.time | None, by=None
) -> MeetingRecord:
    """When the meeting actually started and finished, for the minutes (24-hour clock)."""
    if started_at and finished_at and finished_at <= started_at:
        raise ConductError(
            f"The meeting cannot finish ({finished_at:%H:%M}) before it started "
            f"({started_at:%H:%M})."
        )
    record, _ = MeetingRecord.objects.get_or_create(meeting=meeting)
    record.started_at = started_at
    record.finished_at = finished_at
    record.save(update_fields=["started_at", "finished_at"])
    return record


@transaction.atomic
def save_item_note(*, item: AgendaItem, discussion: str, by=None) -> ItemNote:
    note, _ = ItemNote.objects.update_or_create(item=item, defaults={"discussion": discussion})
    return note


def plan_action_reminders(now: dt.datetime | None = None, *, days_before: int = 7) -> list[int]:
    """Remind owners of open actions due within `days_before` days (once per action and due
    date, so moving the due date gives a fresh reminder). Called by the outbox sweep."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    actions = (
        Action.objects.filter(
            state=Action.State.OPEN,
            due__gte=today,
            due__lte=today + dt.timedelta(days=days_before),
        )
        .exclude(owner__email="")
        .select_related("owner", "meeting__committee")
    )
    pks: list[int] = []
    for action in actions:
        meeting = action.meeting
        pks += queue_bulk(
            recipients=[
                Recipient(
                    action.owner.email,
                    action.owner.full_name,
                    f"{ACTION_DUE}:{action.pk}:{action.due.isoformat()}",
                )
            ],
            name=ACTION_DUE,
            context={
                "committee_name": meeting.committee.name,
                "meeting_date_text": date_text(meeting.date),
                "description": action.description,
                "owner_name": action.owner.full_name,
                "due": action.due.isoformat(),
                "due_text": date_text(action.due),
                "meeting_url": links.member_meeting_url(meeting),
            },
            committee=meeting.committee,
            meeting=meeting,
        )
    return pks
