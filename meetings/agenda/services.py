"""Writes for agendas, papers, the Chair's agreement, dispatch and members' item requests.

Every change to an agenda's items goes through `_changed`, which sends an agreed (or awaiting)
agenda back to draft with a new version: the Chair agrees a version, not a moving target
(ToR 12.1.1). Part 2 ordering and numbering is enforced here, not in the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Max, Value, When
from django.urls import reverse
from django.utils import timezone

from committees.calendars import calendar_for
from committees.models import Part2Ground
from communications.mail import absolute_url, queue_message
from communications.services import send_soon
from meetings import access, signals
from meetings.access import committee_access
from meetings.agenda import office
from meetings.agenda import papers as paper_files
from meetings.agenda import rules as rules_mod
from meetings.errors import AgendaError
from meetings.models import (
    Agenda,
    AgendaAgreement,
    AgendaItem,
    ItemRequest,
    Meeting,
    MeetingChange,
    MeetingInvitation,
    Paper,
    PaperDownload,
    PaperWithholding,
    Part,
    SupplementaryAgenda,
)
from meetings.scheduling import deadlines as dl
from meetings.scheduling.checks import CheckSummary, groups_by_role
from meetings.scheduling.ical import REQUEST, ics_attachment
from meetings.scheduling.selectors import email_of, meeting_recipients
from meetings.scheduling.services import meeting_context
from members.models import Office, Person

ITEM_FIELDS = (
    "title",
    "purpose",
    "presenter",
    "report_author",
    "lead_organisation",
    "timing_minutes",
    "description",
    "part",
    "part2_ground",
    "public_description",
    "part2_review_date",
)


def _documents_changed(meeting_id: int, reason: str) -> None:
    """The published agenda and pack follow the agenda: documents listens and asks for a rebuild
    (after commit, debounced; unchanged content is not built again)."""
    signals.agenda_changed.send(sender=Agenda, meeting_id=meeting_id, reason=reason)


def _url(path: str) -> str:
    return absolute_url(path)


# ---------------------------------------------------------------- agenda and items


def get_or_create_agenda(*, meeting: Meeting) -> Agenda:
    """The meeting's agenda; a new one starts with the standard items."""
    with transaction.atomic():
        agenda, created = Agenda.objects.select_for_update().get_or_create(meeting=meeting)
        if created:
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    agenda=agenda,
                    number=n,
                    part=Part.PUBLIC,
                    title=title,
                    purpose=purpose,
                    standard_key=key,
                )
                for n, (key, title, purpose) in enumerate(rules_mod.standard_items(), start=1)
            )
    return agenda


def _lock(agenda: Agenda) -> Agenda:
    return Agenda.objects.select_for_update().get(pk=agenda.pk)


def _changed(agenda: Agenda) -> None:
    """Record a change to the items; an agreed or awaiting agenda needs agreement again."""
    if agenda.state == Agenda.State.DISPATCHED:
        raise AgendaError(
            "The agenda has been dispatched, so its items cannot change. Add a late paper "
            "to an item instead, or raise a supplementary agenda with the Chair."
        )
    if agenda.sent_to_chair_at is not None:
        agenda.version += 1
    if agenda.state in (Agenda.State.AGREED, Agenda.State.AWAITING_CHAIR):
        agenda.state = Agenda.State.DRAFT
        agenda.agreed_at = None
        agenda.agreed_by = None
    agenda.save()


EXCLUSION_KEY = "exclusion"
EXCLUSION_TITLE = "Exclusion of the press and public"


def _exclusion_item(agenda: Agenda) -> AgendaItem | None:
    """The automatic "Exclusion of the press and public" item (issue 13): there when the meeting
    has Part 2 business, gone when it has none."""
    has_part2 = AgendaItem.objects.filter(agenda=agenda, part=Part.PRIVATE).exists()
    item = AgendaItem.objects.filter(agenda=agenda, standard_key=EXCLUSION_KEY).first()
    if has_part2 and item is None:
        top = AgendaItem.objects.filter(agenda=agenda).aggregate(m=Max("number"))["m"] or 0
        item = AgendaItem.objects.create(
            agenda=agenda,
            number=top + 1,
            part=Part.PUBLIC,
            title=EXCLUSION_TITLE,
            purpose=AgendaItem.Purpose.DECISION,
            standard_key=EXCLUSION_KEY,
        )
    elif not has_part2 and item is not None:
        item.delete()
        item = None
    return item


def _exclusion_text(agenda: Agenda) -> str:
    """The resolution to exclude the press and public, with the grounds of each Part 2 item."""
    items = (
        AgendaItem.objects.filter(agenda=agenda, part=Part.PRIVATE)
        .select_related("part2_ground")
        .order_by("number")
    )
    lines = [
        "To resolve that the press and public be excluded from the meeting for the following "
        "items of business, on the grounds shown:"
    ]
    for item in items:
        ground = item.part2_ground
        why = f"{ground.reference} {ground.text}".strip() if ground else ""
        lines.append(f"Item {item.number}: {why}")
    return "\n".join(lines)


