"""Serving published documents (after the access check), the build status fragment, a rebuild.

What a reader may open is decided by `documents.selectors.may_read`, which asks
`meetings.access`; anything not visible is a 404, never a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.http import parse_etags
from django.views.decorators.http import require_GET, require_POST

from documents import selectors, services
from documents.models import Audience, PublishedDocument
from documents.templatetags.documents import documents_context
from icp_secretariat.lib import files
from icp_secretariat.lib.pdf_trace import traced_response
from meetings import access


def _cache_control(document: PublishedDocument) -> str:
    if document.audience == Audience.MEMBERS:
        # Revalidated on every use, so a reader who loses access loses the cached copy too.
        return "private, no-cache"
    # A versioned URL's bytes never change.
    return "public, max-age=3600"


@require_GET
def document(request, meeting_id: str, kind: str, audience: str, version: str):
    meeting = access.get_meeting_for_user(request.user, int(meeting_id))
    doc = (
        PublishedDocument.objects.select_related("meeting")
        .filter(meeting=meeting, kind=kind, audience=audience, version=int(version))
        .first()
    )
    if doc is None:
        raise Http404("No such document")
    if not selectors.may_read(request.user, doc):
        if not request.user.is_authenticated:
            raise access.SignInFirst("No such document")  # the members' version: sign in first
        raise Http404("No such document")
    name = f"{meeting.committee.slug}-{meeting.date:%Y-%m-%d}-{doc.file_name}"
    part2 = selectors.part2_pages(doc)
    if part2:
        # Each reader's copy carries their name and the time on every Part 2 page: stamped
        # from the stored pack, never cached anywhere, never answered with a 304.
        try:
            path = files.local_file(doc.storage_name)
        except FileNotFoundError as exc:
            raise Http404("The file is missing") from exc
        return traced_response(request, path, part2, name)
    etag = f'"{doc.content_hash}"'
    sent = request.headers.get("If-None-Match", "")
    if sent and (sent.strip() == "*" or etag in parse_etags(sent)):
        response = HttpResponseNotModified()
    else:
        try:
            response = files.response(doc.storage_name, filename=name)
        except FileNotFoundError as exc:
            raise Http404("The file is missing") from exc
        response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    response["Cache-Control"] = _cache_control(doc)
    return response


@require_GET
def status(request, meeting_id: int):
    """The documents block of the meeting page, polled by htmx while a build runs.

    A missing document is requested here (not by the page itself, which stays read-only);
    without JavaScript the page's refresh link comes here and is sent back to the page.
    """

    meeting = access.get_meeting_for_user(request.user, meeting_id)
    ctx = documents_context(request.user, meeting, request_missing=True)
    if not request.htmx:
        return redirect(meeting.get_absolute_url())
    return render(request, "documents/meeting_documents.html", ctx)


@login_required
@require_POST
def rebuild(request, meeting_id: int):
    """The secretariat asks for the documents to be built again (after fixing a paper)."""
    meeting = access.get_meeting_for_secretariat(request.user, meeting_id)
    if not access.is_dispatched(meeting):
        messages.error(request, "The agenda pack is built once the agenda is dispatched.")
    else:
        services.request_build(meeting_id=meeting.pk, reason="asked by the secretariat", delay=0)
        messages.success(request, "The agenda and pack are being built again.")
    return redirect("agenda:builder", meeting.pk)
