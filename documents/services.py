"""Writes of published documents: asking for a build, running it, publishing new versions.

`request_build` records a request and enqueues the Celery task after commit, a few seconds later
(DOCUMENT_BUILD_DELAY_SECONDS), so changes close together cause one rebuild: the task skips a
request that a newer one supersedes. `build_documents` works out every document the meeting
should have, and renders only those whose content hash has no published version yet, so the
same content is never built twice. A file once published is never overwritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max
from django.utils import timezone

from documents import selectors
from documents.errors import DocumentError
from documents.models import Audience, DocumentBuild, Kind, PublishedDocument
from icp_secretariat.lib import files, pdf
from meetings.models import Meeting

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- requests


def _enqueue(build_id: int, countdown: int) -> None:
    try:
        build_meeting_documents.apply_async(args=[build_id], countdown=countdown)
    except Exception:  # a broker outage must not undo the change that asked for the build
        logger.exception("Could not enqueue document build %s", build_id)


def request_build(
    *, meeting_id: int, reason: str, for_user=None, delay: int | None = None
) -> DocumentBuild:
    """Ask for the meeting's documents to be brought up to date (runs after commit)."""
    build = DocumentBuild.objects.create(
        meeting_id=meeting_id, reason=reason[:100], for_user=for_user
    )
    countdown = settings.DOCUMENT_BUILD_DELAY_SECONDS if delay is None else delay
    transaction.on_commit(lambda: _enqueue(build.pk, countdown))
    return build


def pending_builds(meeting: Meeting):
    """Builds queued or running; a queued one older than DOCUMENT_BUILD_STALE_MINUTES was lost
    (broker down, worker gone) and no longer holds readers back."""
    stale = timezone.now() - dt.timedelta(minutes=settings.DOCUMENT_BUILD_STALE_MINUTES)
    return DocumentBuild.objects.filter(
        meeting=meeting,
        state__in=[DocumentBuild.State.QUEUED, DocumentBuild.State.RUNNING],
        requested_at__gte=stale,
    )


# ---------------------------------------------------------------- building


def _naming_item(exc: pdf.PaperUnreadable, spec: selectors.DocumentSpec) -> str:
    for item in spec.pack.items:
        if any(p.title == exc.paper_title for p in item.papers):
            return f"Item {item.number}: {exc}"
    return str(exc)


def _render(
    spec: selectors.DocumentSpec, meeting: Meeting, out, *, agenda_pages: int | None = None
) -> tuple[int, dict]:
    """Write the document to the binary file `out`; return its page count and layout.
    `agenda_pages`: the length of the agenda of the same content, for a pack."""
    if spec.kind == Kind.PACK:
        if agenda_pages:
            hint = pdf.front_pages_after(agenda_pages)
        else:
            previous = (
                PublishedDocument.objects.filter(
                    meeting=meeting, kind=Kind.PACK, audience=spec.audience
                )
                .order_by("-version")
                .values_list("layout", flat=True)
                .first()
            )
            hint = (previous or {}).get("front_pages")
        layout = pdf.write_pack(spec.pack, out, front_pages_hint=hint)
        return layout.total_pages, dataclasses.asdict(layout)
    data, pages = pdf.render_agenda(spec.pack)
    out.write(data)
    return pages, {}


def publish(
    *, meeting: Meeting, spec: selectors.DocumentSpec, agenda_pages: int | None = None
) -> PublishedDocument | None:
    """Render one document and publish it as the next version; None if that content exists.
    `agenda_pages` (for a pack): the length of its agenda, which tells how long its front is.

    Rendered into a scratch file, then stored (`icp_secretariat.lib.files`) under a new name:
    a published file is never overwritten, and nothing half-written is ever stored."""
    name = f"documents/{uuid.uuid4().hex}.pdf"
    with files.spool() as out:
        try:
            page_count, layout = _render(spec, meeting, out, agenda_pages=agenda_pages)
        except pdf.PaperUnreadable as exc:
            raise DocumentError(_naming_item(exc, spec)) from exc
        except pdf.PdfError as exc:
            raise DocumentError(str(exc)) from exc
        size = out.tell()
        out.seek(0)
        files.save(name, out)
    try:
        with transaction.atomic():
            # One publisher per meeting at a time, so versions are numbered without gaps.
            Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
            docs = PublishedDocument.objects.filter(
                meeting=meeting, kind=spec.kind, audience=spec.audience
            )
            if docs.filter(content_hash=spec.content_hash).exists():
                files.delete(name)
                return None
            agenda = selectors.agenda_of(meeting)
            return PublishedDocument.objects.create(
                meeting=meeting,
                kind=spec.kind,
                audience=spec.audience,
                version=(docs.aggregate(m=Max("version"))["m"] or 0) + 1,
                content_hash=spec.content_hash,
                storage_name=name,
                page_count=page_count,
                size=size,
                layout=layout,
                paper_ids=list(spec.paper_ids),
                agenda_version=agenda.version if agenda else None,
            )
    except IntegrityError:  # another worker published the same content a moment ago
        files.delete(name)
        return None
    except BaseException:
        files.delete(name)
        raise


