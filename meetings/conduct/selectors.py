"""Reads of the meeting record: who is present for each item, the live quorum (ToR 8), who
presides (6.8), who may vote (7.4), and the carried-forward action log.

`record_state` builds everything the in-meeting screen, the services and the minutes need in a
fixed number of queries, whatever the number of members, items and declarations. The rules
themselves are the pure functions of `committees.quorum` and `meetings.conduct.rules`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.urls import reverse

from committees.models import OfficeKind, Role
from committees.quorum import Attendee, QuorumResult, QuorumSpec, evaluate_quorum, quorum_spec_for
from meetings import access
from meetings.conduct.rules import (
    DEPUTY,
    MEMBER,
    NO_PUBLIC_HEALTH,
    Fallback,
    presiding_member,
    public_health_gap,
    seat_voice,
    seat_voice_changes,
)
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
    MinutesDocument,
    Part,
    VoteCast,
)
from members.interests import published_interests
from members.models import Membership, Office
from members.selectors import chair_rotation_seats


@dataclass
class ItemState:
    item: AgendaItem
    present: list[Attendance]
    declarations: list[Declaration]
    conflicted_ids: set[int]
    quorum: QuorumResult
    eligible_voter_ids: list[int]
    presiding_id: int | None
    presiding_text: str
    decisions: list[Decision] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    discussion: str = ""
    # K&M ToR 8.2: "" when a public health representative is in attendance (or the committee has
    # no such rule), else why not (meetings.conduct.rules.public_health_gap).
    public_health_gap: str = ""
    # Who holds the voice of each seat with a deputy at this meeting: deputy's person id to
    # MEMBER, DEPUTY or None (meetings.conduct.rules.seat_voice).
    seat_voices: dict[int, str | None] = field(default_factory=dict)

    @property
    def presiding_name(self) -> str:
        return self._names.get(self.presiding_id, "") if self.presiding_id else ""

    _names: dict[int, str] = field(default_factory=dict, repr=False)


@dataclass
class RecordState:
    meeting: Meeting
    record: MeetingRecord
    remote_counts: bool
    memberships: list[Membership]
    attendance: list[Attendance]
    items: list[ItemState]
    start_quorum: QuorumResult
    quorum_notes: list[str]
    voting_total: int
    chair_id: int | None
    names: dict[int, str]
    # From which item a seat's voice passed between a member and their deputy (M&SE, Deputies).
    seat_notes: list[str] = field(default_factory=list)
    # Items without a public health representative in attendance (K&M ToR 8.2).
    public_health_notes: list[str] = field(default_factory=list)

    def item(self, item_id: int) -> ItemState:
        for state in self.items:
            if state.item.pk == item_id:
                return state
        raise KeyError(item_id)

    @property
    def by_person(self) -> dict[int, Attendance]:
        return {a.person_id: a for a in self.attendance}


def present_for(attendance: Attendance, item: AgendaItem) -> bool:
    """Present (in person or remotely) while `item` was taken, given arrivals and departures."""
    if not attendance.is_present:
        return False
    if attendance.arrived_at_item is not None and attendance.arrived_at_item.number > item.number:
        return False
    if attendance.left_before_item is not None and (
        attendance.left_before_item.number <= item.number
    ):
        return False
    if attendance.capacity == Attendance.Capacity.ATTENDEE and attendance.for_item_id:
        return attendance.for_item_id == item.pk
    return True


def deputy_item_ids(attendance: Attendance) -> frozenset[int] | None:
    """The items a deputy for one matter stands in for (M&SE, Conflicts of Interest); None for
    a deputy who stands in while the member is unable to attend. Uses the prefetched rows."""
    if attendance.capacity != Attendance.Capacity.DEPUTY:
        return None
    ids = frozenset(i.pk for i in attendance.deputy_items.all())
    return ids or None


def _deputy_voice(
    a: Attendance, item: AgendaItem | None, here: set[int], excluded: set[int]
) -> str | None:
    """Who holds the voice of the seat `a` deputises for at `item` (None: before the first)."""
    return seat_voice(
        member_here=a.deputy_for_id in here,
        member_excluded=a.deputy_for_id in excluded,
        deputy_here=a.person_id in here,
        deputy_items=deputy_item_ids(a),
        item=item.pk if item is not None else None,
    )


def with_voice(
    present: list[Attendance], item: AgendaItem | None, excluded: set[int] = frozenset()
) -> list[Attendance]:
    """Those present who hold a voice at `item`: everyone but a deputy whose seat's one voice is
    the member's (the member is there and not excluded), or who stands in for other items."""
    here = {a.person_id for a in present}
    return [
        a
        for a in present
        if not (a.capacity == Attendance.Capacity.DEPUTY and a.deputy_for_id)
        or _deputy_voice(a, item, here, set(excluded)) == DEPUTY
    ]


