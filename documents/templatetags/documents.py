"""Template tags that put published documents on meeting pages and the agenda builder."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from documents import selectors, services
from documents.models import DocumentBuild, PublishedDocument
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
    """For the secretariat: the last build (and its error, naming the paper) and the versions."""
    return {
        "meeting": meeting,
        "build": DocumentBuild.objects.filter(meeting=meeting).order_by("-pk").first(),
        "documents": list(
            PublishedDocument.objects.filter(meeting=meeting).order_by("-built_at")[:12]
        ),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def register_at_dispatch(meeting: Meeting) -> str:
    """The Register of Members' Interests as it stood when the agenda was dispatched."""
    return mark_safe(selectors.register_html(meeting))  # noqa: S308 - our own template's output
