"""Writes of the meeting record: attendance, declarations, decisions, actions, and the minutes.

Every rule that stops an action raises `ConductError` with a message a person can act on. The
live state (who is present for an item, quorum, who may vote) comes from
`meetings.selectors_record.record_state`, which applies the pure rules of `committees.quorum`
and `meetings.conduct`. Mail goes through the outbox; PDFs are built by a Celery task after
commit.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from committees.models import CommitteeRules, Role
from icp_secretariat.lib.mail import Recipient, queue_bulk
from meetings import links
from meetings.conduct import ConductError, vote_outcome
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    ItemNote,
    Meeting,
    MeetingRecord,
    Minutes,
    Part,
    VoteCast,
)
from meetings.selectors_record import (
    ItemState,
    RecordState,
    carried_forward_actions,
    record_state,
)
from members.models import Membership, Person

MINUTES_CIRCULATED = "minutes_circulated"
ACTION_DUE = "action_due"


def _fmt(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _items_of(meeting: Meeting) -> dict[int, AgendaItem]:
    return {i.pk: i for i in AgendaItem.objects.filter(agenda__meeting=meeting)}


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
    by=None,
) -> Attendance:
    """Record one person's attendance; a second call for the same person updates it."""
    if status not in Attendance.Status.values:
        raise ConductError(
            "Choose whether the person is present, remote, sent apologies or absent."
        )
    rules = meeting.committee.rules
    membership = (
        Membership.objects.current(meeting.date)
        .filter(committee_id=meeting.committee_id, person=person, deputy_for__isnull=True)
        .first()
    )
    capacity = capacity or _capacity_for(membership)
    for it, what in ((for_item, "item attended for"), (arrived_at_item, "arrival item")):
        _check_item(meeting, it, what)
    _check_item(meeting, left_before_item, "departure item")
    if arrived_at_item and left_before_item and left_before_item.number <= arrived_at_item.number:
        raise ConductError(
            f"{person.full_name} cannot leave before item {left_before_item.number} having "
            f"arrived at item {arrived_at_item.number}."
        )
    deputy_votes = False
    if capacity == Attendance.Capacity.DEPUTY:
        if not rules.deputies_allowed:
            raise ConductError(
                "This committee's rules do not allow deputies (K&M ToR 6.2: members are not "
                "permitted to have deputies)."
            )
        if deputy_for is None:
            raise ConductError("Say which member the deputy stands in for.")
        member = (
            Membership.objects.current(meeting.date)
            .filter(committee_id=meeting.committee_id, person=deputy_for, role=Role.MEMBER)
            .first()
        )
        if member is None:
            raise ConductError(f"{deputy_for.full_name} is not a Member on {_fmt(meeting.date)}.")
        if deputy_for.pk == person.pk:
            raise ConductError("A member cannot be their own deputy.")
        other = Attendance.objects.filter(meeting=meeting, person=deputy_for).first()
        if other is not None and other.is_present:
            raise ConductError(
                f"{deputy_for.full_name} is recorded as present; a deputy stands in only for an "
                "absent member. Record their apologies first."
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
    return attendance


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
    return (
        f"The meeting is not quorate for item {state.item.number}, so no decision can be "
        "recorded: " + "; ".join(state.quorum.unmet) + "."
    )


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
    part = item.part if meeting.is_public else Part.PRIVATE
    if part == Part.PRIVATE and not public_summary.strip():
        raise ConductError(
            "A Part 2 decision needs a public summary without the confidential detail "
            "(ToR 13.2): the public register shows only that."
        )
    state = state or record_state(meeting)
    item_state = state.item(item.pk)
    if not item_state.quorum:
        raise ConductError(_inquorate_message(item_state))
    eligible = set(item_state.eligible_voter_ids)
    fields: dict[str, Any] = {"method": method}
    if method == Decision.Method.VOTE:
        if votes_by_name:
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
            votes_for = choices.count(VoteCast.Choice.FOR)
            votes_against = choices.count(VoteCast.Choice.AGAINST)
            abstentions = choices.count(VoteCast.Choice.ABSTAIN)
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
        )
        fields.update(
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions or 0,
            passed=outcome.passed,
            outcome=outcome.summary,
            casting_vote_used=outcome.casting_vote_used,
            by_name=bool(votes_by_name),
        )
    elif method == Decision.Method.CONSENSUS:
        fields.update(passed=True, outcome="Agreed by consensus")
    else:
        raise ConductError("Choose consensus or a vote.")
    year, sequence, number = _next_number(meeting)
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
        presiding_id=item_state.presiding_id,
        recorded_by=by,
        **fields,
    )
    if votes_by_name:
        VoteCast.objects.bulk_create(
            VoteCast(decision=decision, person_id=pid, choice=choice)
            for pid, choice in votes_by_name.items()
        )
    return decision


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
        raise ConductError(f"The action cannot be due before the meeting ({_fmt(meeting.date)}).")
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
                "meeting_date_text": _fmt(meeting.date),
                "description": action.description,
                "owner_name": action.owner.full_name,
                "due": action.due.isoformat(),
                "due_text": _fmt(action.due),
                "meeting_url": links.member_meeting_url(meeting),
            },
            committee=meeting.committee,
            meeting=meeting,
        )
    return pks


