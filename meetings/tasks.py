"""Celery discovers `<app>.tasks`: the meetings app's tasks live in their own modules."""

from celery import shared_task

from meetings.agenda.processing import process_paper  # noqa: F401
from meetings.minutes import part2_review
from meetings.minutes.tasks import build_minutes_pdf  # noqa: F401


@shared_task(name="meetings.tasks.plan_part2_review_reminders")
def plan_part2_review_reminders() -> int:
    """Beat: remind the secretariat of Part 2 items whose review date has come (issue 19)."""
    return len(part2_review.plan_part2_review_reminders())
