"""The meeting page (public and members alike, each seeing what they are entitled to) and papers.

Every decision about what shows goes through `meetings.access`; this module only lays it out.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render

from icp_secretariat.lib import files
from icp_secretariat.lib.pdf_trace import traced_response
from icp_secretariat.lib.public_cache import public_page
from meetings import access
from meetings.agenda import office, services
from meetings.agenda import papers as paper_files
from meetings.agenda.papers import open_original, open_paper
from meetings.models import Meeting, Part
from meetings.page import meeting_page_context
from public_site.structured_data import meeting_json_ld


def _meeting_page(request, meeting: Meeting):
    user = request.user
    ctx = meeting_page_context(user, meeting)
    ctx["json_ld"] = meeting_json_ld(
        meeting, show_place=meeting.is_public or access.can_see_part2(user, meeting)
    )
    return render(request, "meetings/public_meeting.html", ctx)


@public_page
def meeting(request, slug: str, meeting_id: int):
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if meeting.committee.slug != slug:
        raise Http404("No such meeting")
    return _meeting_page(request, meeting)


def paper(request, public_id, filename: str = ""):
    """Open a paper in the browser, after the access check; Part 2 opens are logged."""
    paper = access.get_paper_for_user(request.user, public_id)
    services.log_paper_download(paper=paper, user=request.user)
    name = paper.original_name or "paper.pdf"
    if not name.lower().endswith(".pdf"):
        name = name.rsplit(".", 1)[0] + ".pdf" if paper.source_format else name + ".pdf"
    if paper.item.part == Part.PRIVATE:
        # A Part 2 paper: every page carries the reader's name and the time (traceable copy).
        try:
            path = files.local_file(paper.storage_name)
        except FileNotFoundError as exc:
            raise Http404("The file is missing") from exc
        return traced_response(request, path, None, name)
    try:
        fh = open_paper(paper)
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(fh, content_type="application/pdf", as_attachment=False, filename=name)
    if paper.item.part == Part.PRIVATE or not paper.item.agenda.meeting.is_public:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _private_headers(response, paper):
    if paper.item.part == Part.PRIVATE or not paper.item.agenda.meeting.is_public:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def paper_read(request, public_id):
    """The paper as a web page (issue 15): the same access helper as the PDF, logged alike."""
    paper = access.get_paper_for_user(request.user, public_id)
    services.log_paper_download(paper=paper, user=request.user)
    meeting = paper.item.agenda.meeting
    # A paper stored before papers had web versions (or made without one) is read from its
    # PDF's text, page by page, as processing would have made it.
    html = paper.html or office.pdf_pages_to_html(paper_files.page_texts(paper))
    response = render(
        request,
        "meetings/paper_read.html",
        {"paper": paper, "item": paper.item, "meeting": meeting, "html": html},
    )
    return _private_headers(response, paper)


_ORIGINAL_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "doc": "application/msword",
    "ppt": "application/vnd.ms-powerpoint",
}


def paper_original(request, public_id):
    """The office file as the author wrote it, to those who may read the paper."""
    paper = access.get_paper_for_user(request.user, public_id)
    if not paper.source_name:
        raise Http404("This paper has no original besides its PDF")
    services.log_paper_download(paper=paper, user=request.user)
    try:
        fh = open_original(paper)
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    name = paper.original_name or f"paper.{paper.source_format}"
    if not name.lower().endswith("." + paper.source_format):
        name = f"{name}.{paper.source_format}"
    response = FileResponse(
        fh,
        content_type=_ORIGINAL_TYPES.get(paper.source_format, "application/octet-stream"),
        as_attachment=True,
        filename=name,
    )
    return _private_headers(response, paper)
