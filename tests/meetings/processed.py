"""Process uploaded papers synchronously in tests (issue 15).

Uploads are processed by the Celery task `meetings.process_paper` after commit; tests that need
the paper ready call `processed(paper)`, which runs the task body (the same code the worker
runs) and returns the paper that is now current.
"""

from __future__ import annotations

from meetings.agenda.processing import process_paper_now
from meetings.models import Paper


def processed(paper: Paper) -> Paper:
    result = process_paper_now(paper.pk)
    if result is None:  # already processed
        paper.refresh_from_db()
        return paper
    result.refresh_from_db()
    return result


def process_all() -> int:
    """Process every paper still waiting (for fixtures that upload many)."""
    ids = list(Paper.objects.filter(state=Paper.State.PROCESSING).values_list("pk", flat=True))
    for pk in ids:
        process_paper_now(pk)
    return len(ids)