def _remote_counts(rules, record: MeetingRecord) -> bool:
    mode = rules.remote_attendance
    return mode == "always" or (mode == "chair" and record.chair_allows_remote)


def _attendees(
    present: list[Attendance],
    by_person: dict[int, Membership],
    offices: dict[int, set[str]],
) -> list[Attendee]:
    """The quorum function's view of who is there: members with their seat's organisation and
    place; a deputy with the organisation and place of the member they stand in for."""
    out: list[Attendee] = []
    for a in present:
        remote = a.status == Attendance.Status.REMOTE
        if a.capacity == Attendance.Capacity.MEMBER:
            m = by_person.get(a.person_id)
            if m is None:
                continue
            out.append(
                Attendee(
                    person_id=a.person_id,
                    name=a.person.full_name,
                    voting=m.voting,
                    organisation_id=m.organisation_id,
                    place_id=m.place_id,
                    offices=frozenset(offices.get(a.person_id, ())),
                    remote=remote,
                )
            )
        elif a.capacity == Attendance.Capacity.DEPUTY and a.deputy_for_id:
            m = by_person.get(a.deputy_for_id)
            out.append(
                Attendee(
                    person_id=a.person_id,
                    name=a.person.full_name,
                    voting=a.deputy_votes,
                    organisation_id=m.organisation_id if m else None,
                    place_id=m.place_id if m else None,
                    remote=remote,
                )
            )
    return out


@dataclass
class _Roll:
    """What every item's quorum, voters and presiding member are worked out from: the rules,
    and who holds which seat and office on the meeting's date."""

    spec: QuorumSpec
    chair_allows_remote: bool
    remote_counts: bool
    by_person: dict[int, Membership]
    offices: dict[int, set[str]]
    voting_total: int
    chair_id: int | None
    office_holders: dict[str, list[int]]
    seat_holders: dict[int, list[int]]
    fallbacks: list[Fallback]
    rotation_seats: dict[int, str] = field(default_factory=dict)
    presiding_citation: str = ""
    public_health_rule: bool = False
    public_health_ids: frozenset[int] = frozenset()

    def quorum(self, present: list[Attendance]) -> QuorumResult:
        """The quorum with `present` in the room."""
        return evaluate_quorum(
            self.spec,
            _attendees(present, self.by_person, self.offices),
            voting_members_total=self.voting_total,
            chair_allows_remote=self.chair_allows_remote,
        )


def _load_memberships(committee, on: dt.date) -> list[Membership]:
    """The committee's memberships current on `on`, by role, seat and name."""
    return list(
        Membership.objects.current(on)
        .filter(committee=committee)
        .select_related("person", "seat", "organisation", "place")
        .order_by("role", "seat__order", "person__last_name", "person__first_name")
    )


def _offices_by_person(office_rows: list[Office]) -> dict[int, set[str]]:
    """The offices each person holds."""
    offices: dict[int, set[str]] = {}
    for o in office_rows:
        offices.setdefault(o.person_id, set()).add(o.kind)
    return offices


def _office_holders(office_rows: list[Office]) -> dict[str, list[int]]:
    """The people holding each office."""
    office_holders: dict[str, list[int]] = {}
    for o in office_rows:
        office_holders.setdefault(o.kind, []).append(o.person_id)
    return office_holders


def _seat_holders(memberships: list[Membership]) -> dict[int, list[int]]:
    """The members (deputies aside) holding each seat."""
    seat_holders: dict[int, list[int]] = {}
    for m in memberships:
        if m.seat_id and not m.deputy_for_id:
            seat_holders.setdefault(m.seat_id, []).append(m.person_id)
    return seat_holders


