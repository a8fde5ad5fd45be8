"""The outbox: every email is a record first, sent later by Celery, exactly once."""

from __future__ import annotations

import secrets

from django.conf import settings as django_settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    recipient = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    message_name = models.CharField(max_length=100, help_text="Template name under emails/.")
    context = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=250, unique=True)
    committee = models.ForeignKey(
        "committees.Committee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox",
    )
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    from_email = models.CharField(max_length=300, blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, content, mimetype}] (text content)."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    send_after = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The claim: who holds the message while sending it, and until when (renewed while sending).
    claim_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    headers = models.JSONField(
        default=dict, blank=True, help_text="Extra email headers, e.g. List-Unsubscribe."
    )
    # The mailing this message belongs to: every copy queued together for one purpose (a
    # dispatch, a notice, a round of reminders). Whoever queues a batch may set the key and a
    # label ("Supplementary agenda 1"); otherwise `communications.mail.default_mailing` makes
    # one from the message name, the meeting (or committee) and the day, with no label (the page
    # then names it from MAILING_LABELS).
    mailing = models.CharField(max_length=150, blank=True, db_index=True)
    mailing_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "send_after"])]

    def __str__(self) -> str:
        return f"{self.message_name} to {self.recipient} ({self.state})"


# --- Alerts, personal calendars and notification preferences (issue 8) ---


def _calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """Someone who asked, by email, to hear when a committee publishes papers or minutes.

    Double opt-in: `confirmed_at` is set only from the link in the confirmation email.
    """

    email = models.EmailField()
    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "committee"], name="unique_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.committee}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; regenerating replaces (revokes) it."""

    user = models.OneToOneField(
        django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class NotificationPreferences(models.Model):
    """Which optional emails a signed-in person wants. Formal notices and papers are always sent
    (the Terms of Reference require them); these cover the extras."""

    user = models.OneToOneField(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    reminders = models.BooleanField(
        "reminders of deadlines", default=True, help_text="Item requests, papers and declarations."
    )
    publication_alerts = models.BooleanField(
        "publication alerts",
        default=False,
        help_text="An email when your committees publish papers or minutes.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"
