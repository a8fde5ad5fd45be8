"""The offline reader's logic (issue 18): the per-session cache token, a paper's text by page,
the list of files a kept meeting needs, and the private notes with their sync.

What a person may read is decided by `meetings.access`, as everywhere; a note is its author's
alone and is only ever read here, filtered by its author and by the papers the author may
still open.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime

from icp_secretariat.lib.clean_input import clean_text
from icp_secretariat.lib.pdf_text import paragraphs, squash
from meetings import access
from meetings.agenda import papers as paper_files
from meetings.models import Meeting, Paper
from portal.models import Note

MAX_NOTES_PER_SYNC = 500
MAX_BODY = 10_000
MAX_QUOTE = 2_000
CONTEXT = 64
MAX_PAGE = 2_147_483_647  # the largest page the database keeps (a positive integer field)


def reader_token(request) -> str:
    """Names the browser cache of this person in this session: a keyed hash of the user and the
    session, so a cache written in one session is never read in another (and says nothing about
    who the user is)."""
    session_key = request.session.session_key or ""
    return salted_hmac("portal.reader.cache", f"{request.user.pk}:{session_key}").hexdigest()[:32]


@dataclass
class ReaderPage:
    number: int
    paragraphs: list[str] = field(default_factory=list)


def reading_pages(paper: Paper) -> list[ReaderPage]:
    pages = paper_files.page_texts(paper)
    return [ReaderPage(n, paragraphs(text)) for n, text in enumerate(pages, start=1)]


def paper_file_url(paper: Paper) -> str:
    return reverse("meetings_public:paper", args=[paper.public_id])


def static_assets() -> list[str]:
    """What the reader's pages load, so a kept meeting also has its styles and scripts."""
    return [
        static("vendor/govuk-frontend-5.14.0/govuk-frontend.min.css"),
        static("vendor/govuk-frontend-5.14.0/govuk-frontend.min.js"),
        static("vendor/htmx-2.0.11/htmx.min.js"),
        static("css/app.css"),
        static("js/reader.js"),
        static("js/reader-pdf.js"),
        static("vendor/pdfjs-4.10.38/pdf.min.mjs"),
        static("vendor/pdfjs-4.10.38/pdf.worker.min.mjs"),
    ]


def current_papers(user, meeting: Meeting) -> list[Paper]:
    return list(
        access.visible_papers(user, meeting)
        .filter(is_current=True)
        .select_related("item")
        .defer("text")
        .order_by("item__number", "pk")
    )


def offline_manifest(user, meeting: Meeting, documents) -> dict:
    """Every address a kept meeting needs: its agenda, the reader's pack, each paper's reading
    page and PDF (only the papers this user may open), and the reader's own assets."""
    papers = current_papers(user, meeting)
    urls = [
        reverse("portal:reader"),
        reverse("portal:reader_offline"),
        reverse("portal:reader_meeting", args=[meeting.pk]),
        *static_assets(),
    ]
    for doc in (documents.agenda, documents.pack):
        if doc is not None:
            urls.append(document_url(doc))
    if documents.pack is not None:
        urls.append(reverse("portal:reader_pack", args=[meeting.pk]))
    rows = []
    for paper in papers:
        read = reverse("portal:reader_paper", args=[paper.public_id])
        pdf = reverse("portal:reader_paper_pdf", args=[paper.public_id])
        file = paper_file_url(paper)
        urls += [read, pdf, file]
        rows.append({"item": paper.item_id, "paper": str(paper.public_id), "title": paper.title})
    return {
        "meeting": meeting.pk,
        "url": reverse("portal:reader_meeting", args=[meeting.pk]),
        "urls": list(dict.fromkeys(urls)),
        "papers": rows,
    }


def document_url(doc) -> str:
    return reverse(
        "documents:file",
        kwargs={
            "meeting_id": doc.meeting_id,
            "kind": doc.kind,
            "audience": doc.audience,
            "version": doc.version,
        },
    )


# ----------------------------------------------------------------------------------- notes


def notes_of(user):
    """The user's notes on papers the user may still open (never anyone else's)."""
    visible = access.visible_papers_queryset(user).values("pk")
    return Note.objects.filter(author=user, paper_id__in=visible)


@dataclass
class AnchoredNotes:
    found: list[Note] = field(default_factory=list)
    lost: list[Note] = field(default_factory=list)


def notes_for_paper(user, paper: Paper, pages: list[ReaderPage]) -> AnchoredNotes:
    """The user's notes on any version of this paper's item, split into those whose quote is in
    this version's text and those "no longer found"."""
    text = " ".join(p for page in pages for p in page.paragraphs)
    out = AnchoredNotes()
    notes = (
        notes_of(user)
        .filter(paper__item_id=paper.item_id, deleted=False)
        .select_related("paper")
        .order_by("created_at", "pk")
    )
    for note in notes:
        quote = squash(note.quote)
        (out.found if not quote or quote in text else out.lost).append(note)
    return out


