"""Pages partners put on their own websites in an <iframe>, their JSON feeds, and the secretariat's
page of copy-paste snippets.

Only these routes may be framed by another site: `embeddable` lifts X-Frame-Options and sends
`Content-Security-Policy: frame-ancestors *` for them alone. They are cached like the public pages.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt

from committees.models import Committee
from icp_secretariat.lib.csp import allow_inline_code, frameable_anywhere
from icp_secretariat.lib.public_cache import public_page
from meetings import access
from meetings.models import Meeting
from public_site import embeds

JSON_FEED_TYPE = "application/feed+json"


def embeddable(view):
    """Another site may frame this page (and only this one)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return frameable_anywhere(view(request, *args, **kwargs))

    return xframe_options_exempt(wrapper)


def _feed_response(request, data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = f"{JSON_FEED_TYPE}; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@embeddable
@public_page
def meetings(request, slug: str):
    committee = embeds.committee_for_embed(slug)
    return render(
        request,
        "public/embed_meetings.html",
        {
            "committee": committee,
            "meetings": embeds.upcoming_meetings(committee),
            "full_url": reverse("public:meetings", args=[slug]),
            "feed_url": reverse("embed:meetings_feed", args=[slug]),
        },
    )


@embeddable
@public_page
def agenda(request, slug: str, meeting_id: int):
    committee = embeds.committee_for_embed(slug)
    meeting = embeds.meeting_for_embed(committee, meeting_id)
    return render(
        request,
        "public/embed_agenda.html",
        {
            "committee": committee,
            "agenda": embeds.agenda_for_embed(meeting),
            "meeting": meeting,
            "full_url": meeting.get_absolute_url(),
            "feed_url": reverse("embed:agenda_feed", args=[slug, meeting.pk]),
        },
    )


@embeddable
@public_page
def decisions(request, slug: str):
    committee = embeds.committee_for_embed(slug)
    return render(
        request,
        "public/embed_decisions.html",
        {
            "committee": committee,
            "decisions": embeds.part1_decisions(committee),
            "full_url": reverse("record:decisions", args=[slug]),
            "feed_url": reverse("embed:decisions_feed", args=[slug]),
        },
    )


@public_page
def meetings_feed(request, slug: str):
    committee = embeds.committee_for_embed(slug)
    return _feed_response(request, embeds.meetings_feed(committee, request.build_absolute_uri))


@public_page
def agenda_feed(request, slug: str, meeting_id: int):
    committee = embeds.committee_for_embed(slug)
    meeting = embeds.meeting_for_embed(committee, meeting_id)
    agenda = embeds.agenda_for_embed(meeting)
    return _feed_response(request, embeds.agenda_feed(agenda, request.build_absolute_uri))


@public_page
def decisions_feed(request, slug: str):
    committee = embeds.committee_for_embed(slug)
    return _feed_response(request, embeds.decisions_feed(committee, request.build_absolute_uri))


@login_required
def snippets(request, slug: str):
    """The secretariat's copy-paste snippets for partners' websites."""
    committee = Committee.objects.filter(slug=slug).first()
    if committee is None or not access.is_secretariat(request.user, committee):
        raise Http404("No such committee")
    today = timezone.localdate()
    meetings = list(
        Meeting.objects.filter(
            committee=committee, date__gte=today - dt.timedelta(days=90)
        ).order_by("date", "start_time")[:8]
    )
    origin = settings.SITE_URL.rstrip("/")
    name = committee.name
    blocks = [
        (
            "Upcoming meetings",
            embeds.snippet(
                origin=origin,
                src=reverse("embed:meetings", args=[slug]),
                title=f"{name}: upcoming meetings",
                fallback=reverse("public:meetings", args=[slug]),
                fallback_text=f"Meetings of the {name}",
            ),
            reverse("embed:meetings", args=[slug]),
            reverse("embed:meetings_feed", args=[slug]),
        ),
        (
            "Decisions register",
            embeds.snippet(
                origin=origin,
                src=reverse("embed:decisions", args=[slug]),
                title=f"{name}: decisions",
                fallback=reverse("record:decisions", args=[slug]),
                fallback_text=f"Decisions of the {name}",
            ),
            reverse("embed:decisions", args=[slug]),
            reverse("embed:decisions_feed", args=[slug]),
        ),
    ]
    for m in meetings:
        blocks.append(
            (
                f"Agenda of the meeting on {m.date:%-d %B %Y}",
                embeds.snippet(
                    origin=origin,
                    src=reverse("embed:agenda", args=[slug, m.pk]),
                    title=f"{name}: agenda of {m.date:%-d %B %Y}",
                    fallback=m.get_absolute_url(),
                    fallback_text=f"Agenda and papers of the {name}, {m.date:%-d %B %Y}",
                ),
                reverse("embed:agenda", args=[slug, m.pk]),
                reverse("embed:agenda_feed", args=[slug, m.pk]),
            )
        )
    return render(
        request,
        "public/embed_snippets.html",
        {"committee": committee, "blocks": blocks},
    )


@allow_inline_code  # the snippets as a partner pastes them, allowed by their hashes
@public_page
def example(request, slug: str):
    """A sample partner page with the embeds pasted in, to see them as a partner's visitor does."""
    committee = embeds.committee_for_embed(slug)
    origin = request.build_absolute_uri("/").rstrip("/")
    upcoming = embeds.upcoming_meetings(committee)
    dispatched = next((m for m in upcoming if embeds.agenda_for_embed(m).published), None)
    parts = [
        (
            "Our partnership's meetings",
            embeds.snippet(
                origin=origin,
                src=reverse("embed:meetings", args=[slug]),
                title=f"{committee.name}: upcoming meetings",
                fallback=reverse("public:meetings", args=[slug]),
                fallback_text=f"Meetings of the {committee.name}",
            ),
        ),
    ]
    if dispatched is not None:
        parts.append(
            (
                "The next agenda",
                embeds.snippet(
                    origin=origin,
                    src=reverse("embed:agenda", args=[slug, dispatched.pk]),
                    title=f"{committee.name}: agenda of {dispatched.date:%-d %B %Y}",
                    fallback=dispatched.get_absolute_url(),
                    fallback_text=f"Agenda and papers, {dispatched.date:%-d %B %Y}",
                ),
            )
        )
    parts.append(
        (
            "Decisions",
            embeds.snippet(
                origin=origin,
                src=reverse("embed:decisions", args=[slug]),
                title=f"{committee.name}: decisions",
                fallback=reverse("record:decisions", args=[slug]),
                fallback_text=f"Decisions of the {committee.name}",
            ),
        )
    )
    return render(request, "public/embed_example.html", {"committee": committee, "parts": parts})
