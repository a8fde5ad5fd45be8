"""All mail goes through here: render one named message and put it in the outbox.

A message named `notice` renders `emails/notice-subject.txt`, `emails/notice-body.txt` and
`emails/notice-body.html` (the last optional). Rendering happens when the message is queued, so
the outbox keeps exactly what was sent; Celery sends it later (communications.tasks).
"""

from __future__ import annotations

import datetime as dt
from email.utils import formataddr
from typing import Any, NamedTuple

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from communications.models import OutboxMessage

# How the communications page names a mailing of each kind of message (when its sender gave
# no label of its own).
MAILING_LABELS = {
    "action_due": "Actions due",
    "agenda_agreed": "Agenda agreed",
    "agenda_for_agreement": "Agenda for the Chair's agreement",
    "agenda_returned": "Agenda returned",
    "alert_confirm": "Alert confirmation",
    "alert_published": "Publication alert",
    "annual_cycle_due": "Annual cycle due",
    "dispatch_papers": "Dispatch",
    "interests_confirmation": "Interests confirmation",
    "interests_reminder": "Interests reminder",
    "item_request_decision": "Item request decision",
    "key_messages": "Key messages",
    "meeting-cancelled": "Cancellation",
    "minutes_circulated": "Minutes circulated",
    "minutes_to_partner": "Minutes to partners",
    "notice": "Notice",
    "part2_review_due": "Part 2 review due",
    "reminder-author-papers": "Reminder to report authors",
    "reminder-item-request": "Item request reminder",
    "reminder-secretariat-deadline-missed": "Deadline missed",
    "reminder-secretariat-deadline-near": "Deadline near",
    "reminder-secretariat-minutes-due": "Minutes due",
}


def mailing_label(message_name: str, label: str = "") -> str:
    return label or MAILING_LABELS.get(message_name) or message_name.replace("_", " ").capitalize()


def default_mailing(name: str, *, meeting=None, committee=None) -> str:
    """The mailing key of a message queued without one: same kind, same meeting (or committee),
    same day."""
    about = (
        f"m{meeting.pk}"
        if meeting is not None
        else (f"c{committee.pk}" if committee is not None else "-")
    )
    return f"{name}:{about}:{timezone.localdate().isoformat()}"


def absolute_url(path: str) -> str:
    """A link for an email: the site's address and a path."""
    return f"{settings.SITE_URL}{path}"


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template with autoescaping off (and so every template it includes):
    a text email shows "Children's & Young People", never `Children&#x27;s &amp; ...`."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def render_message(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    ctx = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_text(f"emails/{name}-subject.txt", ctx).split())
    text = render_text(f"emails/{name}-body.txt", ctx)
    try:
        # The HTML version's <title> is the subject (emails/_base.html): a mail client shows
        # it for an opened or forwarded message, and a screen reader announces it.
        html = render_to_string(f"emails/{name}-body.html", {**ctx, "email_subject": subject})
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def sender_for(committee=None) -> str:
    """The From header, with the committee's name so recipients know who writes."""
    if committee is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((f"{committee.display_short_name} secretariat", settings.DEFAULT_FROM_EMAIL))


def queue_message(
    *,
    recipient: str,
    name: str,
    context: dict[str, Any],
    idempotency_key: str,
    recipient_name: str = "",
    committee=None,
    meeting=None,
    render_context: dict[str, Any] | None = None,
    attachments: list[dict[str, str]] | None = None,
    send_after: dt.datetime | None = None,
    headers: dict[str, str] | None = None,
    mailing: str = "",
    mailing_label: str = "",
):
    """Create the outbox record for one message, once per idempotency key.

    `context` is stored (JSON values); `render_context` adds objects used only for rendering.
    `mailing` groups the copies queued together on the communications page (by default: the
    same message name, meeting and day). Returns (message, created). Sending is left to the
    outbox sweep after commit.
    """

    existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    subject, text, html = render_message(
        name, {**context, **(render_context or {}), "committee": committee, "meeting": meeting}
    )
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "recipient": recipient,
            "recipient_name": recipient_name,
            "message_name": name,
            "context": context,
            "committee": committee,
            "meeting": meeting,
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "from_email": sender_for(committee),
            "attachments": attachments or [],
            "send_after": send_after or timezone.now(),
            "headers": headers or {},
            "mailing": mailing or default_mailing(name, meeting=meeting, committee=committee),
            "mailing_label": mailing_label,
        },
    )
    return message, created


class Recipient(NamedTuple):
    """One addressee of a bulk message, with the idempotency key of their copy."""

    email: str
    name: str
    idempotency_key: str


class Batch(NamedTuple):
    """One message, rendered once, for many recipients."""

    name: str
    context: dict[str, Any]
    recipients: list[Recipient]
    committee: Any = None
    meeting: Any = None
    attachments: list[dict[str, str]] | None = None
    render_context: dict[str, Any] | None = None
    mailing: str = ""
    mailing_label: str = ""


def queue_bulk(
    *,
    recipients: list[Recipient],
    name: str,
    context: dict[str, Any],
    committee=None,
    meeting=None,
    render_context: dict[str, Any] | None = None,
    attachments: list[dict[str, str]] | None = None,
    send_after: dt.datetime | None = None,
    mailing: str = "",
    mailing_label: str = "",
) -> list[int]:
    """Queue one message, rendered once, to many recipients; each key is created only once."""
    batch = Batch(
        name,
        context,
        recipients,
        committee,
        meeting,
        attachments,
        render_context,
        mailing,
        mailing_label,
    )
    return queue_batches([batch], send_after=send_after)


def queue_batches(batches: list[Batch], *, send_after: dt.datetime | None = None) -> list[int]:
    """Queue several batches in three queries whatever their number and size.

    One lookup of the keys already queued, one bulk insert, one read of the new ids; a batch is
    rendered only if it has a recipient without a message yet. Returns the new messages' ids.
    """

    keys = [r.idempotency_key for b in batches for r in b.recipients]
    if not keys:
        return []
    existing = set(
        OutboxMessage.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    when = send_after or timezone.now()
    rows, fresh_keys = [], []
    for batch in batches:
        fresh = [r for r in batch.recipients if r.idempotency_key not in existing]
        if not fresh:
            continue
        subject, text, html = render_message(
            batch.name,
            {
                **batch.context,
                **(batch.render_context or {}),
                "committee": batch.committee,
                "meeting": batch.meeting,
            },
        )
        mailing = batch.mailing or default_mailing(
            batch.name, meeting=batch.meeting, committee=batch.committee
        )
        for r in fresh:
            existing.add(r.idempotency_key)
            fresh_keys.append(r.idempotency_key)
            rows.append(
                OutboxMessage(
                    recipient=r.email,
                    recipient_name=r.name,
                    message_name=batch.name,
                    context=batch.context,
                    idempotency_key=r.idempotency_key,
                    committee=batch.committee,
                    meeting=batch.meeting,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    from_email=sender_for(batch.committee),
                    attachments=batch.attachments or [],
                    send_after=when,
                    mailing=mailing,
                    mailing_label=batch.mailing_label,
                )
            )
    if not rows:
        return []
    # ignore_conflicts: a concurrent sweep may have inserted the same key since the lookup.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    # PostgreSQL returns no ids with ignore_conflicts, so read them back: the caller sends by pk.
    return list(
        OutboxMessage.objects.filter(idempotency_key__in=fresh_keys, state="queued").values_list(
            "pk", flat=True
        )
    )
