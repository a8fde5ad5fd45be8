"""Supplementary agendas (issue 13): after dispatch the secretariat raises one, proposes new
items, the people who agree the agenda agree it (the agenda's own agreement flow, against a new
agenda version), and the secretariat dispatches it after the check page: the items join the
agenda marked "Supplementary agenda N", documents build a new pack version (never overwriting
the last), and Members and Participants get one email listing what was added, Part 2 titles
only to those entitled (DOMAIN.md §4, by `meetings.access`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from committees.models import Part2Ground
from communications.mail import queue_message
from communications.services import send_soon
from meetings import access
from meetings.access import committee_access
from meetings.agenda import rules as rules_mod
from meetings.agenda import services
from meetings.errors import AgendaError
from meetings.models import Agenda, AgendaItem, Meeting, Part, SupplementaryAgenda
from meetings.scheduling.checks import CheckSummary, groups_by_role
from meetings.scheduling.selectors import email_of, meeting_recipients
from members.models import Person

SUPPLEMENTARY_MESSAGE = "supplementary_agenda"
PROPOSED_FIELDS = (
    "title",
    "purpose",
    "presenter",
    "description",
    "part",
    "part2_ground",
    "public_description",
)


def _secretariat(by, meeting: Meeting) -> None:
    if not committee_access(by, meeting.committee_id).secretariat:
        raise AgendaError("Only the committee's secretariat can do this.")


def _lock(supplement: SupplementaryAgenda) -> SupplementaryAgenda:
    return (
        SupplementaryAgenda.objects.select_for_update(of=("self",))
        .select_related("agenda__meeting__committee__rules")
        .get(pk=supplement.pk)
    )


def open_supplement(agenda: Agenda) -> SupplementaryAgenda | None:
    return (
        SupplementaryAgenda.objects.filter(agenda=agenda)
        .exclude(state=SupplementaryAgenda.State.DISPATCHED)
        .first()
    )


@transaction.atomic
def raise_supplement(*, agenda: Agenda, by) -> SupplementaryAgenda:
    agenda = Agenda.objects.select_for_update().select_related("meeting").get(pk=agenda.pk)
    _secretariat(by, agenda.meeting)
    if agenda.state != Agenda.State.DISPATCHED:
        raise AgendaError("The agenda has not been dispatched: add the items to the agenda itself.")
    if agenda.meeting.status == Meeting.Status.CANCELLED:
        raise AgendaError("The meeting is cancelled.")
    current = open_supplement(agenda)
    if current is not None:
        return current
    top = SupplementaryAgenda.objects.filter(agenda=agenda).aggregate(m=Max("number"))["m"] or 0
    return SupplementaryAgenda.objects.create(agenda=agenda, number=top + 1, created_by=by)


def _back_to_draft(supplement: SupplementaryAgenda) -> None:
    if supplement.state == SupplementaryAgenda.State.DISPATCHED:
        raise AgendaError(f"Supplementary agenda {supplement.number} has been dispatched.")
    supplement.state = SupplementaryAgenda.State.DRAFT
    supplement.agreed_at = None


@transaction.atomic
def propose_item(*, supplement: SupplementaryAgenda, by, **fields: Any) -> dict:
    supplement = _lock(supplement)
    agenda = supplement.agenda
    _secretariat(by, agenda.meeting)
    values = services._check_item(agenda, {k: fields.get(k) for k in PROPOSED_FIELDS})
    ground = values.get("part2_ground")
    row = {
        "title": values["title"][:300],
        "purpose": values.get("purpose") or AgendaItem.Purpose.INFORMATION,
        "presenter": (values.get("presenter") or "")[:200],
        "description": values.get("description") or "",
        "part": values["part"],
        "part2_ground": ground.pk if isinstance(ground, Part2Ground) else None,
        "public_description": values.get("public_description") or "",
    }
    _back_to_draft(supplement)
    supplement.proposed = [*supplement.proposed, row]
    supplement.save()
    return row


@transaction.atomic
def withdraw_proposed(*, supplement: SupplementaryAgenda, index: int, by) -> None:
    supplement = _lock(supplement)
    _secretariat(by, supplement.agenda.meeting)
    if not 0 <= index < len(supplement.proposed):
        raise AgendaError("That item is no longer on the supplementary agenda. Reload the page.")
    _back_to_draft(supplement)
    supplement.proposed = [r for i, r in enumerate(supplement.proposed) if i != index]
    supplement.save()


@transaction.atomic
def send_supplement_to_chair(*, supplement: SupplementaryAgenda, by) -> SupplementaryAgenda:
    """Ask for agreement as for the main agenda: the agenda's version goes up, so agreements to
    the dispatched version do not count for the supplement."""
    supplement = _lock(supplement)
    meeting = supplement.agenda.meeting
    _secretariat(by, meeting)
    if supplement.state != SupplementaryAgenda.State.DRAFT:
        raise AgendaError(
            f"Supplementary agenda {supplement.number} is "
            f"{supplement.get_state_display().lower()}; it cannot be sent."
        )
    if not supplement.proposed:
        raise AgendaError("Add at least one item to the supplementary agenda.")
    agenda = Agenda.objects.select_for_update().get(pk=supplement.agenda_id)
    agenda.version += 1
    agenda.save(update_fields=["version"])
    supplement.agenda = agenda
    supplement.agenda_version = agenda.version
    supplement.state = SupplementaryAgenda.State.AWAITING_CHAIR
    supplement.sent_to_chair_at = timezone.now()
    supplement.save()
    link = services._url(reverse("portal_meetings:agenda_agreement", args=[meeting.pk]))
    status = services.agreement_status(agenda)
    for person in Person.objects.filter(pk__in=list(status.required)).select_related("user"):
        email = email_of(person)
        if email:
            queue_message(
                recipient=email,
                recipient_name=person.full_name,
                name="agenda_for_agreement",
                context={
                    "link": link,
                    "version": agenda.version,
                    "name": person.full_name,
                    "supplement": supplement.number,
                },
                idempotency_key=f"agenda-agree:{agenda.pk}:v{agenda.version}:{person.pk}",
                committee=meeting.committee,
                meeting=meeting,
            )
    return supplement


def awaiting_supplement(agenda: Agenda) -> SupplementaryAgenda | None:
    """The supplement waiting for agreement to the agenda's current version, if any."""
    return SupplementaryAgenda.objects.filter(
        agenda=agenda,
        state=SupplementaryAgenda.State.AWAITING_CHAIR,
        agenda_version=agenda.version,
    ).first()


