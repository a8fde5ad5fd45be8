"""Background work for members: reminders of the annual confirmation of interests."""

from __future__ import annotations

from celery import shared_task

from members.interests import plan_confirmation_reminders


@shared_task(name="members.tasks.plan_interest_reminders")
def plan_interest_reminders() -> int:
    """Queue the reminders now due (outbox rows only; the outbox sweep sends them). Idempotent."""
    return plan_confirmation_reminders()
