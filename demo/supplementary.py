"""Demo: a supplementary agenda on one K&M meeting (issue 13).

The latest K&M meeting whose agenda was dispatched and whose record has not been taken gets
"Supplementary agenda 1" with one Part 1 item, agreed by the Chair and dispatched two days after
the agenda, recorded as history (no email goes to anyone today). Idempotent.

The approved minutes of the last meeting attach themselves to the next agenda's minutes item
without any demo data of their own: `demo.record` publishes minutes, and each following
meeting's page and pack carry them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from committees.models import Committee
from meetings.agenda import rules as agenda_rules
from meetings.agenda import services, supplementary
from meetings.models import (
    Agenda,
    AgendaAgreement,
    Attendance,
    Meeting,
    SupplementaryAgenda,
)

SLUG = "kent-medway-icp"
ITEM = {
    "title": "Winter pressures: urgent system update",
    "purpose": "discussion",
    "presenter": "Chief Operating Officer, ICB",
    "description": "An update on urgent and emergency care pressures received after the agenda "
    "was dispatched, taken as a supplementary item with the Chair's agreement.",
    "part": 1,
    "part2_ground": None,
    "public_description": "",
}


def load() -> None:
    committee = Committee.objects.filter(slug=SLUG).first()
    if committee is None:
        return
    if SupplementaryAgenda.objects.filter(agenda__meeting__committee=committee).exists():
        return
    meeting = (
        Meeting.objects.scheduled()
        .filter(committee=committee, agenda__state=Agenda.State.DISPATCHED)
        .exclude(pk__in=Attendance.objects.values("meeting_id"))
        .order_by("-date")
        .first()
    )
    if meeting is None:
        return
    with transaction.atomic():
        agenda = Agenda.objects.select_for_update().get(meeting=meeting)
        at = (agenda.dispatched_at or timezone.now()) + dt.timedelta(days=2)
        agenda.version += 1
        agenda.save(update_fields=["version"])
        supplement = SupplementaryAgenda.objects.create(
            agenda=agenda,
            number=1,
            proposed=[ITEM],
            agenda_version=agenda.version,
            created_by=agenda.dispatched_by,
            created_at=at - dt.timedelta(hours=4),
            sent_to_chair_at=at - dt.timedelta(hours=3),
            agreed_at=at - dt.timedelta(hours=1),
            state=SupplementaryAgenda.State.AGREED,
        )
        status = agenda_rules.agreement_status(
            committee.rules.agenda_agreed_by,
            services.office_holders(meeting, on=timezone.localdate(at)),
            [],
        )
        for person_id, office in status.required.items():
            AgendaAgreement.objects.get_or_create(
                agenda=agenda,
                version=agenda.version,
                person_id=person_id,
                defaults={"office": office, "at": supplement.agreed_at},
            )
        # Set directly: the demo records a past dispatch without emailing anyone today.
        supplementary._insert_items(agenda, supplement)
        SupplementaryAgenda.objects.filter(pk=supplement.pk).update(
            state=SupplementaryAgenda.State.DISPATCHED,
            dispatched_at=at,
            dispatched_by=agenda.dispatched_by,
        )
        services._documents_changed(meeting.pk, "demo supplementary agenda")
