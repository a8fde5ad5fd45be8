"""Writes of the minutes: drafted from the record, edited, circulated (K&M ToR 12.4), approved at
the next meeting, published, and corrected only by a new version.

Every rule that stops an action raises `ConductError`. PDFs are built by a Celery task after
commit (`meetings.minutes.tasks`); publication is announced by `meetings.signals`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communications.mail import Recipient, queue_bulk
from communications.services import send_soon
from meetings import links, signals
from meetings.conduct.selectors import (
    ItemState,
    RecordState,
    carried_forward_actions,
    record_state,
)
from meetings.conduct.services import date_text, record_decision
from meetings.errors import ConductError
from meetings.minutes.reporting import present_minutes_to_partners
from meetings.minutes.tasks import build_minutes_pdf
from meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Minutes,
    Part,
    VoteCast,
)
from meetings.scheduling.selectors import meeting_recipients
from meetings.scheduling.services import record_minutes_circulated

MINUTES_CIRCULATED = "minutes_circulated"


def opening_chair_id(state: RecordState) -> int | None:
    """Who was in the Chair when the meeting opened: whoever presided over the first item."""
    for s in state.items:
        return s.presiding_id
    return state.chair_id


def _attendance_lines(state: RecordState) -> dict[str, list[str]]:
    seats = {m.person_id: m.seat_title for m in state.memberships if not m.deputy_for_id}
    in_chair = opening_chair_id(state)
    groups: dict[str, list[str]] = {"present": [], "attending": [], "apologies": [], "absent": []}
    for a in state.attendance:
        name = a.person.full_name
        if a.person_id == in_chair and a.is_present:
            name += " (in the Chair)"
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
            role = a.get_capacity_display()
            seat = seats.get(a.person_id, "")
            groups["attending"].append(
                f"- {name}, {role}{', ' + seat if seat and seat != role else ''}"
                f"{extra}{where}{timing}"
            )
    return groups


_LOWER_FIRST = {"The", "To", "A", "An", "This", "These", "That", "Its", "Their", "All"}


_VERBS = {
    "Accept", "Adopt", "Agree", "Appoint", "Approve", "Ask", "Award", "Buy", "Commission",
    "Defer", "Delegate", "Endorse", "Establish", "Note", "Receive", "Recommend", "Refer",
    "Request", "Support",
}  # fmt: skip


def _that_clause(text: str) -> str:
    """`The committee approved X` -> `that the committee approved X`; `Award the contract` ->
    `to award the contract`: the words after "RESOLVED"."""
    text = text.strip()
    for lead in ("that ", "to "):
        if text[: len(lead)].lower() == lead:
            return lead + text[len(lead) :].lstrip()
    first, _, rest = text.partition(" ")
    tail = " " + rest if rest else ""
    if first in _VERBS:
        return "to " + first.lower() + tail
    if first in _LOWER_FIRST:
        return "that " + first.lower() + tail
    return "that " + text


def _tally(decision: Decision) -> str:
    count = f"{decision.votes_for} for, {decision.votes_against} against"
    if decision.abstentions:
        count += f", {decision.abstentions} abstaining"
    return count


def _decision_lines(decision: Decision, *, public: bool) -> str:
    """In a clerk's words: RESOLVED only for what was decided; a motion that fell is minuted as
    lost, with the count, and has no decision number."""
    text = decision.public_summary if public and decision.is_part2 else decision.text
    if not decision.passed:
        lines = [
            f"A motion {_that_clause(text).rstrip('.')} was put to the vote and was "
            f"lost ({_tally(decision)})."
        ]
    elif public and decision.is_part2:
        # The public line of Part 2 business: the summary as written, under its number.
        lines = [f"Decision {decision.number}: {text}"]
    else:
        lines = [f"RESOLVED ({decision.number}) {_that_clause(text)}"]
        if decision.method == Decision.Method.VOTE:
            how = "on the Chair's casting vote" if decision.casting_vote_used else "on a vote"
            lines.append(f"Carried {how} ({_tally(decision)}).")
    if decision.method == Decision.Method.VOTE and decision.by_name and not public:
        for choice, label in VoteCast.Choice.choices:
            names = [v.person.full_name for v in decision.votes.all() if v.choice == choice]
            if names:
                lines.append(f"{label}: {', '.join(names)}.")
    return "\n".join(lines)


def _presiding_line(s: ItemState, previous_id: int | None, opening_id: int | None) -> str:
    """Who presided, in minute language, only where it changed."""
    if s.presiding_id == previous_id or not s.presiding_id:
        return ""
    if s.presiding_id == opening_id:
        return f"{s.presiding_name} resumed the Chair."
    return f"{s.presiding_name} took the Chair for this item. {s.presiding_text}".strip()


def _item_text(state: RecordState, s: ItemState, *, presiding_line: str = "") -> str:
    paras: list[str] = []
    if presiding_line:
        paras.append(presiding_line)
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


def meeting_times_text(state: RecordState) -> str:
    """ "The meeting started at 14:03 and finished at 15:41." (24-hour clock)."""
    record = state.record
    started = getattr(record, "started_at", None) or state.meeting.start_time
    finished = getattr(record, "finished_at", None)
    text = f"The meeting started at {started:%H:%M}"
    return text + (f" and finished at {finished:%H:%M}." if finished else ".")


def build_sections(meeting: Meeting) -> list[dict[str, Any]]:
    """Draft minutes from the record: attendance, quorum, per-item declarations, discussion,
    decisions and actions. Part 2 items go to Part 2 sections, with a public line in Part 1."""
    state = record_state(meeting)
    groups = _attendance_lines(state)
    sections: list[dict[str, Any]] = []

    def add(key: str, heading: str, text: str, part: int = Part.PUBLIC) -> None:
        sections.append({"key": key, "heading": heading, "part": int(part), "text": text})

    add("times", "Time", meeting_times_text(state))
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
    rules = state.meeting.committee.rules
    if rules.remote_attendance == "chair":
        quorum.append(
            "The Chair allowed remote attendance to count towards the quorum "
            f"({rules.cite('remote')})."
            if state.record.chair_allows_remote
            else f"Remote attendance did not count towards the quorum ({rules.cite('remote')})."
        )
    add(
        "quorum",
        "Quorum",
        "\n\n".join(quorum + state.quorum_notes + state.seat_notes + state.public_health_notes),
    )
    private = []
    opening = opening_chair_id(state)
    previous = opening
    for s in state.items:
        item = s.item
        part = Part.PRIVATE if (item.is_part2 or not meeting.is_public) else Part.PUBLIC
        line = _presiding_line(s, previous, opening)
        previous = s.presiding_id or previous
        add(
            f"item-{item.pk}",
            f"{item.number}. {item.title}",
            _item_text(state, s, presiding_line=line),
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
            f"decision is below ({rules.cite('public_record')}).\n\n" + "\n\n".join(lines),
        )
    return sections


def _lock_minutes(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )


def _build_pdfs(minutes: Minutes, audiences: tuple[str, ...]) -> None:

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
    # The row is locked: saving every field would write the same values.
    minutes.save(update_fields=["sections"])  # pragma: no mutate
    return minutes


def _member_recipients(meeting: Meeting, key: str) -> list[Recipient]:

    return [
        Recipient(m.email, m.person.full_name, f"{key}:{m.email.lower()}")
        for m in meeting_recipients(meeting)
    ]


@transaction.atomic
def circulate_minutes(*, minutes: Minutes, by=None, now: dt.datetime | None = None) -> Minutes:
    """Send the draft to the Members and Participants (K&M ToR 12.4) and record that it went."""

    minutes = _lock_minutes(minutes)
    if not minutes.is_draft or not minutes.is_current:
        raise ConductError("Only draft minutes are circulated for comment.")
    now = now or timezone.now()
    meeting = minutes.meeting
    minutes.state = Minutes.State.CIRCULATED
    minutes.circulated_at = now
    # The row is locked: saving every field would write the same values.
    minutes.save(update_fields=["state", "circulated_at"])  # pragma: no mutate
    key = f"{MINUTES_CIRCULATED}:{minutes.pk}:{int(now.timestamp())}"
    pks = queue_bulk(
        recipients=_member_recipients(meeting, key),
        name=MINUTES_CIRCULATED,
        context={
            "committee_name": meeting.committee.name,
            "meeting_date_text": date_text(meeting.date),
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
    if later.status == later.Status.CANCELLED or later.date > timezone.localdate():
        raise ConductError(
            f"The meeting of {date_text(later.date)} has not taken place: minutes are approved "
            "only at a meeting that has been held."
        )
    if at_item.standard_key != "minutes":
        raise ConductError(
            "Record the approval on the later meeting's 'minutes of the last meeting' item."
        )
    try:
        decision = record_decision(
            item=at_item,
            text=f"The minutes of the meeting held on {date_text(meeting.date)} were approved as "
            "a true record.",
            public_summary=f"The minutes of the meeting held on {date_text(meeting.date)} were "
            "approved.",
            by=by,
        )
    except ConductError as error:
        # Two meetings are in play: say which minutes could not be approved, and where.
        raise ConductError(
            f"The minutes of the meeting of {date_text(meeting.date)} cannot be approved at the "
            f"meeting of {date_text(later.date)}: {error}"
        ) from error
    minutes.state = Minutes.State.APPROVED
    minutes.approved_at = decision.recorded_at
    minutes.approved_at_item = at_item
    # The row is locked: saving every field would write the same values.
    minutes.save(update_fields=["state", "approved_at", "approved_at_item"])  # pragma: no mutate
    return minutes


@transaction.atomic
def publish_minutes(*, minutes: Minutes, by=None) -> Minutes:
    """Publish approved minutes: Part 1 to the public, Part 2 to members (meetings.access), and
    the Part 1 minutes to each statutory partner where the rules say so. The returned minutes
    carry `partner_warnings`: a line for each partner that could not be sent them."""
    minutes = _lock_minutes(minutes)
    if minutes.state != Minutes.State.APPROVED:
        raise ConductError("Only approved minutes are published.")
    minutes.state = Minutes.State.PUBLISHED
    minutes.published_at = timezone.now()
    # The row is locked: saving every field would write the same values.
    minutes.save(update_fields=["state", "published_at"])  # pragma: no mutate
    _build_pdfs(minutes, ("public", "members"))
    # The public site alerts subscribers; its outbox rows commit or roll back with the
    # publication, and each subscriber hears once per meeting.
    signals.minutes_published.send(
        sender=Minutes,  # pragma: no mutate (no receiver filters on the sender)
        minutes=minutes,  # pragma: no mutate (no receiver reads it; they take meeting and link)
        meeting=minutes.meeting,
        link=links.absolute(minutes_url(minutes)),
    )
    minutes.partner_warnings = present_minutes_to_partners(minutes=minutes, by=by)
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
    # The partners were sent the version corrected: they get the corrected one too.
    corrected.partner_warnings = (
        present_minutes_to_partners(minutes=corrected, by=by) if corrected.is_published else []
    )
    return corrected
