"""The registry of published things: what the Atom feed, the sitemap and search read from.

A source is a small object with `kind`, `label`, `published(committee=, limit=)` (what the
public may see, newest first: feeds and sitemap) and `search_branches(user=, committee=)` (the
`fulltext.Branch`es search ranks together: querysets of what `user` may see, and how a match
becomes a `SearchHit`). Each starts from a `meetings.access` queryset, so the registry adds no
visibility rule of its own. Minutes and decisions join by adding one dotted path to SOURCES.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from icp_secretariat.lib.fulltext import Branch
from meetings import access
from meetings.models import Agenda, Paper

SOURCES: list[str] = [
    "public_site.publications.PaperSource",
    "public_site.publications.AgendaSource",
    "public_site.publications_record.MinutesSource",
    "public_site.publications_record.DecisionSource",
    "public_site.publications_key_messages.KeyMessagesSource",
]


@dataclass(frozen=True)
class Publication:
    """One published thing, as feeds and the sitemap list it."""

    kind: str
    title: str
    url: str
    published: dt.datetime
    committee_id: int
    summary: str = ""
    meeting: object = None


@dataclass(frozen=True)
class SearchHit:
    kind: str
    label: str
    title: str
    url: str
    snippet: SafeString
    rank: float
    meeting: object = None
    title_html: SafeString | None = None  # the title with the words that matched marked


@cache
def sources() -> list:
    return [import_string(path)() for path in SOURCES]


def recent_publications(*, committee=None, limit: int = 50) -> list[Publication]:
    """What the public may see, newest first, across every source."""
    rows: list[Publication] = []
    for source in sources():
        rows.extend(source.published(committee=committee, limit=limit))
    rows.sort(key=lambda p: p.published, reverse=True)
    return rows[:limit]


def _public():
    return AnonymousUser()


def _meeting_url(meeting) -> str:
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:  # pragma: no cover - the public meeting page always exists
        return "/"


class PaperSource:
    """Current papers; public list: Part 1 papers of public meetings once dispatched."""

    kind = "paper"
    label = "Paper"

    def _base(self, qs, committee):
        qs = qs.filter(is_current=True)
        if committee is not None:
            qs = qs.filter(item__agenda__meeting__committee=committee)
        return qs.select_related(
            "item", "item__agenda", "item__agenda__meeting", "item__agenda__meeting__committee"
        )

    def published(self, *, committee=None, limit: int = 50) -> list[Publication]:
        visible = access.visible_papers_queryset(_public()).values("pk")
        qs = (
            self._base(Paper.objects.filter(pk__in=visible), committee)
            .defer("text", "html")
            .annotate(published_at=Greatest(F("uploaded_at"), F("item__agenda__dispatched_at")))
            .order_by("-published_at", "-pk")[:limit]
        )
        return [
            Publication(
                kind=self.kind,
                title=p.title,
                url=reverse("meetings_public:paper", args=[p.public_id]),
                published=p.published_at,
                committee_id=p.item.agenda.meeting.committee_id,
                summary=f"Item {p.item.number}: {p.item.title}. {p.item.agenda.meeting}.",
                meeting=p.item.agenda.meeting,
            )
            for p in qs
        ]

    def search_branches(self, *, user, committee=None) -> list[Branch]:
        # The access rule is part of the search's own WHERE clause (no DISTINCT, no subquery
        # over every visible paper), so a rare word is answered from the index alone.
        qs = self._base(access.visible_papers_queryset(user), committee).defer("html")
        fields = {"title": "A", "text": "C"}
        return [Branch(qs, fields, headline="text", vector="search_vector", hit=self._hit)]

    def _hit(self, m) -> SearchHit:
        return SearchHit(
            kind=self.kind,
            label=self.label,
            title=m.obj.title,
            url=reverse("meetings_public:paper", args=[m.obj.public_id]),
            snippet=m.snippet,
            rank=m.rank,
            meeting=m.obj.item.agenda.meeting,
        )


class AgendaSource:
    """Agendas; searched line by line. A Part 2 line the reader may not read is searched, and
    shown, only by its public description."""

    kind = "agenda"
    label = "Agenda item"

    def published(self, *, committee=None, limit: int = 50) -> list[Publication]:
        # Meetings with at least one line the public may read: dispatched public meetings.
        visible = access.readable_items_queryset(_public()).values("agenda_id")
        qs = Agenda.objects.filter(pk__in=visible, state=Agenda.State.DISPATCHED).select_related(
            "meeting", "meeting__committee"
        )
        if committee is not None:
            qs = qs.filter(meeting__committee=committee)
        return [
            Publication(
                kind=self.kind,
                title=f"Agenda: {a.meeting}",
                url=_meeting_url(a.meeting),
                published=a.dispatched_at,
                committee_id=a.meeting.committee_id,
                summary=f"The agenda and Part 1 papers of the meeting on {a.meeting.date:%-d %B %Y}.",
                meeting=a.meeting,
            )
            for a in qs.order_by("-dispatched_at", "-pk")[:limit]
        ]

    def _items(self, qs, committee):
        if committee is not None:
            qs = qs.filter(agenda__meeting__committee=committee)
        return qs.select_related("agenda__meeting", "agenda__meeting__committee")

    def search_branches(self, *, user, committee=None) -> list[Branch]:
        full = self._items(access.readable_items_queryset(user), committee)
        redacted = self._items(access.redacted_items_queryset(user), committee)
        return [
            Branch(
                full,
                {"title": "A", "description": "B"},
                headline="description",
                vector="search_vector",
                hit=lambda m: self._hit(m.obj, m.obj.title, m),
            ),
            Branch(
                redacted,
                {"public_description": "A"},
                headline="public_description",
                vector="public_vector",
                hit=lambda m: self._hit(m.obj, m.obj.public_description, m),
            ),
        ]

    def _hit(self, item, title: str, m) -> SearchHit:
        meeting = item.agenda.meeting
        return SearchHit(
            kind=self.kind,
            label=self.label,
            title=f"{item.number}. {title}",
            url=f"{_meeting_url(meeting)}#item-{item.number}",
            snippet=m.snippet,
            rank=m.rank,
            meeting=meeting,
        )
