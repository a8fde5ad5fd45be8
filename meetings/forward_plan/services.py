"""The forward plan (K&M ToR 6.7) and the annual cycle (K&M ToR 14.1, 11.5, 6.3).

The secretariat enters topics per future meeting; a member of the Leadership Team agrees them;
the agenda builder offers agreed topics as items. The annual cycle says when the Terms of
Reference review, the self-assessment and the next chair rotation fall due, each only where the
committee's own ToR ask for it and citing its paragraph, and reminds the secretariat through the
outbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from committees.models import Committee, OfficeKind, cite
from committees.rotation import add_years
from communications.mail import Recipient, queue_bulk
from meetings import links
from meetings.agenda import services as services_agenda
from meetings.errors import ConductError
from meetings.models import Agenda, ForwardPlanItem, Meeting
from members.models import Office
from members.selectors import chair_rotation

ANNUAL_CYCLE_DUE = "annual_cycle_due"
REMIND_DAYS_BEFORE = 30
OFFICER_KINDS = (OfficeKind.CHAIR, OfficeKind.VICE_CHAIR, OfficeKind.LEADERSHIP_TEAM)


def is_leadership(person, committee: Committee, on: dt.date | None = None) -> bool:
    if person is None:
        return False
    return (
        Office.objects.current(on)
        .filter(committee=committee, person=person, kind__in=OFFICER_KINDS)
        .exists()
    )


@transaction.atomic
def add_topic(
    *,
    meeting: Meeting,
    title: str,
    purpose: str = "discussion",
    lead_organisation=None,
    presenter: str = "",
    notes: str = "",
    by=None,
) -> ForwardPlanItem:
    if not title.strip():
        raise ConductError("Give the topic a title.")
    if meeting.date < timezone.localdate():
        raise ConductError("The forward plan is for future meetings.")
    return ForwardPlanItem.objects.create(
        committee_id=meeting.committee_id,
        meeting=meeting,
        title=title.strip(),
        purpose=purpose,
        lead_organisation=lead_organisation,
        presenter=presenter,
        notes=notes,
        created_by=by,
    )


@transaction.atomic
def agree_topic(*, topic: ForwardPlanItem, person, by=None) -> ForwardPlanItem:
    """A member of the Leadership Team (or the Chair or a Vice-Chair) agrees the topic."""
    if not is_leadership(person, topic.committee):
        raise ConductError(
            "Only a member of the Leadership Team agrees the forward plan "
            f"({topic.committee.rules.cite('leadership_team')})."
        )
    topic.agreed_by = person
    topic.agreed_at = timezone.now()
    topic.save(update_fields=["agreed_by", "agreed_at"])
    return topic


@transaction.atomic
def add_topic_to_agenda(*, topic: ForwardPlanItem, by=None):
    if not topic.is_agreed:
        raise ConductError("The Leadership Team has not agreed this topic yet.")
    if topic.agenda_item_id:
        raise ConductError("This topic is already on the agenda.")
    agenda = Agenda.objects.filter(meeting=topic.meeting).first()
    if agenda is None:
        agenda = services_agenda.get_or_create_agenda(meeting=topic.meeting)
    item = services_agenda.add_item(
        agenda=agenda,
        by=by,
        title=topic.title,
        purpose=topic.purpose,
        lead_organisation=topic.lead_organisation,
        presenter=topic.presenter,
        description=topic.notes,
    )
    topic.agenda_item = item
    topic.save(update_fields=["agenda_item"])
    return item


# ----------------------------------------------------------------------------- annual cycle


@dataclass(frozen=True)
class CycleEntry:
    key: str
    what: str
    reference: str
    due: dt.date | None
    last: dt.date | None
    detail: str = ""

    def state(self, today: dt.date) -> str:
        if self.due is None:
            return "unknown"
        if self.due < today:
            return "overdue"
        if self.due <= today + dt.timedelta(days=REMIND_DAYS_BEFORE):
            return "soon"
        return "ok"


def _a_year_on(day: dt.date | None) -> dt.date | None:
    return add_years(day, 1) if day else None


def _yearly(committee: Committee, key: str, what: str, reference: str, last) -> CycleEntry:
    """A task the ToR ask for every year: due a year after it was last done (or after the
    committee was established, if never)."""
    due = _a_year_on(last) or _a_year_on(committee.established)
    return CycleEntry(key, what, cite(reference), due, last)


def _rotation_entry(committee: Committee, today: dt.date) -> CycleEntry | None:
    """The next Chair term to record, where the committee's Chair rotates: due when its period
    starts, so it is overdue once the period has begun with no Chair recorded for it."""
    rotation = chair_rotation(committee, today)
    if rotation is None:
        return None
    term = rotation.next_due
    holder = rotation.next_holder
    detail = f"{rotation.seat_title(term)}" + (f" ({holder})" if holder else "")
    return CycleEntry(
        "chair_rotation",
        "chair rotation",
        rotation.citation,
        term.start,
        rotation.current_holder.start if rotation.current_holder else None,
        detail=f"To {detail}, until {term.end:%-d %B %Y}",
    )


def annual_cycle(committee: Committee, today: dt.date | None = None) -> list[CycleEntry]:
    """What the committee's own ToR ask for each year, each citing its own paragraph: the ToR
    review, the self-assessment where the ToR ask for one, the Chair's rotation where it rotates."""
    today = today or timezone.localdate()
    rules = committee.rules
    entries = [
        _yearly(
            committee,
            "tor",
            "review of the Terms of Reference",
            rules.reference("tor_review"),
            rules.tor_last_reviewed,
        )
    ]
    if rules.self_assessment_required:
        entries.append(
            _yearly(
                committee,
                "self_assessment",
                "self-assessment of effectiveness",
                rules.reference("self_assessment"),
                rules.self_assessment_last_done,
            )
        )
    rotation = _rotation_entry(committee, today)
    if rotation is not None:
        entries.append(rotation)
    return entries


def plan_annual_cycle_reminders(now: dt.datetime | None = None) -> list[int]:
    """Remind each committee's secretariat once, 30 days before each annual-cycle date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pks: list[int] = []
    committees = (
        Committee.objects.filter(is_active=True, rules__isnull=False)
        .select_related("rules")
        .prefetch_related("secretariat")
    )
    for committee in committees:
        staff = [u for u in committee.secretariat.all() if u.is_active and u.email]
        if not staff:
            continue
        for entry in annual_cycle(committee, today):
            if entry.due is None or not (
                entry.due - dt.timedelta(days=REMIND_DAYS_BEFORE) <= today <= entry.due
            ):
                continue
            key = f"{ANNUAL_CYCLE_DUE}:{committee.pk}:{entry.key}:{entry.due.isoformat()}"
            pks += queue_bulk(
                recipients=[
                    Recipient(u.email, u.get_full_name(), f"{key}:{u.email.lower()}") for u in staff
                ],
                name=ANNUAL_CYCLE_DUE,
                context={
                    "committee_name": committee.name,
                    "what": entry.what,
                    "reference": entry.reference,
                    "due": entry.due.isoformat(),
                    "due_text": f"{entry.due:%A} {entry.due.day} {entry.due:%B %Y}",
                    "action_url": links.absolute(f"/dashboard/committees/{committee.slug}/"),
                },
                committee=committee,
            )
    return pks
