"""Processing an uploaded paper (issue 15), in the Celery task `meetings.process_paper`.

The upload request only checks the file by content and stores it; everything slow happens here:
LibreOffice conversion of office files, defusing hostile PDFs, counting pages, extracting the
text for search and building the HTML reading version. An upload is not current until it is
ready, so no reader, page or pack ever sees a half-processed paper; if it fails, the reason is
kept on the row (shown on the agenda builder) and the previous version stays current.
"""

from __future__ import annotations

import hashlib
import logging

from celery import shared_task
from django.db import transaction

from meetings.agenda import office, services
from meetings.agenda import papers as paper_files
from meetings.errors import PaperError
from meetings.models import Paper

log = logging.getLogger(__name__)

# Copied onto the current row when a replacement made before dispatch becomes ready.
_CONTENT_FIELDS = (
    "title",
    "storage_name",
    "source_name",
    "source_format",
    "original_name",
    "size",
    "sha256",
    "original_sha256",
    "page_count",
    "text",
    "html",
    "removed",
    "uploaded_by",
)


def _build(paper: Paper) -> dict:
    """The slow part: returns the new field values, or raises PaperError/ConversionError."""
    raw = paper_files.read_stored(paper.source_name)
    fmt = paper.source_format
    html = ""
    if fmt == "pdf":
        pdf = raw
    else:
        pdf = office.convert_to_pdf(raw, fmt)
        if fmt in office.WORD_FORMATS:
            docx = raw if fmt == "docx" else office.convert_to_docx(raw, fmt)
            html = office.docx_to_html(docx)
    pdf, removed = paper_files.defuse_pdf(pdf)
    facts = paper_files.inspect_pdf(pdf, max_bytes=max(len(pdf), 1))
    if not html:
        html = office.pdf_pages_to_html(list(facts.pages))
    return {
        "pdf": pdf,
        "size": facts.size,
        "sha256": facts.sha256,
        "page_count": facts.page_count,
        "text": facts.text,
        "html": html,
        "removed": "; ".join(removed),
    }


def process_paper_now(paper_id: int) -> Paper | None:
    """The task body; tests call it to process synchronously. Returns the paper that is now
    current (for an in-place replacement, the row it replaced), or the failed row."""
    paper = Paper.objects.filter(pk=paper_id, state=Paper.State.PROCESSING).first()
    if paper is None:
        return None
    try:
        built = _build(paper)
    except (PaperError, office.ConversionError) as exc:
        return _fail(paper, str(exc))
    except FileNotFoundError:
        return _fail(paper, "The uploaded file is missing. Upload it again.")
    except Exception:  # noqa: BLE001 - the uploader needs a reason, not a stuck "processing"
        log.exception("processing paper %s failed", paper_id)
        return _fail(paper, "The file could not be processed. Save it again and upload it.")
    name = paper_files.store_pdf(built.pop("pdf"))
    try:
        return _make_current(paper_id, name, built)
    except Exception:
        paper_files.delete_file(name)
        raise


def _fail(paper: Paper, reason: str) -> Paper:
    Paper.objects.filter(pk=paper.pk).update(state=Paper.State.FAILED, failure=reason)
    paper.state, paper.failure = Paper.State.FAILED, reason
    return paper


def _make_current(paper_id: int, name: str, built: dict) -> Paper:
    with transaction.atomic():
        new = Paper.objects.select_for_update().select_related("item__agenda").get(pk=paper_id)
        if new.state != Paper.State.PROCESSING:
            transaction.on_commit(lambda: paper_files.delete_file(name))
            return new
        for key, value in built.items():
            setattr(new, key, value)
        new.storage_name = name
        unlink: list[str] = []
        if new.source_format == "pdf":
            # The defused copy is what we keep; the uploaded bytes live on only as their digest.
            unlink.append(new.source_name)
            new.source_name = ""
        new.state = Paper.State.READY
        new.failure = ""
        meeting_id = new.item.agenda.meeting_id
        if new.supersedes_id is None:
            new.is_current = True
            new.save()
            if new.status == Paper.Status.LATE:
                services._documents_changed(meeting_id, "late paper added")
            current = new
        else:
            old = Paper.objects.select_for_update().get(pk=new.supersedes_id)
            if not old.is_current:
                new.state = Paper.State.FAILED
                new.failure = "A newer version was uploaded meanwhile; this one was not used."
                new.save()
                unlink.append(name)
                current = new
            elif new.status == Paper.Status.REVISED:
                old.is_current = False
                old.save(update_fields=["is_current"])
                new.replaces, new.supersedes, new.is_current = old, None, True
                new.save()
                services._documents_changed(meeting_id, "paper revised")
                current = new
            else:
                # Before dispatch nothing was published: the new file takes the old one's place.
                unlink += [old.storage_name, old.source_name]
                for key in _CONTENT_FIELDS:
                    setattr(old, key, getattr(new, key))
                old.save()
                new.delete()
                current = old
        transaction.on_commit(lambda: [paper_files.delete_file(n) for n in unlink if n])
    return current


@shared_task(
    name="meetings.process_paper",
    soft_time_limit=300,
    time_limit=360,
    acks_late=True,
)
def process_paper(paper_id: int) -> str:
    paper = process_paper_now(paper_id)
    return paper.state if paper is not None else "skipped"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