def build_documents(*, meeting: Meeting, for_user=None) -> int:
    """Publish every document the meeting lacks for its current content; return how many.

    The content hash is worked out first and nothing is rendered when a published version has
    it. Raises DocumentError (naming the paper) when a paper cannot be read; documents already
    published, including the last good pack, stay as they are.
    """
    made = 0
    # Each agenda comes before the pack of the same content (build_targets): its length tells
    # how long the pack's front is, so the front is laid out once.
    agenda_pages: dict[tuple[str, tuple[int, ...]], int] = {}
    for spec in selectors.build_targets(meeting, for_user=for_user):
        same = (spec.audience, spec.paper_ids)
        pages = (
            PublishedDocument.objects.filter(
                meeting=meeting,
                kind=spec.kind,
                audience=spec.audience,
                content_hash=spec.content_hash,
            )
            .values_list("page_count", flat=True)
            .first()
        )
        if pages is None:
            doc = publish(meeting=meeting, spec=spec, agenda_pages=agenda_pages.get(same))
            made += doc is not None
            pages = doc.page_count if doc is not None else None
        if spec.kind == Kind.AGENDA and pages:
            agenda_pages[same] = pages
    return made


def run_build(*, build_id: int) -> DocumentBuild | None:
    """Carry out one build request, unless a newer request supersedes it or another worker
    has claimed it (the claim is a conditional update, so a re-delivered task does nothing)."""
    build = DocumentBuild.objects.select_related("meeting", "for_user").filter(pk=build_id).first()
    if build is None:
        return None
    newer = DocumentBuild.objects.filter(
        meeting_id=build.meeting_id, state=DocumentBuild.State.QUEUED, pk__gt=build.pk
    )
    if build.for_user_id is not None:
        newer = newer.filter(for_user_id=build.for_user_id)
    now = timezone.now()
    if newer.exists():
        DocumentBuild.objects.filter(pk=build.pk, state=DocumentBuild.State.QUEUED).update(
            state=DocumentBuild.State.SUPERSEDED, finished_at=now
        )
        build.refresh_from_db()
        return build
    claimed = DocumentBuild.objects.filter(pk=build.pk, state=DocumentBuild.State.QUEUED).update(
        state=DocumentBuild.State.RUNNING, started_at=now
    )
    if not claimed:
        return build
    values: dict = {}
    try:
        made = build_documents(meeting=build.meeting, for_user=build.for_user)
    except DocumentError as exc:
        values = {"state": DocumentBuild.State.FAILED, "error": str(exc)}
    except Exception as exc:
        logger.exception("Document build %s failed", build.pk)
        values = {
            "state": DocumentBuild.State.FAILED,
            "error": f"The documents could not be built ({exc.__class__.__name__}). "
            "Try again; if it keeps failing, tell the system administrator.",
        }
    else:
        values = {"state": DocumentBuild.State.DONE, "documents_made": made}
    DocumentBuild.objects.filter(pk=build.pk).update(finished_at=timezone.now(), **values)
    build.refresh_from_db()
    return build


# ---------------------------------------------------------------- what a reader is offered


@dataclass
class ReaderDocuments:
    """The agenda and pack links a reader gets on the meeting page."""

    audience: str | None = None
    agenda: PublishedDocument | None = None
    pack: PublishedDocument | None = None
    preparing: bool = False  # a current document is missing and a build is on its way
    failed: bool = False  # a current document is missing and the last build failed
    previous_pack: PublishedDocument | None = None  # the last good pack, when the current fails

    @property
    def complete(self) -> bool:
        return self.agenda is not None and self.pack is not None


def documents_for_reader(
    user, meeting: Meeting, *, request_missing: bool = True
) -> ReaderDocuments:
    """The current documents for this reader, never an older version than the agenda shown.

    When a current document has not been built (the lazy case: a demo meeting, a change made
    elsewhere), a build is requested for this reader's variant unless one is on its way.
    """
    specs = selectors.reader_specs(user, meeting)
    if not specs:
        return ReaderDocuments()
    audience = specs[0].audience
    docs = list(
        PublishedDocument.objects.filter(meeting=meeting, audience=audience).order_by("-version")
    )
    by_hash = {(d.kind, d.content_hash): d for d in docs}
    out = ReaderDocuments(audience=audience)
    for spec in specs:
        setattr(out, spec.kind, by_hash.get((spec.kind, spec.content_hash)))
    if out.complete:
        return out
    # One query: the latest build, and whether any build is on its way.
    latest = (
        DocumentBuild.objects.filter(meeting=meeting)
        .annotate(any_pending=Exists(pending_builds(meeting)))
        .order_by("-pk")
        .first()
    )
    if latest is not None and latest.any_pending:
        out.preparing = True
    elif latest is not None and latest.state == DocumentBuild.State.FAILED:
        out.failed = True
    else:
        # Nothing on its way: the status endpoint (polled by the page, or the no-JavaScript
        # refresh link) asks for it, so the meeting page itself stays read-only.
        out.preparing = True
        if request_missing:
            reader = user if audience == Audience.MEMBERS and user.is_authenticated else None
            request_build(meeting_id=meeting.pk, reason="first request", for_user=reader, delay=0)
    if out.pack is None:
        out.previous_pack = next(
            (
                d
                for d in docs
                if d.kind == Kind.PACK
                and (audience == Audience.PUBLIC or selectors.may_read(user, d))
            ),
            None,
        )
    return out


# Registered under its old module's name so that builds already queued keep working; the task
# lives beside the service it runs so that services and tasks do not import each other.
@shared_task(name="documents.tasks.build_meeting_documents")
def build_meeting_documents(build_id: int) -> str:
    build = run_build(build_id=build_id)
    return build.state if build is not None else "missing"