# ------------------------------------------------------------------------------------ minutes


def text_to_html(text: str) -> SafeString:
    """The minutes' plain text as accessible HTML: blank lines split paragraphs, lines starting
    "- " make a bulleted list. Everything is escaped first."""
    blocks = [b for b in re.split(r"\n\s*\n", (text or "").strip()) if b.strip()]
    out = []
    for block in blocks:
        lines = [ln.rstrip() for ln in block.strip().splitlines()]
        if all(ln.lstrip().startswith("- ") for ln in lines):
            li = "".join(f"<li>{escape(ln.lstrip()[2:])}</li>" for ln in lines)
            out.append(f'<ul class="govuk-list govuk-list--bullet">{li}</ul>')
        else:
            out.append('<p class="govuk-body">' + "<br>".join(escape(ln) for ln in lines) + "</p>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def _attendance_lines(state: RecordState) -> dict[str, list[str]]:
    seats = {m.person_id: m.seat_title for m in state.memberships if not m.deputy_for_id}
    groups: dict[str, list[str]] = {"present": [], "attending": [], "apologies": [], "absent": []}
    for a in state.attendance:
        name = a.person.full_name
        where = " (remotely)" if a.status == Attendance.Status.REMOTE else ""
        timing = ""
        if a.arrived_at_item is not None:
            timing += f", arrived at item {a.arrived_at_item.number}"
        if a.left_before_item is not None:
            timing += f", left before item {a.left_before_item.number}"
        if a.status in (Attendance.Status.APOLOGIES, Attendance.Status.ABSENT):
            groups[a.status if a.status == "absent" else "apologies"].append(
                f"- {name}, {seats.get(a.person_id, a.get_capacity_display())}"
            )
            continue
        if a.capacity == Attendance.Capacity.MEMBER:
            groups["present"].append(f"- {name}, {seats.get(a.person_id, 'Member')}{where}{timing}")
        elif a.capacity == Attendance.Capacity.DEPUTY:
            vote = "with a vote" if a.deputy_votes else "without a vote"
            groups["present"].append(
                f"- {name}, deputy for {a.deputy_for.full_name} ({vote}){where}{timing}"
            )
        else:
            extra = ""
            if a.capacity == Attendance.Capacity.ATTENDEE and a.for_item is not None:
                extra = f", for item {a.for_item.number}"
            groups["attending"].append(
                f"- {name}, {a.get_capacity_display()}"
                f"{', ' + seats[a.person_id] if a.person_id in seats else ''}{extra}{where}{timing}"
            )
    return groups


def _decision_lines(decision: Decision, *, public: bool) -> str:
    text = decision.public_summary if public and decision.is_part2 else decision.text
    lines = [f"RESOLVED ({decision.number}): {text}"]
    if decision.method == Decision.Method.VOTE:
        lines.append(f"Decided by a vote: {decision.outcome}.")
        if decision.by_name and not public:
            for choice, label in VoteCast.Choice.choices:
                names = [v.person.full_name for v in decision.votes.all() if v.choice == choice]
                if names:
                    lines.append(f"{label}: {', '.join(names)}.")
    elif not decision.passed:
        lines.append(decision.outcome)
    return "\n".join(lines)


def _item_text(state: RecordState, s: ItemState, *, chair_id: int | None) -> str:
    paras: list[str] = []
    if s.presiding_id and s.presiding_id != chair_id:
        paras.append(f"{s.presiding_name} presided for this item. {s.presiding_text}")
    for d in s.declarations:
        paras.append(
            f"{d.person.full_name} declared an interest: {d.interest}. {d.get_action_display()}."
        )
    if s.discussion.strip():
        paras.append(s.discussion.strip())
    if s.item.standard_key == "minutes":
        log = carried_forward_actions(state.meeting)
        if log:
            lines = ["Action log carried forward:"]
            lines += [
                f"- {a.description} ({a.owner.full_name}, due {a.due:%-d %B %Y}): "
                f"{a.get_state_display()}{': ' + a.update if a.update else ''}"
                for a in log
            ]
            paras.append("\n".join(lines[:1]))
            paras.append("\n".join(lines[1:]))
    for decision in s.decisions:
        paras.append(_decision_lines(decision, public=False))
    for action in s.actions:
        paras.append(
            f"ACTION: {action.description} Owner: {action.owner.full_name}. "
            f"Due {action.due:%-d %B %Y}."
        )
    if not paras:
        paras.append("Noted.")
    return "\n\n".join(paras)


def build_sections(meeting: Meeting) -> list[dict[str, Any]]:
    """Draft minutes from the record: attendance, quorum, per-item declarations, discussion,
    decisions and actions. Part 2 items go to Part 2 sections, with a public line in Part 1."""
    state = record_state(meeting)
    groups = _attendance_lines(state)
    sections: list[dict[str, Any]] = []

    def add(key: str, heading: str, text: str, part: int = Part.PUBLIC) -> None:
        sections.append({"key": key, "heading": heading, "part": int(part), "text": text})

    add("present", "Present", "\n".join(groups["present"]) or "Nobody recorded.")
    if groups["attending"]:
        add("attending", "In attendance", "\n".join(groups["attending"]))
    add("apologies", "Apologies", "\n".join(groups["apologies"]) or "None.")
    if groups["absent"]:
        add("absent", "Absent", "\n".join(groups["absent"]))
    quorum = [
        "The meeting was quorate at the start."
        if state.start_quorum
        else "The meeting was not quorate at the start: "
        + "; ".join(state.start_quorum.unmet)
        + "."
    ]
    if state.meeting.committee.rules.remote_attendance == "chair":
        quorum.append(
            "The Chair allowed remote attendance to count towards the quorum (ToR 8.3)."
            if state.record.chair_allows_remote
            else "Remote attendance did not count towards the quorum (ToR 8.3)."
        )
    add("quorum", "Quorum", "\n\n".join(quorum + state.quorum_notes))
    private = []
    for s in state.items:
        item = s.item
        part = Part.PRIVATE if (item.is_part2 or not meeting.is_public) else Part.PUBLIC
        add(
            f"item-{item.pk}",
            f"{item.number}. {item.title}",
            _item_text(state, s, chair_id=state.chair_id),
            part,
        )
        if part == Part.PRIVATE and meeting.is_public:
            private.append(s)
    if private:
        lines = []
        for s in private:
            ground = f" (ground: {s.item.part2_ground})" if s.item.part2_ground_id else ""
            line = (
                f"Item {s.item.number}: {s.item.public_description or 'Private business'}{ground}."
            )
            for d in s.decisions:
                line += "\n" + _decision_lines(d, public=True)
            lines.append(line)
        add(
            "private",
            "Business taken in private (Part 2)",
            "The committee took the following business in private; the public summary of each "
            "decision is below (ToR 13.2).\n\n" + "\n\n".join(lines),
        )
    return sections


def _lock_minutes(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )


def _build_pdfs(minutes: Minutes, audiences: tuple[str, ...]) -> None:
    from meetings.tasks_record import build_minutes_pdf

    pk = minutes.pk
    for audience in audiences:
        transaction.on_commit(lambda a=audience: build_minutes_pdf.delay(pk, a))


@transaction.atomic
def generate_minutes(*, meeting: Meeting, by=None, replace_draft: bool = False) -> Minutes:
    """Draft minutes from the record. A draft already edited is replaced only when asked."""
    current = Minutes.objects.select_for_update().filter(meeting=meeting, is_current=True).first()
    if current is not None and not current.is_draft:
        raise ConductError(
            "These minutes are approved: they cannot be generated again. Make a correction "
            "instead, which creates a new version with its reason."
        )
    if current is not None and not replace_draft:
        raise ConductError(
            "Draft minutes already exist. Regenerating replaces the text you have edited: tick "
            "'Replace the draft' to do so."
        )
    sections = build_sections(meeting)
    if current is not None:
        current.sections = sections
        current.save(update_fields=["sections"])
        return current
    return Minutes.objects.create(meeting=meeting, sections=sections, created_by=by)


def _merge(sections: list[dict], texts: dict[str, str]) -> list[dict]:
    out = []
    for s in sections:
        s = dict(s)
        if s["key"] in texts:
            s["text"] = texts[s["key"]].replace("\r\n", "\n")
        out.append(s)
    return out


@transaction.atomic
def update_minutes(*, minutes: Minutes, texts: dict[str, str], by=None) -> Minutes:
    """Edit the text of draft minutes; approved minutes refuse (a correction is a new version)."""
    minutes = _lock_minutes(minutes)
    if not minutes.is_draft or not minutes.is_current:
        raise ConductError(
            "Approved minutes are never edited in place: make a correction, which creates a new "
            "version with its reason."
        )
    minutes.sections = _merge(minutes.sections, texts)
    minutes.save(update_fields=["sections"])
    return minutes


def _member_recipients(meeting: Meeting, key: str) -> list[Recipient]:
    from meetings.services_meetings import notice_recipients

    return [
        Recipient(m.person.email, m.person.full_name, f"{key}:{m.person.email.lower()}")
        for m in notice_recipients(meeting)
    ]


@transaction.atomic
def circulate_minutes(*, minutes: Minutes, by=None, now: dt.datetime | None = None) -> Minutes:
    """Send the draft to the Members and Participants (ToR 12.4) and record that it went."""
    from communications.services import send_soon
    from meetings.services_meetings import record_minutes_circulated

    minutes = _lock_minutes(minutes)
    if not minutes.is_draft or not minutes.is_current:
        raise ConductError("Only draft minutes are circulated for comment.")
    now = now or timezone.now()
    meeting = minutes.meeting
    minutes.state = Minutes.State.CIRCULATED
    minutes.circulated_at = now
    minutes.save(update_fields=["state", "circulated_at"])
    key = f"{MINUTES_CIRCULATED}:{minutes.pk}:{int(now.timestamp())}"
    pks = queue_bulk(
        recipients=_member_recipients(meeting, key),
        name=MINUTES_CIRCULATED,
        context={
            "committee_name": meeting.committee.name,
            "meeting_date_text": _fmt(meeting.date),
            "version": minutes.version,
            "minutes_url": links.absolute(minutes_url(minutes)),
        },
        committee=meeting.committee,
        meeting=meeting,
    )
    record_minutes_circulated(meeting=meeting, at=now)
    send_soon(pks)
    _build_pdfs(minutes, ("members",))
    return minutes


def minutes_url(minutes: Minutes) -> str:
    from django.urls import reverse

    return reverse("record:minutes", args=[minutes.meeting.committee.slug, minutes.meeting_id])


@transaction.atomic
def approve_minutes(*, minutes: Minutes, at_item: AgendaItem, by=None) -> Minutes:
    """Approve the minutes at a later meeting of the committee; the approval is a decision on
    that meeting's 'minutes of the last meeting' item."""
    minutes = _lock_minutes(minutes)
    if not minutes.is_draft or not minutes.is_current:
        raise ConductError("These minutes are already approved.")
    meeting = minutes.meeting
    later = at_item.agenda.meeting
    if later.committee_id != meeting.committee_id or (later.date, later.start_time) <= (
        meeting.date,
        meeting.start_time,
    ):
        raise ConductError("Minutes are approved at a later meeting of the same committee.")
    if at_item.standard_key != "minutes":
        raise ConductError(
            "Record the approval on the later meeting's 'minutes of the last meeting' item."
        )
    decision = record_decision(
        item=at_item,
        text=f"The minutes of the meeting held on {_fmt(meeting.date)} were approved as a true "
        "record.",
        public_summary=f"The minutes of the meeting held on {_fmt(meeting.date)} were approved.",
        by=by,
    )
    minutes.state = Minutes.State.APPROVED
    minutes.approved_at = decision.recorded_at
    minutes.approved_at_item = at_item
    minutes.save(update_fields=["state", "approved_at", "approved_at_item"])
    return minutes


@transaction.atomic
def publish_minutes(*, minutes: Minutes, by=None) -> Minutes:
    """Publish approved minutes: Part 1 to the public, Part 2 to members (meetings.access)."""
    minutes = _lock_minutes(minutes)
    if minutes.state != Minutes.State.APPROVED:
        raise ConductError("Only approved minutes are published.")
    minutes.state = Minutes.State.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["state", "published_at"])
    _build_pdfs(minutes, ("public", "members"))
    # Email alerts to the public who subscribed to the committee (issue 8); the outbox rows
    # commit or roll back with the publication, and each subscriber hears once per meeting.
    from communications.alerts import notify_subscribers

    meeting = minutes.meeting
    notify_subscribers(
        committee=meeting.committee,
        meeting=meeting,
        what="minutes",
        link=links.absolute(minutes_url(minutes)),
    )
    return minutes