def note_json(note: Note) -> dict:
    return {
        "id": str(note.client_id),
        "paper": str(note.paper.public_id),
        "item": note.paper.item_id,
        "quote": note.quote,
        "prefix": note.prefix,
        "suffix": note.suffix,
        "page": note.page,
        "body": note.body,
        "deleted": note.deleted,
        "updated_at": note.updated_at.isoformat(),
    }


class SyncError(ValueError):
    """The request to merge notes cannot be understood; the message says why."""


@dataclass
class IncomingNote:
    client_id: uuid.UUID
    paper: str
    quote: str
    prefix: str
    suffix: str
    page: int | None
    body: str
    deleted: bool
    updated_at: dt.datetime


def _text(value: object) -> str:
    """A note's text as sent, without control characters: the sync saves in bulk, past the
    pre_save clean-up (`lib.clean_input`), and PostgreSQL's text cannot hold a NUL."""
    return clean_text(str(value or ""))


def _clean(raw: object, now: dt.datetime) -> IncomingNote:
    if not isinstance(raw, dict):
        raise SyncError("Each note must be an object.")
    try:
        client_id = uuid.UUID(str(raw.get("id", "")))
        paper = str(uuid.UUID(str(raw.get("paper", ""))))
    except ValueError as exc:
        raise SyncError("Each note needs an id and a paper.") from exc
    body = _text(raw.get("body"))
    quote = _text(raw.get("quote"))
    if len(body) > MAX_BODY:
        raise SyncError(f"A note can be at most {MAX_BODY:,} characters.")
    if len(quote) > MAX_QUOTE:
        raise SyncError(f"A highlight can be at most {MAX_QUOTE:,} characters.")
    try:
        when = parse_datetime(str(raw.get("updated_at") or ""))
    except ValueError:  # written as a time but none (a 13th month)
        when = None
    if when is None:
        raise SyncError("Each note needs the time of its last change (updated_at).")
    if timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    # A device whose clock runs fast must not make its edit unbeatable for ever.
    when = min(when, now)
    page = raw.get("page")
    try:
        page = int(page) if page not in (None, "") else None
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON's Infinity
        page = None
    return IncomingNote(
        client_id=client_id,
        paper=paper,
        quote=quote,
        prefix=_text(raw.get("prefix"))[:CONTEXT],
        suffix=_text(raw.get("suffix"))[:CONTEXT],
        page=page if page and 0 < page <= MAX_PAGE else None,
        body=body,
        deleted=bool(raw.get("deleted")),
        updated_at=when,
    )


def sync_notes(user, raw_notes: object) -> list[Note]:
    """Merge a device's notes into the server's, note by note, the later edit winning, and
    return every note of the user (tombstones included) for the device to keep.

    A note on a paper the user may not open is ignored, never stored. A fixed number of
    queries whatever the number of notes.
    """
    if not isinstance(raw_notes, list):
        raise SyncError("Send a list of notes.")
    if len(raw_notes) > MAX_NOTES_PER_SYNC:
        raise SyncError(f"Send at most {MAX_NOTES_PER_SYNC} notes at a time.")
    now = timezone.now()
    incoming = [_clean(raw, now) for raw in raw_notes]
    with transaction.atomic():
        papers = {
            str(p.public_id): p
            for p in access.visible_papers_queryset(user).filter(
                public_id__in={n.paper for n in incoming}
            )
        }
        existing = {
            n.client_id: n
            for n in Note.objects.select_for_update().filter(
                author=user, client_id__in=[n.client_id for n in incoming]
            )
        }
        create: dict[uuid.UUID, Note] = {}
        update: list[Note] = []
        for n in incoming:
            note = existing.get(n.client_id)
            if note is None:
                paper = papers.get(n.paper)
                if paper is None or n.client_id in create:
                    continue
                create[n.client_id] = Note(
                    author=user,
                    paper=paper,
                    client_id=n.client_id,
                    quote=n.quote,
                    prefix=n.prefix,
                    suffix=n.suffix,
                    page=n.page,
                    body=n.body,
                    deleted=n.deleted,
                    updated_at=n.updated_at,
                )
            elif n.updated_at > note.updated_at:
                note.body = n.body
                note.deleted = n.deleted
                note.updated_at = n.updated_at
                update.append(note)
        if create:
            Note.objects.bulk_create(create.values())
        if update:
            Note.objects.bulk_update(update, ["body", "deleted", "updated_at"])
    return list(notes_of(user).select_related("paper").order_by("created_at", "pk"))


def add_note(user, paper: Paper, *, quote: str, body: str, page: int | None = None) -> Note:
    """A note written without JavaScript (the form posts here)."""
    quote = squash(quote)[:MAX_QUOTE]
    body = (body or "").strip()
    if not body and not quote:
        raise SyncError("Write a note, or quote the text it is about.")
    if len(body) > MAX_BODY:
        raise SyncError(f"A note can be at most {MAX_BODY:,} characters.")
    return Note.objects.create(
        author=user, paper=paper, quote=quote, body=body, page=page, updated_at=timezone.now()
    )
