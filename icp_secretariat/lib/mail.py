"""All mail goes through here: render one named message and put it in the outbox.

A message named `notice` renders `emails/notice-subject.txt`, `emails/notice-body.txt` and
`emails/notice-body.html` (the last optional). Rendering happens when the message is queued, so
the outbox keeps exactly what was sent; Celery sends it later (communications.tasks).
"""

from __future__ import annotations

import datetime as dt
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone


def render_message(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    ctx = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    try:
        html = render_to_string(f"emails/{name}-body.html", ctx)
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
):
    """Create the outbox record for one message, once per idempotency key.

    `context` is stored (JSON values); `render_context` adds objects used only for rendering.
    Returns (message, created). Sending is left to the outbox sweep after commit.
    """
    from communications.models import OutboxMessage

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
        },
    )
    return message, created
