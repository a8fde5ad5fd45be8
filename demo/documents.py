"""Demo: publish the agenda and pack of the most recently dispatched demo meetings.

Runs after `demo.agenda.load` (which marks past meetings dispatched without the
services, so no build was requested). Only the last DEMO_BUILDS dispatched meetings are asked
for here; the others build on their first page view. Loading only requests the builds: as in
production, the Celery worker (started by `make run` after the load) renders them, so loading
stays quick. `build_now()` renders the requested builds at once, for a caller with no worker (a
test that needs the published documents). Idempotent: a meeting with documents, or with a build
already asked for, is skipped.
"""

from __future__ import annotations

from documents.models import DocumentBuild, PublishedDocument
from documents.services import request_build, run_build
from meetings.models import Agenda, Meeting

DEMO_BUILDS = 3
REASON = "demo data loaded"


def load() -> list[DocumentBuild]:
    dispatched = list(
        Meeting.objects.filter(agenda__state=Agenda.State.DISPATCHED)
        .select_related("committee", "agenda")
        .order_by("-agenda__dispatched_at", "-date")[:DEMO_BUILDS]
    )
    requested = []
    for meeting in dispatched:
        if (
            PublishedDocument.objects.filter(meeting=meeting).exists()
            or DocumentBuild.objects.filter(meeting=meeting).exists()
        ):
            continue
        # Queued for the worker once the loader's transaction commits, with no delay.
        requested.append(request_build(meeting_id=meeting.pk, reason=REASON, delay=0))
    return requested


def build_now() -> list[DocumentBuild]:
    """Run the demo's queued builds here and now (what the worker would do); return them."""
    queued = DocumentBuild.objects.filter(reason=REASON, state=DocumentBuild.State.QUEUED)
    return [run_build(build_id=pk) for pk in queued.order_by("pk").values_list("pk", flat=True)]
