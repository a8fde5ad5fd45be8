"""The minutes presented to the statutory partners (K&M ToR 12.4): once published, the Part 1
minutes go to each statutory partner's governance contact, and the product records when and to
whom, or why a partner was not sent them.

Which partners are sent is the pure rule `meetings.minutes.rules.partner_plan`; mail goes
through the outbox (`communications.mail`), one message per partner, sent after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from committees.models import Organisation, RuleTopic
from communications.mail import queue_message
from communications.services import send_soon
from meetings import links
from meetings.conduct.services import date_text
from meetings.errors import ConductError
from meetings.minutes.rules import Partner, partner_plan
from meetings.models import Meeting, Minutes, MinutesPresentation, Part

MINUTES_TO_PARTNER = "minutes_to_partner"


def _part1_text(minutes: Minutes) -> str:
    return "\n\n".join(
        f"{s['heading']}\n\n{s['text'].strip()}" for s in minutes.sections_for(Part.PUBLIC)
    )


def _partner(org: Organisation) -> Partner:
    return Partner(org.pk, org.name, org.governance_contact_name, org.governance_contact_email)


@transaction.atomic
def present_minutes_to_partners(
    *, minutes: Minutes, by=None, now: dt.datetime | None = None
) -> list[str]:
    """Send this published version's Part 1 minutes to every statutory partner not yet sent it,
    where the committee's rules say so. Returns a warning for each partner that could not be
    sent them (no governance contact); each attempt is recorded either way."""
    if not minutes.is_published:
        raise ConductError("The minutes are presented to the partners once published.")
    meeting = minutes.meeting
    committee = meeting.committee
    rules = committee.rules
    citation = rules.cite(RuleTopic.MINUTES)
    organisations = {o.pk: o for o in committee.statutory_partners.order_by("name")}
    sent = MinutesPresentation.objects.filter(
        minutes=minutes, status=MinutesPresentation.Status.SENT
    ).values_list("organisation_id", flat=True)
    plans = partner_plan(
        partners=[_partner(o) for o in organisations.values()],
        rule_on=rules.minutes_to_partners,
        meeting_is_public=meeting.is_public,
        already_sent=list(sent),
        citation=citation,
    )
    now = now or timezone.now()
    context = {
        "committee_name": committee.name,
        "meeting_date_text": date_text(meeting.date),
        "version": minutes.version,
        "reason": minutes.reason,
        "citation": citation,
        "minutes_url": links.absolute(reverse("record:minutes", args=[committee.slug, meeting.pk])),
        "part1_text": _part1_text(minutes),
    }
    pks, warnings = [], []
    for plan in plans:
        org = organisations[plan.partner.id]
        if not plan.send:
            MinutesPresentation.objects.create(
                minutes=minutes,
                organisation=org,
                status=MinutesPresentation.Status.NO_CONTACT,
                at=now,
                by=by,
            )
            warnings.append(plan.warning)
            continue
        email = org.governance_contact_email.strip()
        message, created = queue_message(
            recipient=email,
            recipient_name=org.governance_contact_name,
            name=MINUTES_TO_PARTNER,
            context={
                **context,
                "organisation_name": org.name,
                "contact_name": org.governance_contact_name,
            },  # fmt: skip
            idempotency_key=f"{MINUTES_TO_PARTNER}:{minutes.pk}:{org.pk}:{email.lower()}",
            committee=committee,
            meeting=meeting,
        )
        MinutesPresentation.objects.create(
            minutes=minutes,
            organisation=org,
            status=MinutesPresentation.Status.SENT,
            contact_name=org.governance_contact_name,
            contact_email=email,
            message=message,
            at=now,
            by=by,
        )
        if created:
            pks.append(message.pk)
    send_soon(pks)
    return warnings


@dataclass(frozen=True)
class PartnerRow:
    """One statutory partner on the meeting's secretariat page: the latest attempt to present
    the minutes to it (any version), or none yet, and what needs doing."""

    organisation: Organisation
    presentation: MinutesPresentation | None
    warning: str = ""


@dataclass(frozen=True)
class PartnersPanel:
    rule_on: bool
    citation: str
    meeting_is_public: bool
    published: bool
    rows: list[PartnerRow]
    history: list[MinutesPresentation]
    # Published, and some partner has not been sent the current version: the secretariat may
    # send again (after adding a governance contact, say).
    outstanding: bool = False
    version: int | None = None  # the current published version


def partners_panel(meeting: Meeting) -> PartnersPanel:
    """What the secretariat sees of the minutes' presentation to the partners, in three queries."""
    committee = meeting.committee
    rules = committee.rules
    citation = rules.cite(RuleTopic.MINUTES)
    history = list(
        MinutesPresentation.objects.filter(minutes__meeting=meeting)
        .select_related("organisation", "minutes")
        .order_by("-at", "-pk")
    )
    current = (
        Minutes.objects.filter(meeting=meeting, is_current=True, state=Minutes.State.PUBLISHED)
        .only("pk", "version")
        .first()
    )
    rows = []
    for org in committee.statutory_partners.order_by("name"):
        latest = next((p for p in history if p.organisation_id == org.pk), None)
        warning = ""
        if not org.has_governance_contact:
            warning = (
                f"{org.name} has no governance contact: the minutes cannot be sent to it "
                f"({citation}). Add one on the organisation's page."
            )
        rows.append(PartnerRow(org, latest, warning))
    sent = {
        p.organisation_id
        for p in history
        if current is not None
        and p.minutes_id == current.pk
        and p.status == MinutesPresentation.Status.SENT
    }
    return PartnersPanel(
        rule_on=rules.minutes_to_partners,
        citation=citation,
        meeting_is_public=meeting.is_public,
        published=current is not None,
        rows=rows,
        history=history,
        outstanding=current is not None and any(r.organisation.pk not in sent for r in rows),
        version=current.version if current is not None else None,
    )
