"""The outbox: every email is a record first, sent later by Celery, exactly once."""

from __future__ import annotations

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
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "send_after"])]

    def __str__(self) -> str:
        return f"{self.message_name} to {self.recipient} ({self.state})"