def _apply_numbers(agenda: Agenda, order: list[int] | None = None) -> None:
    """Renumber 1..n with Part 1 before Part 2, keeping `order` (ids) within each part; the
    exclusion item, when there is Part 2 business, is the last of Part 1."""
    exclusion = _exclusion_item(agenda)
    rows = list(AgendaItem.objects.filter(agenda=agenda).values_list("pk", "part", "number"))
    if order is None:
        rows.sort(key=lambda r: r[2])
    else:
        position = {pk: i for i, pk in enumerate(order)}
        rows.sort(key=lambda r: (position.get(r[0], len(position)), r[2]))
    if exclusion is not None:
        rows.sort(key=lambda r: r[0] == exclusion.pk and r[1] == Part.PUBLIC)
    numbers = dict(rules_mod.renumber([(pk, part) for pk, part, _ in rows]))
    if not all(numbers[pk] == number for pk, _, number in rows):
        # Two statements, whatever the number of items: out of the way, then each to its
        # number; the unique (agenda, number) constraint holds row by row throughout.
        AgendaItem.objects.filter(agenda=agenda).update(number=F("number") + 10000)
        AgendaItem.objects.filter(agenda=agenda, pk__in=numbers).update(
            number=Case(
                *(When(pk=pk, then=Value(number)) for pk, number in numbers.items()),
                output_field=IntegerField(),
            )
        )
    if exclusion is not None:
        AgendaItem.objects.filter(pk=exclusion.pk).update(description=_exclusion_text(agenda))