@transaction.atomic
def correct_minutes(*, minutes: Minutes, texts: dict[str, str], reason: str, by=None) -> Minutes:
    """Correct approved minutes: a new version with the reason; the old one is kept."""
    minutes = _lock_minutes(minutes)
    if minutes.is_draft:
        raise ConductError("Draft minutes are edited directly; corrections are for approved ones.")
    if not minutes.is_current:
        raise ConductError("Correct the current version of the minutes.")
    if not reason.strip():
        raise ConductError("Say why the minutes are corrected: the reason is shown with them.")
    new_sections = _merge(minutes.sections, texts)
    if new_sections == minutes.sections:
        raise ConductError("Nothing was changed: change the text that needs correcting.")
    Minutes.objects.filter(pk=minutes.pk).update(is_current=False)
    corrected = Minutes.objects.create(
        meeting=minutes.meeting,
        version=minutes.version + 1,
        state=minutes.state,
        sections=new_sections,
        reason=reason.strip(),
        replaces=minutes,
        created_by=by,
        circulated_at=minutes.circulated_at,
        approved_at=minutes.approved_at,
        approved_at_item=minutes.approved_at_item,
        published_at=timezone.now() if minutes.is_published else None,
    )
    _build_pdfs(corrected, ("public", "members") if corrected.is_published else ("members",))
    return corrected