def _presiding_fallbacks(rules) -> list[Fallback]:
    """The committee's presiding order after the Chair (K&M ToR 6.8), as the pure rule takes it."""
    return [
        Fallback(
            office=f.office,
            seat_id=f.seat_id,
            label=f.label,
            other_rotation_seat=f.other_rotation_seat,
        )
        for f in rules.presiding_fallbacks.select_related("seat").order_by("order", "pk")
    ]


def _rotation_seats(rules, fallbacks: list[Fallback]) -> dict[int, str]:
    """The seats the Chair rotates between, by title, read only when the presiding order names
    "the other" of them, so other committees' pages cost no extra query."""
    if not any(f.other_rotation_seat for f in fallbacks):
        return {}
    return {s.pk: s.title for s in chair_rotation_seats(rules)}


def _voting_total(memberships: list[Membership]) -> int:
    """How many voting Members the committee has (deputies aside)."""
    return sum(1 for m in memberships if m.voting and m.role == Role.MEMBER and not m.deputy_for_id)


def _load_roll(
    meeting: Meeting, record: MeetingRecord, memberships: list[Membership], spec: QuorumSpec
) -> _Roll:
    """The meeting's roll: its offices and presiding order read, seats and votes counted."""
    rules = meeting.committee.rules
    office_rows = list(Office.objects.current(meeting.date).filter(committee=meeting.committee))
    fallbacks = _presiding_fallbacks(rules)
    public_health_seats = set(rules.public_health_seats.values_list("pk", flat=True))
    return _Roll(
        spec=spec,
        chair_allows_remote=record.chair_allows_remote,
        remote_counts=_remote_counts(rules, record),
        by_person={m.person_id: m for m in memberships if not m.deputy_for_id},
        offices=_offices_by_person(office_rows),
        voting_total=_voting_total(memberships),
        chair_id=next((o.person_id for o in office_rows if o.kind == OfficeKind.CHAIR), None),
        office_holders=_office_holders(office_rows),
        seat_holders=_seat_holders(memberships),
        fallbacks=fallbacks,
        rotation_seats=_rotation_seats(rules, fallbacks),
        presiding_citation=rules.cite("presiding") if rules.reference("presiding") else "",
        public_health_rule=bool(public_health_seats),
        public_health_ids=frozenset(
            m.person_id
            for m in memberships
            if m.seat_id in public_health_seats and not m.deputy_for_id
        ),
    )


def _load_attendance(meeting: Meeting, memberships: list[Membership]) -> list[Attendance]:
    """The meeting's attendance in the order the record lists it."""
    attendance = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "deputy_for", "for_item", "arrived_at_item", "left_before_item")
        .prefetch_related("deputy_items")
    )
    # Order: capacity as the ToR lists them, then seat order for members.
    seat_order = {m.person_id: (m.seat.order if m.seat_id else 999) for m in memberships}
    cap_order = {c: n for n, c in enumerate(Attendance.Capacity.values)}
    attendance.sort(
        key=lambda a: (
            cap_order.get(a.capacity, 9),
            seat_order.get(a.person_id, 999),
            a.person.last_name,
        )
    )
    return attendance


def _load_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda's items in order, with their declarations, decisions (and votes) and actions."""
    return list(
        AgendaItem.objects.filter(agenda__meeting=meeting)
        .select_related("lead_organisation", "part2_ground", "note")
        .prefetch_related(
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("person").order_by("pk"),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("presiding")
                .prefetch_related(
                    Prefetch("votes", queryset=VoteCast.objects.select_related("person"))
                )
                # In the order taken: a motion that fell has no number to sort by.
                .order_by("recorded_at", "pk"),
            ),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner", "meeting").order_by("pk"),
            ),
        )
        .order_by("number")
    )


def _quorum_change_note(
    item: AgendaItem, was_quorate: bool, meeting_quorum: QuorumResult, *, first: bool
) -> str | None:
    """The note for the minutes if the meeting lost, or regained, its quorum at `item`."""
    if was_quorate and not meeting_quorum:
        return (
            f"The meeting became inquorate at item {item.number} ({item.title}): "
            + "; ".join(meeting_quorum.unmet)
            + "."
        )
    if not was_quorate and meeting_quorum and not first:
        return f"The meeting was quorate again from item {item.number}."
    return None