def _check_item(agenda: Agenda, values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    values["title"] = (values.get("title") or "").strip()
    if not values["title"]:
        raise AgendaError("Enter the item's title.")
    part = int(values.get("part") or Part.PUBLIC)
    values["part"] = part
    ground = values.get("part2_ground")
    if part == Part.PRIVATE:
        if ground is None:
            raise AgendaError("Choose the ground for taking this item in Part 2 (in private).")
        if (
            not isinstance(ground, Part2Ground)
            or ground.committee_id != agenda.meeting.committee_id
        ):
            raise AgendaError("Choose a Part 2 ground from this committee's list.")
        values["public_description"] = (values.get("public_description") or "").strip()
        if not values["public_description"]:
            raise AgendaError(
                "Enter a public description of this Part 2 item: what the public agenda says "
                "instead of the title. It must not reveal the confidential matter."
            )
    else:
        values["part2_ground"] = None
        values["public_description"] = ""
        values["part2_review_date"] = None
    return values


@transaction.atomic
def add_item(*, agenda: Agenda, by, **fields: Any) -> AgendaItem:
    """Add a business item: Part 1 goes before 'Any other business', Part 2 at the end."""
    agenda = _lock(agenda)
    values = _check_item(agenda, {k: fields.get(k) for k in ITEM_FIELDS if k in fields})
    _changed(agenda)
    items = list(AgendaItem.objects.filter(agenda=agenda).order_by("number"))
    order = [i.pk for i in items]
    top = AgendaItem.objects.filter(agenda=agenda).aggregate(m=Max("number"))["m"] or 0
    item = AgendaItem.objects.create(agenda=agenda, number=top + 10001, **values)
    if values["part"] == Part.PUBLIC:
        closing = [i.pk for i in items if i.standard_key in rules_mod.CLOSING_KEYS and i.part == 1]
        at = order.index(closing[0]) if closing else len(order)
        order.insert(at, item.pk)
    else:
        order.append(item.pk)
    _apply_numbers(agenda, order)
    item.refresh_from_db()
    return item


@transaction.atomic
def update_item(*, item: AgendaItem, by, **fields: Any) -> AgendaItem:
    agenda = _lock(item.agenda)
    current = {k: getattr(item, k) for k in ITEM_FIELDS}
    current.update({k: v for k, v in fields.items() if k in ITEM_FIELDS})
    values = _check_item(agenda, current)
    if all(getattr(item, k) == v for k, v in values.items()):
        return item
    _changed(agenda)
    moved_to_part1 = item.part != values["part"] and values["part"] == Part.PUBLIC
    for k, v in values.items():
        setattr(item, k, v)
    item.save()
    order = None
    if moved_to_part1:
        # Back into Part 1: take it before the closing items, as a new business item would be.
        rows = list(
            AgendaItem.objects.filter(agenda=agenda)
            .exclude(pk=item.pk)
            .order_by("number")
            .values_list("pk", "part", "standard_key")
        )
        order = [pk for pk, _, _ in rows]
        closing = [pk for pk, part, key in rows if key in rules_mod.CLOSING_KEYS and part == 1]
        order.insert(order.index(closing[0]) if closing else len(order), item.pk)
    _apply_numbers(agenda, order)
    item.refresh_from_db()
    return item


@transaction.atomic
def delete_item(*, item: AgendaItem, by) -> None:
    agenda = _lock(item.agenda)
    if item.standard_key == EXCLUSION_KEY:
        raise AgendaError(
            "The exclusion of the press and public stands while the meeting has Part 2 "
            "business: move the Part 2 items to Part 1 or remove them, and it goes."
        )
    if item.papers.exists():
        raise AgendaError(
            f"Item {item.number} has papers. Withdraw its papers first, then remove the item."
        )
    if ItemRequest.objects.filter(agenda_item=item).exists():
        ItemRequest.objects.filter(agenda_item=item).update(
            agenda_item=None, state=ItemRequest.State.PENDING
        )
    _changed(agenda)
    item.delete()
    _apply_numbers(agenda)


@transaction.atomic
def move_item(*, item: AgendaItem, direction: str, by) -> None:
    """Move an item up or down within its part (Part 2 always stays after Part 1)."""
    agenda = _lock(item.agenda)
    same_part = list(
        AgendaItem.objects.filter(agenda=agenda, part=item.part)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    new = rules_mod.move(same_part, item.pk, direction)
    if new == same_part:
        return
    _changed(agenda)
    others = list(
        AgendaItem.objects.filter(agenda=agenda)
        .exclude(part=item.part)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    _apply_numbers(agenda, new + others if item.part == Part.PUBLIC else others + new)


@transaction.atomic
def reorder_items(*, agenda: Agenda, order: list[int], by) -> None:
    """Put the items in the given order (ids); Part 2 items are still moved after Part 1."""
    agenda = _lock(agenda)
    existing = list(AgendaItem.objects.filter(agenda=agenda).order_by("number"))
    ids = [i.pk for i in existing]
    if sorted(order) != sorted(ids):
        raise AgendaError("The agenda changed while you were reordering it. Reload and try again.")
    if order == ids:
        return
    _changed(agenda)
    _apply_numbers(agenda, order)


# ---------------------------------------------------------------- the Chair's agreement


def office_holders(meeting: Meeting, on: dt.date | None = None) -> dict[str, list[int]]:
    """The people holding each office the committee's agreement rule names, today."""
    offices = rules_mod.agreeing_offices(meeting.committee.rules.agenda_agreed_by)
    holders: dict[str, list[int]] = {}
    rows = Office.objects.current(on or timezone.localdate()).filter(
        committee_id=meeting.committee_id, kind__in=offices
    )
    for kind, person_id in rows.values_list("kind", "person_id").order_by("kind", "start"):
        holders.setdefault(kind, []).append(person_id)
    return holders


def agreement_status(agenda: Agenda) -> rules_mod.AgreementStatus:
    """Who has agreed the agenda's current version and who must still agree, under the
    committee's rule (CommitteeRules.agenda_agreed_by)."""
    agreed = AgendaAgreement.objects.filter(agenda=agenda, version=agenda.version).values_list(
        "person_id", flat=True
    )
    return rules_mod.agreement_status(
        agenda.meeting.committee.rules.agenda_agreed_by, office_holders(agenda.meeting), agreed
    )


@dataclass(frozen=True)
class AgreementRow:
    person: Person
    office: str
    agreement: AgendaAgreement | None


def agreement_rows(agenda: Agenda) -> tuple[rules_mod.AgreementStatus, list[AgreementRow]]:
    """For the pages: each person who must agree the current version, with their agreement."""
    status = agreement_status(agenda)
    people = Person.objects.in_bulk(list(status.required))
    given = {
        a.person_id: a
        for a in AgendaAgreement.objects.filter(
            agenda=agenda, version=agenda.version
        ).select_related("recorded_by")
    }
    rows = [
        AgreementRow(people[pk], office, given.get(pk))
        for pk, office in status.required.items()
        if pk in people
    ]
    return status, rows


def agreement_rule_text(meeting: Meeting) -> str:
    """The rule as a message states it: "the Chair and every Vice-Chair (ToR, Conduct & ...)"."""
    rules = meeting.committee.rules
    return f"{rules_mod.describe_agreed_by(rules.agenda_agreed_by)} ({rules.cite('agenda')})"


@transaction.atomic
def send_to_chair(*, agenda: Agenda, by) -> Agenda:
    """Send the agenda for agreement to everyone the committee's rule names."""
    agenda = _lock(agenda)
    if agenda.state not in (Agenda.State.DRAFT, Agenda.State.RETURNED):
        raise AgendaError(f"The agenda is {agenda.get_state_display().lower()}; it cannot be sent.")
    if not agenda.items.exists():
        raise AgendaError("The agenda has no items.")
    if agenda.meeting.status == Meeting.Status.CANCELLED:
        raise AgendaError("The meeting is cancelled.")
    agenda.state = Agenda.State.AWAITING_CHAIR
    agenda.sent_to_chair_at = timezone.now()
    agenda.sent_to_chair_by = by
    agenda.save()
    meeting = agenda.meeting
    link = _url(reverse("portal_meetings:agenda_agreement", args=[meeting.pk]))
    status = agreement_status(agenda)
    for person in Person.objects.filter(pk__in=list(status.required)).select_related("user"):
        email = email_of(person)
        if email:
            queue_message(
                recipient=email,
                recipient_name=person.full_name,
                name="agenda_for_agreement",
                context={"link": link, "version": agenda.version, "name": person.full_name},
                idempotency_key=f"agenda-agree:{agenda.pk}:v{agenda.version}:{person.pk}",
                committee=meeting.committee,
                meeting=meeting,
            )
    return agenda


def _email_secretariat(agenda: Agenda, name: str, context: dict[str, Any]) -> None:
    meeting = agenda.meeting
    link = _url(reverse("agenda:builder", args=[meeting.pk]))
    for user in meeting.committee.secretariat.all():
        if user.email:
            queue_message(
                recipient=user.email,
                name=name,
                context={**context, "link": link},
                idempotency_key=f"{name}:{agenda.pk}:v{agenda.version}:{user.pk}",
                committee=meeting.committee,
                meeting=meeting,
            )


@transaction.atomic
def agree_agenda(
    *, agenda: Agenda, by, version: int, person: Person | None = None, note: str = ""
) -> Agenda:
    """Record one agreement to this version of the agenda: the only way an agenda is agreed.

    Without `person`, the signed-in user agrees for themselves (the member portal). With it,
    the secretariat records an agreement the person gave another way, and says how (`note`),
    from the agenda builder. The agenda is agreed once everyone the committee's rule names has
    agreed this version (CommitteeRules.agenda_agreed_by; K&M ToR 12.1.1, M&SE Conduct &
    Operation); until then it stays awaiting agreement.
    """
    agenda = _lock(agenda)
    meeting = agenda.meeting
    access = committee_access(by, meeting.committee_id)
    note = (note or "").strip()
    if person is None:
        person = Person.objects.filter(user=by).first() if by and by.is_authenticated else None
        if person is None or not access.officer:
            raise AgendaError(
                f"The agenda is agreed by {agreement_rule_text(meeting)}; you are not one of them."
            )
        note = ""
    else:
        if not access.secretariat:
            raise AgendaError("Only the committee's secretariat can record someone's agreement.")
        if not note:
            raise AgendaError(
                f"Say how {person.full_name} gave their agreement, for example “by email on "
                "3 March”: it is kept with the agenda."
            )
        if len(note) > 300:
            raise AgendaError("Say how they agreed in 300 characters or fewer.")
    # After dispatch, a supplementary agenda is agreed the same way, against the new version.
    supplement = (
        SupplementaryAgenda.objects.filter(
            agenda=agenda,
            state=SupplementaryAgenda.State.AWAITING_CHAIR,
            agenda_version=agenda.version,
        ).first()
        if agenda.state == Agenda.State.DISPATCHED
        else None
    )
    if agenda.state != Agenda.State.AWAITING_CHAIR and supplement is None:
        raise AgendaError(
            f"The agenda is {agenda.get_state_display().lower()}; only an agenda sent for "
            "agreement can be agreed."
        )
    if version != agenda.version:
        raise AgendaError(
            "The agenda changed after it was opened. Read the current version and agree that."
        )
    status = agreement_status(agenda)
    if person.pk not in status.required:
        raise AgendaError(
            f"The agenda is agreed by {agreement_rule_text(meeting)}: {person.full_name} is not "
            "one of them."
        )
    if person.pk in status.agreed:
        raise AgendaError(f"{person.full_name} has already agreed version {agenda.version}.")
    AgendaAgreement.objects.create(
        agenda=agenda,
        version=agenda.version,
        person=person,
        office=status.required[person.pk],
        recorded_by=by,
        note=note,
    )
    if supplement is not None:
        if agreement_status(agenda).complete:
            supplement.state = SupplementaryAgenda.State.AGREED
            supplement.agreed_at = timezone.now()
            supplement.save(update_fields=["state", "agreed_at"])
            _email_secretariat(agenda, "agenda_agreed", {"by": person.full_name})
        return agenda
    if agreement_status(agenda).complete:
        agenda.state = Agenda.State.AGREED
        agenda.agreed_at = timezone.now()
        agenda.agreed_by = by
        agenda.agreed_version = agenda.version
        agenda.chair_comments = ""
        agenda.save()
        _email_secretariat(agenda, "agenda_agreed", {"by": person.full_name})
    return agenda


@transaction.atomic
def return_agenda(*, agenda: Agenda, by, comments: str) -> Agenda:
    agenda = _lock(agenda)
    if not committee_access(by, agenda.meeting.committee_id).officer:
        raise AgendaError(
            "Only the Chair or a member of the Leadership Team can return the agenda."
        )
    if agenda.state != Agenda.State.AWAITING_CHAIR:
        raise AgendaError("Only an agenda sent for agreement can be returned.")
    comments = (comments or "").strip()
    if not comments:
        raise AgendaError("Say what should change: the secretariat will see your comments.")
    agenda.state = Agenda.State.RETURNED
    agenda.chair_comments = comments
    agenda.returned_at = timezone.now()
    agenda.save()
    _email_secretariat(agenda, "agenda_returned", {"comments": comments})
    return agenda


# ---------------------------------------------------------------- dispatch


def _papers_deadline(meeting: Meeting, calendar=None) -> tuple[dt.date, bool]:
    """The papers deadline, and whether it is an urgent meeting's called at short notice (the
    papers then due with the notice: `deadlines.short_notice_papers_due`)."""
    rules = meeting.committee.rules
    dates, short = dl.meeting_deadline_dates(
        meeting.date,
        rules,
        calendar or calendar_for(rules),
        urgent=meeting.kind == Meeting.Kind.URGENT,
        notice_at=meeting.notice_given_at,
    )
    return dates[dl.PAPERS], short


def papers_deadline(meeting: Meeting, calendar=None) -> dt.date:
    return _papers_deadline(meeting, calendar)[0]


def papers_due(meetings, today: dt.date) -> dict[int, dt.date]:
    """The papers deadline of each meeting still to come whose agenda and papers have not gone
    out (cancelled ones have none), by meeting id: one working-day calendar a committee, no
    query per meeting when each meeting's `committee.rules` is loaded with it."""
    calendars: dict[int, object] = {}
    due = {}
    for m in meetings:
        if m.date < today or m.is_cancelled or m.papers_dispatched_at:
            continue
        rules = m.committee.rules
        calendar = calendars.get(rules.pk)
        if calendar is None:
            calendar = calendars[rules.pk] = calendar_for(rules)
        due[m.pk] = papers_deadline(m, calendar)
    return due


def dispatch_compliance(meeting: Meeting) -> rules_mod.Compliance:
    """The papers deadline and when the agenda went out against it, or how late it would be
    if sent today (the Compliance carries the deadline, so pages need not compute it again)."""
    cal = calendar_for(meeting.committee.rules)
    agenda = getattr(meeting, "agenda", None)
    at = agenda.dispatched_at if agenda is not None else None
    on = timezone.localtime(at).date() if at else None
    deadline, short_notice = _papers_deadline(meeting, cal)
    return rules_mod.dispatch_compliance(
        cal,
        deadline=deadline,
        dispatched_on=on,
        today=timezone.localdate(),
        short_notice=short_notice,
        urgent_citation=meeting.committee.rules.cite("urgent_meeting") if short_notice else "",
    )


@transaction.atomic
def dispatch_agenda(*, agenda: Agenda, by) -> Agenda:
    """Send the agenda and papers (as a link, never attachments) and publish Part 1 (ToR 12.2)."""
    agenda = _lock(agenda)
    meeting = agenda.meeting
    if not committee_access(by, meeting.committee_id).secretariat:
        raise AgendaError("Only the committee's secretariat can dispatch the agenda.")
    if agenda.state == Agenda.State.DISPATCHED:
        raise AgendaError("The agenda has already been dispatched.")
    if agenda.state != Agenda.State.AGREED:
        raise AgendaError(
            f"This version of the agenda is not agreed yet: it is agreed by "
            f"{agreement_rule_text(meeting)}. Send it for agreement and dispatch once everyone "
            "has agreed."
        )
    if meeting.status == Meeting.Status.CANCELLED:
        raise AgendaError("The meeting is cancelled.")
    # The pack waits for every paper (issue 15): none may still be converting or being checked.
    processing = list(
        Paper.objects.filter(item__agenda=agenda, state=Paper.State.PROCESSING)
        .select_related("item")
        .only("title", "item__number")
    )
    if processing:
        names = ", ".join(f"'{p.title}' (item {p.item.number})" for p in processing)
        raise AgendaError(
            f"Still being processed: {names}. The pack must include every paper; dispatch "
            "once the agenda builder shows them ready (usually within a minute)."
        )
    agenda.state = Agenda.State.DISPATCHED
    agenda.dispatched_at = timezone.now()
    agenda.dispatched_by = by
    agenda.save()
    # The meeting's deadline record (meetings.scheduling.deadlines) shows dispatch against the papers rule.
    # Without an earlier notice the dispatch is the summons (K&M ToR 10.2: date, time, place and
    # the calendar invitation), and it gives the notice at the same moment (issue 13).
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    summons = meeting.notice_given_at is None
    update = {"papers_dispatched_at": agenda.dispatched_at}
    if summons:
        update["notice_given_at"] = agenda.dispatched_at
    Meeting.objects.filter(pk=meeting.pk).update(**update)
    for key, value in update.items():
        setattr(meeting, key, value)
    link = _url(reverse("portal_meetings:meeting", args=[meeting.pk]))
    items = list(agenda.items.order_by("number"))
    context: dict[str, Any] = {"link": link, "summons": summons}
    attachments = None
    if summons:
        context.update(meeting_context(meeting))
        attachments = [ics_attachment(meeting, method=REQUEST)]
    # Members and Participants, and the observers and attendees invited, each their own copy.
    recipients = meeting_recipients(meeting, invited=True, login_email=True, one_per_address=False)
    for to in recipients:
        queue_message(
            recipient=to.email,
            recipient_name=to.person.full_name,
            name="dispatch_papers",
            context={**context, "name": to.person.full_name},
            render_context={"items": items},
            idempotency_key=f"dispatch:{agenda.pk}:{to.person.pk}",
            committee=meeting.committee,
            meeting=meeting,
            attachments=attachments,
        )
    if summons:
        MeetingChange.objects.create(
            meeting=meeting,
            kind=MeetingChange.Kind.NOTICE,
            new_date=meeting.date,
            new_start_time=meeting.start_time,
            by=by,
            at=agenda.dispatched_at,
            reason=f"Notice given with the agenda and papers (the summons) to {len(recipients)} "
            "people.",
        )
    _documents_changed(meeting.pk, "agenda dispatched")
    # The public site alerts the people who subscribed to the committee.
    signals.papers_dispatched.send(
        sender=Agenda, meeting=meeting, link=_url(meeting.get_absolute_url())
    )
    return agenda


# ---------------------------------------------------------------- papers


def _store_checked(uploaded) -> tuple[str, str, str, str]:
    """The fast checks by content (issue 15): a PDF or an office package without macros.
    Returns the stored name, the format, the digest and the display name."""
    data = paper_files.read_upload(uploaded)
    if len(data) > settings.PAPER_MAX_BYTES:
        paper_files.inspect_pdf(data)  # raises the size message
    sniffed = office.sniff(data, getattr(uploaded, "name", "") or "")
    if sniffed.is_pdf:
        paper_files.check_pdf(data)
    name = paper_files.store_pdf(data, suffix=sniffed.format)
    original = paper_files.display_name(getattr(uploaded, "name", "") or "")
    return name, sniffed.format, hashlib.sha256(data).hexdigest(), original


def _queue_processing(paper_id: int) -> None:
    """After commit, the worker processes the upload (`meetings.process_paper`)."""
    from celery import current_app

    transaction.on_commit(lambda: current_app.send_task("meetings.process_paper", args=[paper_id]))


def _is_dispatched(agenda_id: int) -> bool:
    """Read fresh: a caller's cached agenda may predate the dispatch."""
    return Agenda.objects.filter(pk=agenda_id, state=Agenda.State.DISPATCHED).exists()


def _pending_paper(*, item_id: int, by, title: str, stored: tuple, **extra) -> Paper:
    name, fmt, sha, original = stored
    paper = Paper.objects.create(
        item_id=item_id,
        title=title[:300],
        storage_name="",
        source_name=name,
        source_format=fmt,
        original_name=original,
        size=paper_files.stored_size(name),
        sha256=sha,
        original_sha256=sha,
        page_count=0,
        state=Paper.State.PROCESSING,
        is_current=False,
        uploaded_by=by,
        **extra,
    )
    _queue_processing(paper.pk)
    return paper


def upload_paper(*, item: AgendaItem, by, uploaded, title: str, reason: str = "") -> Paper:
    """Check and store a paper for an item; the worker processes it, then it becomes current.
    After dispatch it is a late paper, with a reason."""
    title = (title or "").strip()
    if not title:
        raise AgendaError("Enter the paper's title.")
    late = _is_dispatched(item.agenda_id)
    reason = (reason or "").strip()
    if late and not reason:
        raise AgendaError(
            "The agenda has been dispatched, so this is a late paper: say why it is late. "
            "Readers will see the reason."
        )
    stored = _store_checked(uploaded)
    try:
        with transaction.atomic():
            return _pending_paper(
                item_id=item.pk,
                by=by,
                title=title,
                stored=stored,
                status=Paper.Status.LATE if late else Paper.Status.ORIGINAL,
                reason=reason if late else "",
            )
    except Exception:
        paper_files.delete_file(stored[0])
        raise


def replace_paper(*, paper: Paper, by, uploaded, reason: str = "", title: str = "") -> Paper:
    """A new version, processed by the worker; the current one stays until it is ready. After
    dispatch the old one is then kept and the new one marked revised."""
    if not paper.is_current:
        raise AgendaError("That is an earlier version; replace the current one.")
    dispatched = _is_dispatched(paper.item.agenda_id)
    reason = (reason or "").strip()
    if dispatched and not reason:
        raise AgendaError("The papers have been dispatched: say why the paper is revised.")
    stored = _store_checked(uploaded)
    try:
        with transaction.atomic():
            old = Paper.objects.select_for_update().get(pk=paper.pk)
            if not old.is_current:
                raise AgendaError("Someone replaced this paper a moment ago. Reload the page.")
            return _pending_paper(
                item_id=old.item_id,
                by=by,
                title=(title or old.title).strip(),
                stored=stored,
                status=Paper.Status.REVISED if dispatched else old.status,
                reason=reason if dispatched else old.reason,
                supersedes=old,
            )
    except Exception:
        paper_files.delete_file(stored[0])
        raise


@transaction.atomic
def withdraw_paper(*, paper: Paper, by) -> None:
    """Remove a paper before dispatch (nothing published is ever deleted)."""
    # An upload still processing or failed was never published: it may always be removed.
    if paper.state == Paper.State.READY and _is_dispatched(paper.item.agenda_id):
        raise AgendaError(
            "The papers have been dispatched: a published paper is never deleted. Upload a "
            "revised version instead."
        )
    names = [n for n in (paper.storage_name, paper.source_name) if n]
    for pending in paper.pending_versions.all():
        names += [n for n in (pending.storage_name, pending.source_name) if n]
    paper.delete()
    transaction.on_commit(lambda: [paper_files.delete_file(n) for n in names])


def log_paper_download(*, paper: Paper, user) -> None:
    """Part 2 downloads are logged (who, when) for the secretariat."""
    if paper.item.part == Part.PRIVATE and user.is_authenticated:
        PaperDownload.objects.create(paper=paper, user=user)


@transaction.atomic
def withhold_paper(*, paper: Paper, person, reason: str, by) -> PaperWithholding:
    if paper.item.part != Part.PRIVATE:
        raise AgendaError("Only a Part 2 paper can be withheld; Part 1 papers are public.")
    if not committee_access(by, paper.item.agenda.meeting.committee_id).staff:
        raise AgendaError("Only the Chair or the secretariat can withhold a paper.")
    if not (reason or "").strip():
        raise AgendaError("Give the reason, for example the member's declared interest.")
    row, _ = PaperWithholding.objects.update_or_create(
        paper=paper, person=person, defaults={"reason": reason.strip(), "decided_by": by}
    )
    if _is_dispatched(paper.item.agenda_id):
        _documents_changed(paper.item.agenda.meeting_id, "Part 2 paper withheld from a member")
    return row


@transaction.atomic
def invite_to_meeting(
    *, meeting: Meeting, person, part2: bool, by, note: str = ""
) -> MeetingInvitation:
    inv, _ = MeetingInvitation.objects.update_or_create(
        meeting=meeting, person=person, defaults={"part2": part2, "note": note, "invited_by": by}
    )
    return inv


def withdraw_invitation(*, invitation: MeetingInvitation, by) -> None:
    """The person is no longer invited: what the invitation admitted them to (Part 2 of that
    meeting) is closed to them from the next request. The audit history keeps who withdrew
    it and when."""
    invitation._history_user = by
    invitation.delete()


# ---------------------------------------------------------------- members' item requests


def request_deadlines(meeting: Meeting) -> rules_mod.RequestDeadlines:
    rules = meeting.committee.rules
    return rules_mod.request_deadlines(calendar_for(rules), meeting.date, rules)


@transaction.atomic
def submit_item_request(
    *,
    meeting: Meeting,
    by,
    title: str,
    summary: str,
    why: str,
    urgent: bool = False,
    urgent_reason: str = "",
    today: dt.date | None = None,
) -> ItemRequest:
    """A member or participant asks for an item (ToR 12.3); refused when too late."""
    if not committee_access(by, meeting.committee_id).member:
        raise AgendaError("Only members and participants of the committee can request an item.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise AgendaError("The meeting is cancelled.")
    today = today or timezone.localdate()
    urgent_reason = (urgent_reason or "").strip()
    if urgent and not urgent_reason:
        raise AgendaError("Say why the item is urgent.")
    timing = rules_mod.classify_item_request(
        submitted_on=today, urgent=urgent, deadlines=request_deadlines(meeting)
    )
    if not timing.accepted:
        raise AgendaError(timing.message)
    return ItemRequest.objects.create(
        meeting=meeting,
        requested_by=by,
        title=title.strip()[:300],
        summary=summary.strip(),
        why=why.strip(),
        urgent=urgent,
        urgent_reason=urgent_reason if urgent else "",
        timing=timing.timing,
    )


@transaction.atomic
def decide_item_request(
    *,
    request: ItemRequest,
    by,
    decision: str,
    reason: str,
    deferred_to: Meeting | None = None,
) -> ItemRequest:
    """The Chair includes, declines or defers a request, at absolute discretion (ToR 12.3)."""
    req = ItemRequest.objects.select_for_update().select_related("meeting").get(pk=request.pk)
    meeting = req.meeting
    if not committee_access(by, meeting.committee_id).officer:
        raise AgendaError("Only the Chair or a member of the Leadership Team decides requests.")
    if req.state != ItemRequest.State.PENDING:
        raise AgendaError(f"This request was already decided: {req.get_state_display().lower()}.")
    reason = (reason or "").strip()
    if not reason:
        raise AgendaError("Give the reason for the decision; the member will be told it.")
    if decision == ItemRequest.State.INCLUDED:
        agenda = get_or_create_agenda(meeting=meeting)
        req.agenda_item = add_item(
            agenda=agenda,
            by=by,
            title=req.title,
            description=req.summary,
            presenter=str(req.requested_by.get_full_name() or req.requested_by),
            purpose=AgendaItem.Purpose.DISCUSSION,
        )
    elif decision == ItemRequest.State.DEFERRED:
        if (
            deferred_to is None
            or deferred_to.committee_id != meeting.committee_id
            or deferred_to.date <= meeting.date
            or deferred_to.status == Meeting.Status.CANCELLED
        ):
            raise AgendaError("Choose a later meeting of this committee to defer the item to.")
        req.deferred_to = deferred_to
    elif decision != ItemRequest.State.DECLINED:
        raise AgendaError("Choose include, decline or defer.")
    req.state = decision
    req.decision_reason = reason
    req.decided_by = by
    req.decided_at = timezone.now()
    req.save()
    if req.requested_by.email:
        queue_message(
            recipient=req.requested_by.email,
            name="item_request_decision",
            context={
                "title": req.title,
                "decision": req.get_state_display(),
                "reason": reason,
                "deferred_to": str(req.deferred_to) if req.deferred_to_id else "",
                "link": _url(reverse("portal_meetings:meeting", args=[meeting.pk])),
            },
            idempotency_key=f"item-request-decision:{req.pk}",
            committee=meeting.committee,
            meeting=meeting,
        )
    return req


# ---------------------------------------------------------------- check before you send


def dispatch_check(meeting: Meeting) -> CheckSummary:
    """What the dispatch sends and publishes, for the check page (issue 13)."""
    agenda = meeting.agenda
    addressees = meeting_recipients(meeting, invited=True, login_email=True, one_per_address=False)
    items = list(
        AgendaItem.objects.filter(agenda=agenda).annotate(n=Count("papers")).order_by("number")
    )
    part1 = [i for i in items if i.part == Part.PUBLIC]
    part2 = [i for i in items if i.part == Part.PRIVATE]
    summons = meeting.notice_given_at is None
    not_part2 = list(
        MeetingInvitation.objects.filter(meeting=meeting, part2=False)
        .select_related("person")
        .order_by("person__last_name")
    )
    withheld = PaperWithholding.objects.filter(paper__item__agenda=agenda).count()
    if part2:
        part2_text = (
            f"{len(part2)} Part 2 item(s) with {sum(i.n for i in part2)} paper(s): their titles "
            "and papers reach Members, Participants and those invited to Part 2 only, through "
            "the members' pages; the email itself lists no Part 2 title."
        )
        if not_part2:
            part2_text += (
                " Not invited to Part 2: " + ", ".join(i.person.full_name for i in not_part2) + "."
            )
        if withheld:
            part2_text += f" {withheld} Part 2 paper(s) withheld from a conflicted member."
    else:
        part2_text = "No Part 2 business."
    summary = CheckSummary(
        title="Dispatch the agenda and papers",
        what=(
            "The summons: the agenda and papers with the date, time and place (no notice was "
            "given earlier)."
            if summons
            else "The agenda and papers (the notice was given earlier)."
        ),
        groups=groups_by_role(meeting, addressees),
        attachments=(["A calendar invitation (.ics)"] if summons else [])
        + ["A link to the papers on the members' page (papers are never attached)"],
        part2=part2_text,
        public=[
            f"The Part 1 agenda ({len(part1)} items) and its "
            f"{sum(i.n for i in part1)} paper(s) on the public meeting page, with the public "
            "agenda pack.",
            "People subscribed to the committee's alerts are told.",
        ]
        + (
            [f"Part 2 items appear by their public description only ({len(part2)})."]
            if part2
            else []
        ),
        confirm_label="Dispatch agenda and papers",
    )
    if agenda.state != Agenda.State.AGREED:
        summary.problem = (
            f"This version of the agenda is not agreed yet (agreed by "
            f"{agreement_rule_text(meeting)})."
        )
    elif not addressees:
        summary.problem = "No Member or Participant has an email address."
    compliance = dispatch_compliance(meeting)
    if compliance.missed:
        rules = meeting.committee.rules
        summary.notes.append(
            f"This dispatch is late. The papers deadline was {compliance.deadline:%A %-d %B %Y} "
            f"({rules.papers_days} {rules.get_papers_counting_display()} before the meeting): "
            f"sent today, the agenda and papers are late by "
            f"{rules_mod.working_days_text(compliance.late_if_sent_today)}. The agenda's page and "
            "the public meeting page will show the dispatch as late."
        )
    return summary


# ---------------------------------------------------------------- late and revised papers


LATE_PAPERS_MESSAGE = "late_papers"


def papers_to_announce(meeting: Meeting):
    """Late and revised papers uploaded since dispatch that readers have not been told of."""
    return (
        Paper.objects.filter(
            item__agenda__meeting=meeting,
            status__in=[Paper.Status.LATE, Paper.Status.REVISED],
            announced_at__isnull=True,
        )
        .defer("text")
        .select_related("item")
        .order_by("item__number", "pk")
    )


def _papers_for(person: Person, meeting: Meeting, papers: list[Paper]) -> list[Paper]:
    """The papers of the batch this person may read, by the access helpers (DOMAIN.md §4): a
    Part 2 paper only to those entitled, never one withheld from them."""
    if person.user_id is None:
        return [p for p in papers if p.item.part == Part.PUBLIC and meeting.is_public]
    visible = set(
        access.visible_papers(person.user, meeting)
        .filter(pk__in=[p.pk for p in papers])
        .values_list("pk", flat=True)
    )
    return [p for p in papers if p.pk in visible]


def papers_check(meeting: Meeting) -> CheckSummary:
    papers = [p for p in papers_to_announce(meeting) if p.is_current]
    addressees = meeting_recipients(meeting, invited=True, login_email=True, one_per_address=False)
    part2 = [p for p in papers if p.item.part == Part.PRIVATE]
    summary = CheckSummary(
        title="Tell members about these papers",
        what="One email to each reader listing the late and revised papers since the last: "
        + "; ".join(
            f"item {p.item.number}: "
            + (p.title if p.item.part == Part.PUBLIC else f"Part 2 ({p.item.public_description})")
            + f" ({p.get_status_display().lower()})"
            for p in papers
        )
        + ".",
        groups=groups_by_role(meeting, addressees),
        attachments=["A link to the papers on the members' page (papers are never attached)"],
        part2=(
            f"{len(part2)} Part 2 paper(s): listed only to those entitled to read them (not to "
            "an observer not invited to Part 2, nor to a member it is withheld from), by the "
            "item's public description, never by title."
            if part2
            else "No Part 2 papers."
        ),
        public=(
            ["The Part 1 papers are already on the public meeting page."]
            if any(p.item.part == Part.PUBLIC for p in papers)
            else []
        ),
        confirm_label="Send the email",
    )
    if not papers:
        summary.problem = "There is no late or revised paper to tell readers about."
    elif not _is_dispatched(meeting.agenda.pk):
        summary.problem = "The agenda has not been dispatched: papers go out with it."
    return summary


@transaction.atomic
def announce_papers(*, meeting: Meeting, by) -> int:
    """One email per reader for every late or revised paper since the last announcement (a batch,
    not one per file), each listing only what that reader may read. Returns the emails queued."""
    if not committee_access(by, meeting.committee_id).secretariat:
        raise AgendaError("Only the committee's secretariat can tell readers about papers.")
    agenda = _lock(Agenda.objects.get(meeting=meeting))
    if agenda.state != Agenda.State.DISPATCHED:
        raise AgendaError("The agenda has not been dispatched: papers go out with it.")
    # Read fresh: the access helpers look at this meeting's agenda (a caller's may be stale).
    meeting = Meeting.objects.select_related("committee", "agenda").get(pk=meeting.pk)
    batch = list(papers_to_announce(meeting).select_for_update(of=("self",)))
    papers = [p for p in batch if p.is_current]
    if not papers:
        raise AgendaError("There is no late or revised paper to tell readers about.")
    now = timezone.now()
    link = _url(reverse("portal_meetings:meeting", args=[meeting.pk]))
    key = f"late-papers:{meeting.pk}:{max(p.pk for p in batch)}"
    pks = []
    for to in meeting_recipients(meeting, invited=True, login_email=True, one_per_address=False):
        theirs = _papers_for(to.person, meeting, papers)
        if not theirs:
            continue
        message, created = queue_message(
            recipient=to.email,
            recipient_name=to.person.full_name,
            name=LATE_PAPERS_MESSAGE,
            context={"link": link, "name": to.person.full_name},
            render_context={"papers": theirs},
            idempotency_key=f"{key}:{to.person.pk}",
            committee=meeting.committee,
            meeting=meeting,
        )
        if created:
            pks.append(message.pk)
    Paper.objects.filter(pk__in=[p.pk for p in batch]).update(announced_at=now)
    send_soon(pks)
    return len(pks)
