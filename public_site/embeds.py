"""What a partner's website may embed: a committee's upcoming meetings, a meeting's Part 1 agenda
with its public papers, and the Part 1 decisions register, as plain values for the embed pages
and their JSON feeds (JSON Feed 1.1).

Embeds always read as the public does (an anonymous reader), through `meetings.access`, whoever
the browser is signed in as: a partner's page never shows more than the public site, and only
Part 1 business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from committees.models import Committee
from meetings import access
from meetings.conduct.recording import item_moments
from meetings.models import Decision, Meeting, Part
from meetings.page import ItemRow, meeting_rows

PUBLIC = AnonymousUser()
UPCOMING_LIMIT = 12
DECISIONS_LIMIT = 50


def committee_for_embed(slug: str) -> Committee:
    return get_object_or_404(Committee, slug=slug, is_active=True)


def upcoming_meetings(committee: Committee, *, today: dt.date | None = None) -> list[Meeting]:
    today = today or timezone.localdate()
    return list(
        access.visible_meetings(PUBLIC)
        .filter(committee=committee, date__gte=today)
        .select_related("agenda")
        .order_by("date", "start_time")[:UPCOMING_LIMIT]
    )


@dataclass
class EmbedAgenda:
    meeting: Meeting
    items: list[ItemRow]  # Part 1 items the public may read, with their current papers
    private_count: int  # how many items are taken in private (not shown)
    published: bool  # False until the agenda is dispatched


def meeting_for_embed(committee: Committee, meeting_id: int) -> Meeting:
    meeting = access.get_meeting_for_user(PUBLIC, meeting_id)
    if meeting.committee_id != committee.pk:
        raise Http404("No such meeting")
    return meeting


def agenda_for_embed(meeting: Meeting) -> EmbedAgenda:
    rows = meeting_rows(PUBLIC, meeting)
    items = [r for r in rows if r.full and r.part == Part.PUBLIC]
    moments = item_moments(meeting) if items and meeting.webcast_link else {}
    for row in items:
        row.moment = moments.get(row.item.pk, "")
    return EmbedAgenda(
        meeting=meeting,
        items=items,
        private_count=sum(1 for r in rows if r.part != Part.PUBLIC),
        published=access.is_dispatched(meeting) and meeting.is_public,
    )


def part1_decisions(committee: Committee) -> list[Decision]:
    """The Part 1 decisions of public meetings, newest first: the full text is public."""
    return list(
        access.decisions_full_text_queryset(PUBLIC)
        .filter(committee=committee, part=Part.PUBLIC, meeting__is_public=True)
        .filter(committee__is_active=True, sequence__isnull=False)
        .select_related("meeting", "item")
        .order_by("-meeting__date", "-sequence")[:DECISIONS_LIMIT]
    )


# ---------------------------------------------------------------- JSON Feed 1.1


def _feed(*, title: str, home: str, feed: str, description: str, items: list[dict]) -> dict:
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": feed,
        "description": description,
        "language": "en-GB",
        "items": items,
    }


def _iso(day: dt.date, time: dt.time | None = None) -> str:
    moment = dt.datetime.combine(day, time or dt.time(0, 0))
    return timezone.make_aware(moment).isoformat()


def meetings_feed(committee: Committee, absolute) -> dict:
    items = []
    for m in upcoming_meetings(committee):
        status = " (cancelled)" if m.is_cancelled else ""
        items.append(
            {
                "id": absolute(m.get_absolute_url()),
                "url": absolute(m.get_absolute_url()),
                "title": f"{committee.name}: meeting on {m.date:%-d %B %Y}{status}",
                "content_text": f"{m.date:%A %-d %B %Y}, {m.start_time:%H:%M}"
                + (f", {m.venue}" if m.venue and m.is_public else "")
                + (". Held in private." if not m.is_public else "."),
                "date_published": _iso(m.date, m.start_time),
                "tags": ["meeting", m.status],
            }
        )
    return _feed(
        title=f"{committee.name}: upcoming meetings",
        home=absolute(reverse("public:meetings", args=[committee.slug])),
        feed=absolute(reverse("embed:meetings_feed", args=[committee.slug])),
        description="The committee's upcoming meetings.",
        items=items,
    )


def agenda_feed(agenda: EmbedAgenda, absolute) -> dict:
    meeting = agenda.meeting
    items = []
    for row in agenda.items:
        item = row.item
        url = absolute(meeting.get_absolute_url() + f"#item-{row.number}")
        entry = {
            "id": url,
            "url": url,
            "title": f"{row.number}. {item.title}",
            "content_text": item.description or item.get_purpose_display(),
            "date_published": _iso(meeting.date, meeting.start_time),
            "tags": ["agenda item", item.get_purpose_display()],
        }
        if row.papers:
            entry["attachments"] = [
                {
                    "url": absolute(reverse("meetings_public:paper", args=[p.public_id])),
                    "mime_type": "application/pdf",
                    "title": p.title,
                    "size_in_bytes": p.size,
                }
                for p in row.papers
            ]
        items.append(entry)
    return _feed(
        title=f"{meeting.committee.name}: agenda of {meeting.date:%-d %B %Y}",
        home=absolute(meeting.get_absolute_url()),
        feed=absolute(reverse("embed:agenda_feed", args=[meeting.committee.slug, meeting.pk])),
        description="The Part 1 agenda and its public papers.",
        items=items,
    )


def decisions_feed(committee: Committee, absolute) -> dict:
    items = []
    for d in part1_decisions(committee):
        url = absolute(
            reverse("record:decisions", args=[committee.slug]) + f"?meeting={d.meeting_id}"
        )
        items.append(
            {
                "id": absolute(reverse("record:decision_notice", args=[committee.slug, d.pk])),
                "url": url,
                "title": f"{d.number}: {d.item.title}",
                "content_text": d.text,
                "date_published": d.recorded_at.isoformat(),
                "tags": ["decision", "agreed" if d.passed else "not agreed"],
            }
        )
    return _feed(
        title=f"{committee.name}: decisions",
        home=absolute(reverse("record:decisions", args=[committee.slug])),
        feed=absolute(reverse("embed:decisions_feed", args=[committee.slug])),
        description="The committee's Part 1 decisions, newest first.",
        items=items,
    )


# ---------------------------------------------------------------- the snippets partners paste

RESIZE_SCRIPT = (
    '<script>window.addEventListener("message",function(e){{'
    'if(e.origin!=="{origin}"||!e.data||!e.data.icpEmbedHeight)return;'
    'document.querySelectorAll("iframe[data-icp-embed]").forEach(function(f){{'
    'if(f.contentWindow===e.source)f.style.height=e.data.icpEmbedHeight+"px";}});}});</script>'
)


def snippet(*, origin: str, src: str, title: str, fallback: str, fallback_text: str) -> str:
    """An <iframe> that fits its content (the tiny script), and a link that works without it."""
    return (
        f'<iframe src="{origin}{src}" title="{escape(title)}" data-icp-embed loading="lazy" '
        'style="width:100%;min-height:420px;border:0"></iframe>\n'
        f'<p><a href="{origin}{fallback}">{escape(fallback_text)}</a></p>\n'
        + RESIZE_SCRIPT.format(origin=origin)
    )
