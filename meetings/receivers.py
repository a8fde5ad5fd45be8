"""Meetings' answers to signals of the floors below (connected in `MeetingsConfig.ready`)."""

from __future__ import annotations

from meetings.conduct.services import plan_action_reminders
from meetings.forward_plan.services import plan_annual_cycle_reminders
from meetings.reminders import plan_reminders


def plan_due_reminders(sender, **kwargs) -> None:
    """The outbox sweep runs: plan the deadline, action and annual-cycle reminders now due."""
    plan_reminders()
    plan_action_reminders()
    plan_annual_cycle_reminders()