def _eligible_voters(staying: list[Attendance], roll: _Roll) -> list[int]:
    """Who may vote on the item (ToR 7.4): voting attendees not withdrawn, remote if it counts."""
    return [
        a.person_id
        for a in _attendees(staying, roll.by_person, roll.offices)
        if a.voting and (roll.remote_counts or not a.remote)
    ]


def _presiding_for(staying: list[Attendance], roll: _Roll) -> tuple[int | None, str]:
    """Who presides over the item (ToR 6.8), from the members present and not withdrawn."""
    members_here = [
        a.person_id
        for a in staying
        if a.capacity == Attendance.Capacity.MEMBER and a.person_id in roll.by_person
    ]
    return presiding_member(
        chair_id=roll.chair_id,
        available_ids=members_here,
        fallbacks=roll.fallbacks,
        office_holders=roll.office_holders,
        seat_holders=roll.seat_holders,
        rotation_seat_ids=list(roll.rotation_seats),
        seat_labels=roll.rotation_seats,
        citation=roll.presiding_citation,
    )


def _discussion(item: AgendaItem) -> str:
    """The item's discussion note, or "" if none was written."""
    try:
        return item.note.discussion
    except ItemNote.DoesNotExist:
        return ""


def _item_state(
    item: AgendaItem, present: list[Attendance], roll: _Roll, names: dict[int, str]
) -> ItemState:
    """One item as recorded: its declarations, and the quorum, voters and presiding member once
    those with a conflict of interest stand aside."""
    declarations = list(item.declarations.all())
    conflicted = {d.person_id for d in declarations if d.conflicted}
    # One voice per seat: a deputy counts only while it holds their seat's voice.
    staying = [a for a in with_voice(present, item, conflicted) if a.person_id not in conflicted]
    here = {a.person_id for a in present}
    representatives = roll.public_health_ids | {
        a.person_id
        for a in present
        if a.capacity == Attendance.Capacity.DEPUTY and a.deputy_for_id in roll.public_health_ids
    }
    presiding_id, presiding_text = _presiding_for(staying, roll)
    return ItemState(
        item=item,
        present=present,
        declarations=declarations,
        conflicted_ids=conflicted,
        quorum=roll.quorum(staying),
        eligible_voter_ids=_eligible_voters(staying, roll),
        presiding_id=presiding_id,
        presiding_text=presiding_text,
        decisions=list(item.decisions.all()),
        actions=list(item.actions.all()),
        discussion=_discussion(item),
        public_health_gap=public_health_gap(
            has_rule=roll.public_health_rule,
            representatives=representatives,
            present=here,
            conflicted=conflicted,
        ),
        seat_voices={
            a.person_id: _deputy_voice(a, item, here, conflicted)
            for a in present
            if a.capacity == Attendance.Capacity.DEPUTY and a.deputy_for_id
        },
        _names=names,
    )


def _item_states(
    items: list[AgendaItem],
    attendance: list[Attendance],
    roll: _Roll,
    start_quorum: QuorumResult,
    names: dict[int, str],
) -> tuple[list[ItemState], list[str]]:
    """Every item's state in agenda order, and the quorum notes for the minutes as it went."""
    states: list[ItemState] = []
    notes: list[str] = []
    was_quorate = bool(start_quorum)
    for item in items:
        present = [a for a in attendance if present_for(a, item)]
        # Arrivals and departures (before any withdrawal) decide whether the meeting is quorate.
        meeting_quorum = roll.quorum(with_voice(present, item))
        note = _quorum_change_note(item, was_quorate, meeting_quorum, first=not states)
        if note:
            notes.append(note)
        was_quorate = bool(meeting_quorum)
        state = _item_state(item, present, roll, names)
        if meeting_quorum and not state.quorum:
            notes.append(
                f"Item {item.number} ({item.title}) was inquorate once members with a conflict "
                "of interest stood aside: " + "; ".join(state.quorum.unmet) + "."
            )
        states.append(state)
    return states, notes


