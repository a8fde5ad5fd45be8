"""Template tags that put published documents on meeting pages and the agenda builder."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from documents import selectors, services
from documents.models import DocumentBuild, Kind, PublishedDocument
from meetings.models import Meeting

register = template.Library()


def documents_context(user, meeting: Meeting, *, request_missing: bool = False) -> dict:
    docs = services.documents_for_reader(user, meeting, request_missing=request_missing)
    return {"meeting": meeting, "docs": docs}


@register.inclusion_tag("documents/meeting_documents.html", takes_context=True)
def meeting_documents(context, meeting: Meeting) -> dict:
    """Links to the agenda PDF and the pack this reader may have, or the build's progress."""
    return documents_context(context["request"].user, meeting)


@register.inclusion_tag("documents/builds.html", takes_context=True)
def document_builds(context, meeting: Meeting) -> dict:
    """For the secretariat: the last build (and its error, naming the paper), the versions,
    and the papers of the latest packs that are not tagged (so the pack cannot claim PDF/UA)."""
    documents = list(PublishedDocument.objects.filter(meeting=meeting).order_by("-built_at")[:12])
    return {
        "meeting": meeting,
        "build": DocumentBuild.objects.filter(meeting=meeting).order_by("-pk").first(),
        "documents": documents,
        "untagged": untagged_papers(documents),
        "csrf_token": context.get("csrf_token"),
    }


def untagged_papers(documents: list[PublishedDocument]) -> list[dict]:
    """The untagged papers of the newest pack of each audience (no query: from the list)."""
    seen_audiences: set[str] = set()
    out: dict[tuple[str, str], dict] = {}
    for doc in documents:
        if doc.kind != Kind.PACK or doc.audience in seen_audiences:
            continue
        seen_audiences.add(doc.audience)
        for paper in (doc.layout or {}).get("papers", []):
            if paper.get("tagged") is False:
                key = (str(paper.get("item_number", "")), str(paper.get("title", "")))
                out.setdefault(key, {"item_number": key[0], "title": key[1]})
    return list(out.values())


@register.simple_tag
def register_at_dispatch(meeting: Meeting) -> str:
    """The Register of Members' Interests as it stood when the agenda was dispatched."""
    return mark_safe(selectors.register_html(meeting))  # noqa: S308 - our own template's output