def proposed_rows(supplement: SupplementaryAgenda) -> list[dict]:
    """The proposed items with their ground, for pages."""
    grounds = Part2Ground.objects.in_bulk(
        [r["part2_ground"] for r in supplement.proposed if r.get("part2_ground")]
    )
    return [
        {
            **r,
            "index": i,
            "ground": grounds.get(r.get("part2_ground")),
            "purpose_display": AgendaItem.Purpose(r["purpose"]).label,
        }
        for i, r in enumerate(supplement.proposed)
    ]


def _insert_items(agenda: Agenda, supplement: SupplementaryAgenda) -> list[AgendaItem]:
    """The agreed items join the agenda: Part 1 before the closing items, Part 2 at the end."""
    existing = list(AgendaItem.objects.filter(agenda=agenda).order_by("number"))
    order = [i.pk for i in existing]
    closing = [i.pk for i in existing if i.standard_key in rules_mod.CLOSING_KEYS and i.part == 1]
    top = AgendaItem.objects.filter(agenda=agenda).aggregate(m=Max("number"))["m"] or 0
    grounds = Part2Ground.objects.in_bulk(
        [r["part2_ground"] for r in supplement.proposed if r.get("part2_ground")]
    )
    created = []
    for n, row in enumerate(supplement.proposed, start=1):
        item = AgendaItem.objects.create(
            agenda=agenda,
            number=top + 10000 + n,
            title=row["title"],
            purpose=row["purpose"],
            presenter=row["presenter"],
            description=row["description"],
            part=row["part"],
            part2_ground=grounds.get(row.get("part2_ground")),
            public_description=row["public_description"],
            supplementary=supplement,
        )
        if item.part == Part.PUBLIC:
            at = order.index(closing[0]) if closing else len(order)
            order.insert(at, item.pk)
        else:
            order.append(item.pk)
        created.append(item)
    services._apply_numbers(agenda, order)
    for item in created:
        item.refresh_from_db()
    return created