def record_state(meeting: Meeting) -> RecordState:
    """Everything about the meeting as recorded so far (about a dozen queries, fixed)."""
    committee = meeting.committee
    rules = committee.rules
    record, _ = MeetingRecord.objects.get_or_create(meeting=meeting)
    spec = quorum_spec_for(rules)
    memberships = _load_memberships(committee, meeting.date)
    roll = _load_roll(meeting, record, memberships, spec)
    attendance = _load_attendance(meeting, memberships)
    names = {m.person_id: m.person.full_name for m in memberships}
    names.update({a.person_id: a.person.full_name for a in attendance})
    items = _load_items(meeting)
    start_present = [a for a in attendance if a.is_present and a.arrived_at_item_id is None]
    start_quorum = roll.quorum(with_voice(start_present, None))
    states, notes = _item_states(items, attendance, roll, start_quorum, names)
    return RecordState(
        meeting=meeting,
        record=record,
        remote_counts=roll.remote_counts,
        memberships=memberships,
        attendance=attendance,
        items=states,
        start_quorum=start_quorum,
        quorum_notes=notes,
        voting_total=roll.voting_total,
        chair_id=roll.chair_id,
        names=names,
        seat_notes=_seat_notes(attendance, states, rules),
        # Before anyone is recorded nobody has "not attended": the warning waits for attendance.
        public_health_notes=_public_health_notes(states, rules) if attendance else [],
    )


def _seat_notes(attendance: list[Attendance], states: list[ItemState], rules) -> list[str]:
    """From which item each seat with a deputy had its voice with the member or the deputy
    (meetings.conduct.rules.seat_voice_changes), for the record and the minutes."""
    notes: list[str] = []
    for a in attendance:
        if a.capacity != Attendance.Capacity.DEPUTY or not a.deputy_for_id or not a.is_present:
            continue
        holders = [(s.item.number, s.seat_voices.get(a.person_id)) for s in states]
        member, deputy = a.deputy_for.full_name, a.person.full_name
        where = rules.cite("conflict_deputies" if deputy_item_ids(a) else "deputies")
        for number, before, after in seat_voice_changes(holders):
            if after == DEPUTY:
                notes.append(
                    f"From item {number}, {deputy} held the seat of {member} as deputy "
                    f"(counted{' and voted' if a.deputy_votes else ''} for it)."
                )
            elif before == DEPUTY and after == MEMBER:
                notes.append(
                    f"From item {number}, {member} held their own seat: {deputy}, their deputy, "
                    "no longer counted towards the quorum or voted (one voice per seat, "
                    f"{where})."
                )
            elif before == DEPUTY:
                notes.append(f"From item {number}, {deputy} no longer held the seat of {member}.")
    return notes


def _items_text(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return f"item {words[0]}"
    return "items " + ", ".join(words[:-1]) + f" and {words[-1]}"


def _public_health_notes(states: list[ItemState], rules) -> list[str]:
    """The items without a public health representative in attendance (K&M ToR 8.2), for the
    record's warning and the minutes; not a quorum rule."""
    absent = [s.item.number for s in states if s.public_health_gap == NO_PUBLIC_HEALTH]
    conflicted = [
        s.item.number for s in states if s.public_health_gap and s.item.number not in absent
    ]
    where = rules.cite("public_health")
    notes = []
    if absent:
        notes.append(
            f"No public health representative was in attendance for {_items_text(absent)} "
            f"({where}: not part of the quorum, but the committee endeavours to always have one "
            "in attendance)."
        )
    if conflicted:
        notes.append(
            "Every public health representative present had a conflict of interest on "
            f"{_items_text(conflicted)} ({where})."
        )
    return notes


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.scheduled()
        .filter(committee_id=meeting.committee_id)
        .filter(Q(date__lt=meeting.date) | Q(date=meeting.date, start_time__lt=meeting.start_time))
        .order_by("-date", "-start_time")
        .first()
    )


