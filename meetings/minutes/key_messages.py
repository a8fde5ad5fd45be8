"""A summary of key messages after each meeting (M&SE, Accountability and Reporting: "Minutes,
and a summary of key messages arising from each meeting will be submitted to all members after
each meeting and made available on the ICS website").

Drafted from the Part 1 record, edited, approved by the secretariat, then sent to every member
(one email each, through the outbox) and published. A published version is never changed: a
revision is a new version with its reason. Who may read a version is `meetings.access`'s
`key_messages_visible_to`; a draft is never public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from committees.models import RuleTopic
from communications.mail import Recipient, queue_bulk
from communications.services import send_soon
from meetings import links
from meetings.conduct.services import date_text
from meetings.errors import ConductError
from meetings.minutes.rules import RecordItem, key_messages_allowed, key_messages_draft
from meetings.models import AgendaItem, KeyMessages, Meeting
from meetings.scheduling.selectors import meeting_recipients

KEY_MESSAGES_PUBLISHED = "key_messages"


def key_messages_url(meeting: Meeting) -> str:
    return reverse("record:key_messages", args=[meeting.committee.slug, meeting.pk])


def draft_text(meeting: Meeting) -> str:
    """The first draft from the record: Part 1 items and their Part 1 decisions, nothing else."""
    items = (
        AgendaItem.objects.filter(agenda__meeting=meeting)
        .prefetch_related("decisions")
        .order_by("number")
    )
    return key_messages_draft(
        committee_name=meeting.committee.name,
        date_text=date_text(meeting.date),
        meeting_is_public=meeting.is_public,
        items=[
            RecordItem(
                number=i.number,
                title=i.title,
                part=i.part,
                decisions=tuple((d.part, d.text) for d in i.decisions.all()),
                standard=bool(i.standard_key),
            )
            for i in items
        ],
    )


def _latest(meeting: Meeting, *, lock: bool = False) -> KeyMessages | None:
    qs = KeyMessages.objects.filter(meeting=meeting)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("-version").first()


def _lock(km: KeyMessages) -> KeyMessages:
    km = KeyMessages.objects.select_for_update().select_related("meeting__committee").get(pk=km.pk)
    latest = _latest(km.meeting)
    if latest is None or latest.pk != km.pk:
        raise ConductError("A later version of these key messages exists: work on that one.")
    return km


@transaction.atomic
def start_key_messages(*, meeting: Meeting, by=None) -> KeyMessages:
    """Draft the key messages from the record, or start a revision of the published version
    (its text copied, to be changed with a reason)."""
    rules = meeting.committee.rules
    refusal = key_messages_allowed(
        required=rules.key_messages_required, citation=rules.cite(RuleTopic.KEY_MESSAGES)
    )
    if refusal:
        raise ConductError(refusal)
    if meeting.is_cancelled:
        raise ConductError("The meeting was cancelled: there are no key messages to report.")
    latest = _latest(meeting, lock=True)
    if latest is not None and not latest.is_published:
        raise ConductError(
            f"Version {latest.version} is not published yet: edit it rather than starting another."
        )
    if latest is None:
        return KeyMessages.objects.create(meeting=meeting, text=draft_text(meeting), created_by=by)
    return KeyMessages.objects.create(
        meeting=meeting,
        version=latest.version + 1,
        text=latest.text,
        replaces=latest,
        created_by=by,
    )


@transaction.atomic
def update_key_messages(*, key_messages: KeyMessages, text: str, reason: str = "", by=None):
    """Edit the version not yet published. Editing an approved version returns it to draft: the
    secretariat approves what is sent, word for word."""
    km = _lock(key_messages)
    if km.is_published:
        raise ConductError(
            "Published key messages are never changed: start a revision, which becomes a new "
            "version with its reason."
        )
    km.text = text.replace("\r\n", "\n").strip()
    km.reason = reason.strip()
    km.state = KeyMessages.State.DRAFT
    km.approved_at = None
    km.approved_by = None
    km.save(update_fields=["text", "reason", "state", "approved_at", "approved_by"])
    return km


@transaction.atomic
def approve_key_messages(*, key_messages: KeyMessages, by=None) -> KeyMessages:
    km = _lock(key_messages)
    if km.state != KeyMessages.State.DRAFT:
        raise ConductError("Only a draft is approved.")
    if not km.text.strip():
        raise ConductError("Write the key messages before approving them.")
    if km.version > 1 and not km.reason.strip():
        raise ConductError(
            f"Say why version {km.version} revises the published one: the reason is shown with it."
        )
    if km.replaces_id and km.text.strip() == km.replaces.text.strip():
        raise ConductError("Nothing was changed from the published version.")
    km.state = KeyMessages.State.APPROVED
    km.approved_at = timezone.now()
    km.approved_by = by
    km.save(update_fields=["state", "approved_at", "approved_by"])
    return km


@transaction.atomic
def publish_key_messages(
    *, key_messages: KeyMessages, by=None, now: dt.datetime | None = None
) -> KeyMessages:
    """Send the approved key messages to every member, one email each, and publish them on the
    meeting's pages, the feeds and the API."""
    km = _lock(key_messages)
    if km.state != KeyMessages.State.APPROVED:
        raise ConductError("The secretariat approves the key messages before they are sent.")
    meeting = km.meeting
    now = now or timezone.now()
    key = f"{KEY_MESSAGES_PUBLISHED}:{km.pk}"
    recipients = [
        Recipient(a.email, a.person.full_name, f"{key}:{a.person.pk}:{a.email.lower()}")
        for a in meeting_recipients(meeting)
    ]
    pks = queue_bulk(
        recipients=recipients,
        name=KEY_MESSAGES_PUBLISHED,
        context={
            "committee_name": meeting.committee.name,
            "meeting_date_text": date_text(meeting.date),
            "version": km.version,
            "reason": km.reason,
            "text": km.text,
            "url": links.absolute(key_messages_url(meeting)),
        },
        committee=meeting.committee,
        meeting=meeting,
    )
    km.state = KeyMessages.State.PUBLISHED
    km.published_at = now
    km.sent_to = len(recipients)
    km.save(update_fields=["state", "published_at", "sent_to"])
    send_soon(pks)
    return km


@dataclass(frozen=True)
class KeyMessagesPanel:
    rule_on: bool
    citation: str
    versions: list[KeyMessages]

    @property
    def latest(self) -> KeyMessages | None:
        return self.versions[0] if self.versions else None

    @property
    def published(self) -> KeyMessages | None:
        return next((v for v in self.versions if v.is_published), None)


def key_messages_panel(meeting: Meeting) -> KeyMessagesPanel:
    rules = meeting.committee.rules
    return KeyMessagesPanel(
        rule_on=rules.key_messages_required,
        citation=rules.cite(RuleTopic.KEY_MESSAGES),
        versions=list(KeyMessages.objects.filter(meeting=meeting).order_by("-version")),
    )
