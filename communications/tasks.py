"""Celery tasks of the outbox: the periodic sweep and the send of one message by primary key."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from communications.services import deliver_message, enqueue_due


@shared_task(name="communications.tasks.send_outbox_message")
def send_outbox_message(pk: int) -> str:
    return deliver_message(pk=pk)


@shared_task(name="communications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Plan the reminders now due, then enqueue a send for each due message (after commit)."""
    from meetings.forward_plan import plan_annual_cycle_reminders
    from meetings.record import plan_action_reminders
    from meetings.reminders import plan_reminders

    with transaction.atomic():
        plan_reminders()
        plan_action_reminders()
        plan_annual_cycle_reminders()
        return enqueue_due()
