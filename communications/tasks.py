"""Celery tasks of the outbox: the periodic sweep, and (from services) the send of one message."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from communications.services import enqueue_due, send_outbox_batch, send_outbox_message
from communications.signals import outbox_sweep

__all__ = ["send_outbox_batch", "send_outbox_message", "sweep_outbox"]


@shared_task(name="communications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Let the apps plan the reminders now due (`outbox_sweep`), then enqueue a send for each
    due message (after commit), all in one transaction."""
    with transaction.atomic():
        outbox_sweep.send(sender=sweep_outbox)
        return enqueue_due()
