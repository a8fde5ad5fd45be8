"""Celery tasks of the public site (discovered as `public_site.tasks`)."""

from __future__ import annotations

from celery import shared_task

from public_site.notices import render_notice
from public_site.retention import apply_retention as _apply


@shared_task(name="public_site.tasks.apply_retention")
def apply_retention() -> int:
    """Beat: remove personal data past each committee's retention rule; returns the rows removed."""
    return sum(log.count for log in _apply())


@shared_task(name="public_site.render_decision_notice", soft_time_limit=120, time_limit=150)
def render_decision_notice(decision_id: int, full: bool) -> str:
    """Render one variant of a decision notice (issue 15: not in the request)."""
    name = render_notice(decision_id, full)
    return name or "missing"