def carried_forward_actions(meeting: Meeting) -> list[Action]:
    """The action log for a meeting's matters-arising item: every action from earlier meetings
    still open, and those closed since the previous meeting (so the log shows what was done)."""
    prev = previous_meeting(meeting)
    since = prev.date if prev else dt.date.min
    earlier = Q(meeting__date__lt=meeting.date) | Q(
        meeting__date=meeting.date, meeting__start_time__lt=meeting.start_time
    )
    return list(
        Action.objects.filter(meeting__committee_id=meeting.committee_id)
        .filter(earlier)
        .filter(Q(state=Action.State.OPEN) | Q(closed_at__date__gte=since))
        .select_related("owner", "meeting", "item")
        .order_by("due", "pk")
    )


def declaration_suggestions(state: ItemState, committee_id: int, on: dt.date) -> list[dict]:
    """Likely conflicts on an item: a present member's published interest whose organisation or
    "involved" text matches an organisation named on the item or a phrase in its papers."""

    people = [a.person_id for a in state.present]
    if not people:
        return []
    item = state.item
    haystack = " ".join(
        [item.title, item.description, item.public_description, item.presenter]
        + ([item.lead_organisation.name] if item.lead_organisation_id else [])
        + [p.text for p in item.papers.filter(is_current=True).only("text")]
    ).lower()
    org_id = item.lead_organisation_id
    declared = {d.person_id for d in state.declarations}
    names = {a.person_id: a.person.full_name for a in state.present}
    out = []
    for person_id, interests in published_interests(people).items():
        if person_id in declared:
            continue
        for interest in interests:
            why = ""
            if org_id and interest.organisation_id == org_id:
                why = f"the item's lead organisation is {item.lead_organisation.name}"
            else:
                for phrase in {interest.involved, getattr(interest.organisation, "name", "")}:
                    phrase = (phrase or "").strip()
                    if len(phrase) >= 4 and phrase.lower() in haystack:
                        why = f"“{phrase}” is named in the item or its papers"
                        break
            if why:
                out.append(
                    {
                        "person_id": person_id,
                        "name": names.get(person_id, ""),
                        "interest": f"{interest.get_category_display()}: {interest.involved}"
                        + (f" ({interest.description})" if interest.description else ""),
                        "why": why,
                    }
                )
    return out


def current_minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting, is_current=True).first()


@dataclass
class MinutesLink:
    """The minutes of a meeting as one reader may open them from the meeting page."""

    minutes: Minutes
    part2: bool  # this reader reads Part 2 too
    url: str
    pdf_url: str | None


@dataclass
class DecisionRow:
    decision: Decision
    full: bool  # False: a Part 2 decision shown by its public summary only (ToR 13.2)
    heading: str
    text: str


def meeting_record_for(user, meeting: Meeting) -> dict:
    """The minutes and decisions of a meeting as `user` may see them; three queries whatever
    the number of versions or decisions. Visibility is `meetings.access`'s."""

    versions = list(
        Minutes.objects.filter(meeting=meeting)
        .defer("sections")
        .prefetch_related("documents")
        .order_by("-version")
    )
    minutes_link = None
    for m in versions:
        m.meeting = meeting
    readable = [m for m in versions if access.minutes_visible_to(user, m, Part.PUBLIC)]
    chosen = next((m for m in readable if m.is_current), readable[0] if readable else None)
    if chosen is not None:
        part2 = access.minutes_visible_to(user, chosen, Part.PRIVATE)
        audience = MinutesDocument.Audience.MEMBERS if part2 else MinutesDocument.Audience.PUBLIC
        built = [d for d in chosen.documents.all() if d.audience == audience]
        slug = meeting.committee.slug
        minutes_link = MinutesLink(
            minutes=chosen,
            part2=part2,
            url=reverse("record:minutes", args=[slug, meeting.pk]),
            pdf_url=reverse("record:minutes_pdf", args=[slug, meeting.pk, chosen.version, audience])
            if built
            else None,
        )
    rows = []
    for d in (
        Decision.objects.filter(meeting=meeting).select_related("item").order_by("sequence", "pk")
    ):
        d.meeting = meeting
        if not access.decision_notice_visible_to(user, d):
            continue  # taken down: the page says so instead
        full = access.decision_full_text_visible_to(user, d)
        heading = (
            d.item.title if full else (d.item.public_description or "Business taken in private")
        )
        rows.append(DecisionRow(d, full, heading, d.text if full else d.public_summary))
    return {"minutes_link": minutes_link, "decisions": rows}
