"""Celery tasks of the public site (discovered as `public_site.tasks`)."""

from __future__ import annotations

from celery import shared_task

from public_site.retention import apply_retention as _apply


@shared_task(name="public_site.tasks.apply_retention")
def apply_retention() -> int:
    """Beat: remove personal data past each committee's retention rule; returns the rows removed."""
    return sum(log.count for log in _apply())