def supplement_check(supplement: SupplementaryAgenda) -> CheckSummary:
    meeting = supplement.agenda.meeting
    addressees = meeting_recipients(meeting, invited=True, login_email=True, one_per_address=False)
    rows = proposed_rows(supplement)
    part1 = [r for r in rows if r["part"] == Part.PUBLIC]
    part2 = [r for r in rows if r["part"] == Part.PRIVATE]
    summary = CheckSummary(
        title=f"Dispatch supplementary agenda {supplement.number}",
        what=f"Supplementary agenda {supplement.number}: {len(rows)} new item(s), in one email "
        "listing what was added, with a link to the papers.",
        groups=groups_by_role(meeting, addressees),
        attachments=["A link to the meeting's papers (papers are never attached)"],
        part2=(
            f"{len(part2)} Part 2 item(s): their titles go only to those entitled to Part 2 "
            "(Members, Participants, those invited to Part 2); others read the public "
            "description."
            if part2
            else "No Part 2 items."
        ),
        public=(
            [
                "On the public meeting page, marked Supplementary agenda "
                f"{supplement.number}: " + "; ".join(r["title"] for r in part1) + "."
            ]
            if part1
            else []
        )
        + [f"Part 2 by public description only: {r['public_description']}" for r in part2]
        + ["A new version of the agenda and pack (the earlier versions are kept)."],
        confirm_label=f"Dispatch supplementary agenda {supplement.number}",
    )
    if supplement.state != SupplementaryAgenda.State.AGREED:
        summary.problem = (
            f"Supplementary agenda {supplement.number} is not agreed yet (agreed by "
            f"{services.agreement_rule_text(meeting)})."
        )
    return summary


@transaction.atomic
def dispatch_supplement(*, supplement: SupplementaryAgenda, by) -> list[AgendaItem]:
    supplement = _lock(supplement)
    agenda = Agenda.objects.select_for_update().get(pk=supplement.agenda_id)
    meeting = Meeting.objects.select_related("committee", "agenda").get(pk=agenda.meeting_id)
    _secretariat(by, meeting)
    if supplement.state == SupplementaryAgenda.State.DISPATCHED:
        raise AgendaError(f"Supplementary agenda {supplement.number} was already dispatched.")
    if supplement.state != SupplementaryAgenda.State.AGREED:
        raise AgendaError(
            f"Supplementary agenda {supplement.number} is not agreed yet: it is agreed by "
            f"{services.agreement_rule_text(meeting)}."
        )
    if meeting.status == Meeting.Status.CANCELLED:
        raise AgendaError("The meeting is cancelled.")
    items = _insert_items(agenda, supplement)
    supplement.state = SupplementaryAgenda.State.DISPATCHED
    supplement.dispatched_at = timezone.now()
    supplement.dispatched_by = by
    supplement.save()
    link = services._url(reverse("portal_meetings:meeting", args=[meeting.pk]))
    pks = []
    for to in meeting_recipients(meeting, invited=True, login_email=True, one_per_address=False):
        user = to.person.user if to.person.user_id else None
        part2_titles = user is not None and access.can_see_part2(user, meeting)
        message, created = queue_message(
            recipient=to.email,
            recipient_name=to.person.full_name,
            name=SUPPLEMENTARY_MESSAGE,
            context={"link": link, "name": to.person.full_name, "number": supplement.number},
            render_context={"items": items, "part2_titles": part2_titles},
            idempotency_key=f"supplementary:{supplement.pk}:{to.person.pk}",
            committee=meeting.committee,
            meeting=meeting,
        )
        if created:
            pks.append(message.pk)
    send_soon(pks)
    services._documents_changed(meeting.pk, f"supplementary agenda {supplement.number}")
    return items
