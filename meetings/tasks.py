"""Celery discovers `<app>.tasks`: the meetings app's tasks live in their own modules."""

from meetings.tasks_record import build_minutes_pdf  # noqa: F401
