"""Demo: publish the agenda and pack of the most recently dispatched demo meetings.

Runs after `demo.agenda.load` (which marks past meetings dispatched without the
services, so no build was requested). Building every meeting would slow the demo load, so only
the last DEMO_BUILDS dispatched meetings are built here, synchronously; the others build on
their first page view through the Celery task. Idempotent: a meeting with documents is skipped.
"""

from __future__ import annotations

from documents.models import DocumentBuild, PublishedDocument
from documents.services import run_build
from meetings.models import Agenda, Meeting

DEMO_BUILDS = 3


def load() -> None:
    dispatched = list(
        Meeting.objects.filter(agenda__state=Agenda.State.DISPATCHED)
        .select_related("committee", "agenda")
        .order_by("-agenda__dispatched_at", "-date")[:DEMO_BUILDS]
    )
    for meeting in dispatched:
        if PublishedDocument.objects.filter(meeting=meeting).exists():
            continue
        # Recorded as a build, so the agenda builder shows it; run here rather than queued.
        build = DocumentBuild.objects.create(meeting=meeting, reason="demo data loaded")
        run_build(build_id=build.pk)
