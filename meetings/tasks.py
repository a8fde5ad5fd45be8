"""Celery discovers `<app>.tasks`: the meetings app's tasks live in their own modules."""

from meetings.minutes.tasks import build_minutes_pdf  # noqa: F401
