"""The members' offline reader (issue 18), under /my/reader/, with its service worker and web
app manifest at /my/ (the scope of both).

Every page answers with `X-Reader-Token`, the name of this person's cache in this session: the
service worker keeps only the cache of the token it last saw, so a cache written in one session
is never read in another. Sign-out sends `Clear-Site-Data` (portal.middleware).
"""

from __future__ import annotations

import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from documents.services import documents_for_reader
from meetings import access
from meetings.models import Paper, Part
from members.models import Person
from portal import reader
from portal.models import Note
from portal.views_meetings import my_meetings

READER_HEADER = "X-Reader-Token"


def reader_view(view):
    """Signed in only; the answer carries this session's cache token and is never stored by
    shared caches."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.reader_token = reader.reader_token(request)
        response = view(request, *args, **kwargs)
        response[READER_HEADER] = request.reader_token
        response["Cache-Control"] = "private, no-cache"
        return response

    return wrapped


# ------------------------------------------------------------------ service worker, manifest

_SW_SOURCE: dict[str, bytes] = {}


@require_GET
def service_worker(request):
    """The service worker, served from /my/ so its scope is the members' area."""
    if "sw" not in _SW_SOURCE:
        path = finders.find("js/reader-sw.js")
        if path is None:
            raise Http404("No service worker")
        with open(path, "rb") as fh:
            _SW_SOURCE["sw"] = fh.read()
    response = HttpResponse(_SW_SOURCE["sw"], content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": "ICP Secretariat: my papers",
        "short_name": "My papers",
        "description": "Your meetings and papers, kept for reading offline, with your notes.",
        "start_url": reverse("portal:reader"),
        "scope": reverse("portal:home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#003087",
        "lang": "en-GB",
        "icons": [
            {"src": static("img/reader-icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


# ----------------------------------------------------------------------------- the reader


def _documents(user, meeting):
    return documents_for_reader(user, meeting, request_missing=False)


@reader_view
def index(request):
    user = request.user
    person = Person.objects.filter(user=user).first()
    data = my_meetings(user, person, timezone.localdate())
    return render(
        request,
        "portal/reader/index.html",
        {"upcoming": data["upcoming"], "past": data["past"]},
    )


@reader_view
def offline(request):
    return render(request, "portal/reader/offline.html")


def _agenda_rows(user, meeting):
    """The agenda as this reader may see it: full lines for the parts they may read, the
    public description only for the others, and the papers they may open."""
    parts = access.item_visible_parts(user, meeting)
    agenda = getattr(meeting, "agenda", None)
    if agenda is None or not parts:
        return []
    papers: dict[int, list[Paper]] = {}
    for paper in reader.current_papers(user, meeting):
        papers.setdefault(paper.item_id, []).append(paper)
    rows = []
    for item in agenda.items.select_related("part2_ground").order_by("number", "pk"):
        full = item.part in parts
        if not full and item.part != Part.PRIVATE:
            continue
        rows.append({"item": item, "full": full, "papers": papers.get(item.pk, [])})
    return rows


@reader_view
def meeting(request, meeting_id: int):
    user = request.user
    m = access.get_meeting_for_user(user, meeting_id)
    docs = _documents(user, m)
    return render(
        request,
        "portal/reader/meeting.html",
        {
            "meeting": m,
            "rows": _agenda_rows(user, m),
            "docs": docs,
            "pack_url": reader.document_url(docs.pack) if docs.pack else None,
            "agenda_url": reader.document_url(docs.agenda) if docs.agenda else None,
            "can_keep": access.is_dispatched(m) and bool(access.item_visible_parts(user, m)),
        },
    )


@reader_view
def meeting_offline(request, meeting_id: int):
    """The list of addresses to keep for this meeting (JSON); 404 once the reader may no
    longer read it, which tells the page to drop what it kept."""
    user = request.user
    m = access.get_meeting_for_user(user, meeting_id)
    if not access.is_dispatched(m) or not access.item_visible_parts(user, m):
        raise Http404("Nothing to keep")
    return JsonResponse(reader.offline_manifest(user, m, _documents(user, m)))


@reader_view
def pack(request, meeting_id: int):
    user = request.user
    m = access.get_meeting_for_user(user, meeting_id)
    docs = _documents(user, m)
    if docs.pack is None:
        raise Http404("No pack yet")
    return render(
        request,
        "portal/reader/pdf.html",
        {
            "title": f"Agenda pack: {m}",
            "meeting": m,
            "pdf_url": reader.document_url(docs.pack),
            "paper": None,
        },
    )


def _paper_context(request, public_id):
    user = request.user
    paper = access.get_paper_for_user(user, public_id)
    pages = reader.reading_pages(paper)
    notes = reader.notes_for_paper(user, paper, pages)
    newer = None
    if not paper.is_current:
        newer = (
            access.visible_papers(user, paper.item.agenda.meeting)
            .filter(item_id=paper.item_id, is_current=True)
            .first()
        )
    return {
        "paper": paper,
        "meeting": paper.item.agenda.meeting,
        "pages": pages,
        "notes": notes,
        "newer": newer,
        "pdf_url": reader.paper_file_url(paper),
        "max_body": reader.MAX_BODY,
        # The reader's script compares this with its own copy's last sync (static/js/reader.js).
        "rendered_at": timezone.now().isoformat(),
    }


@reader_view
def paper(request, public_id):
    return render(request, "portal/reader/paper.html", _paper_context(request, public_id))


@reader_view
def paper_pdf(request, public_id):
    ctx = _paper_context(request, public_id)
    ctx["title"] = ctx["paper"].title
    return render(request, "portal/reader/pdf.html", ctx)


@require_POST
@reader_view
def note_add(request, public_id):
    """Without JavaScript: the note form posts here."""
    paper = access.get_paper_for_user(request.user, public_id)
    try:
        reader.add_note(
            request.user,
            paper,
            quote=request.POST.get("quote", ""),
            body=request.POST.get("body", ""),
        )
    except reader.SyncError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your note is saved.")
    return redirect(reverse("portal:reader_paper", args=[paper.public_id]) + "#notes")


@require_POST
@reader_view
def note_delete(request, note_id):
    note = reader.notes_of(request.user).filter(client_id=note_id).select_related("paper").first()
    if note is None:
        raise Http404("No such note")
    note.deleted = True
    note.updated_at = timezone.now()
    note.save(update_fields=["deleted", "updated_at"])
    messages.success(request, "Your note is deleted.")
    return redirect(reverse("portal:reader_paper", args=[note.paper.public_id]) + "#notes")


@require_POST
@reader_view
def notes_sync(request):
    """Merge the device's notes with the server's (JSON in, JSON out; CSRF protected)."""
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The request is not valid JSON."}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "Send an object with a list of notes."}, status=400)
    try:
        notes = reader.sync_notes(request.user, payload.get("notes", []))
    except reader.SyncError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(
        {"notes": [reader.note_json(n) for n in notes], "now": timezone.now().isoformat()}
    )


def _my_notes(user) -> list[Note]:
    return list(
        reader.notes_of(user)
        .filter(deleted=False)
        .select_related("paper", "paper__item", "paper__item__agenda__meeting__committee")
        .order_by("paper__item__agenda__meeting__date", "paper__item__number", "created_at")
    )


@reader_view
def notes(request):
    return render(request, "portal/reader/notes.html", {"notes": _my_notes(request.user)})


@reader_view
def notes_export_text(request):
    body = render_to_string(
        "portal/reader/notes_export.txt",
        {"notes": _my_notes(request.user), "user": request.user, "now": timezone.now()},
    )
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-notes.txt"'
    return response


@reader_view
def notes_export_pdf(request):
    import weasyprint

    html = render_to_string(
        "portal/reader/notes_export_pdf.html",
        {"notes": _my_notes(request.user), "user": request.user, "now": timezone.now()},
    )
    data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="my-notes.pdf"'
    return response
