"""The meeting record as publication sources: minutes and decisions for the Atom feed, the
sitemap and search (registered in `public_site.publications.SOURCES`).

Visibility comes only from the queryset forms of the record's access rules in `meetings.access`
(`minutes_visible_queryset`, `decisions_full_text_queryset`, `listed_decisions_queryset`). A
reader who may not see Part 2 of some minutes searches only their Part 1 text; a reader who may
not see a decision's full text searches, and is shown, only its public summary.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse

from icp_secretariat.lib.fulltext import Branch
from meetings import access
from meetings.models import Decision, Minutes, Part
from public_site.publications import Publication, SearchHit


def _sections_text(parts: tuple[int, ...]) -> RawSQL:
    """The headings and text of the minutes' sections of `parts`, as one string, in SQL.

    Minutes keep their text in a JSON list of sections; searching it in the database keeps a
    search over every meeting's minutes to one query. The parts are our own constants.
    """
    wanted = ", ".join(str(int(p)) for p in parts)
    if connection.vendor == "postgresql":
        sql = (
            "COALESCE((SELECT string_agg(COALESCE(s->>'heading', '') || E'\\n' || "
            "COALESCE(s->>'text', ''), E'\\n\\n') "
            'FROM jsonb_array_elements("meetings_minutes"."sections") AS s '
            f"WHERE COALESCE(NULLIF(s->>'part', ''), '1')::int IN ({wanted})), '')"
        )
    else:
        sql = (
            "COALESCE((SELECT group_concat(COALESCE(json_extract(s.value, '$.heading'), '') || "
            "char(10) || COALESCE(json_extract(s.value, '$.text'), ''), char(10) || char(10)) "
            'FROM json_each("meetings_minutes"."sections") AS s '
            f"WHERE CAST(COALESCE(json_extract(s.value, '$.part'), 1) AS INTEGER) IN ({wanted})),"
            " '')"
        )
    return RawSQL(sql, [])


def minutes_page_url(minutes: Minutes) -> str:
    meeting = minutes.meeting
    return reverse("record:minutes", args=[meeting.committee.slug, meeting.pk])


class MinutesSource:
    """Minutes: the public list is the current published version of each public meeting's
    minutes (Part 1); search covers what `minutes_visible_to` allows, part by part."""

    kind = "minutes"
    label = "Minutes"

    def _base(self, qs, committee):
        qs = qs.filter(is_current=True)
        if committee is not None:
            qs = qs.filter(meeting__committee=committee)
        return qs.select_related("meeting", "meeting__committee").defer("sections")

    def published(self, *, committee=None, limit: int = 50) -> list[Publication]:
        visible = access.minutes_visible_queryset(AnonymousUser(), Part.PUBLIC).values("pk")
        qs = self._base(Minutes.objects.filter(pk__in=visible), committee)
        return [
            Publication(
                kind=self.kind,
                title=f"Minutes: {m.meeting}",
                url=minutes_page_url(m),
                published=m.published_at,
                committee_id=m.meeting.committee_id,
                summary=(
                    f"The approved minutes of the meeting on {m.meeting.date:%-d %B %Y}"
                    + (f" (version {m.version}: {m.reason})" if m.reason else "")
                    + "."
                ),
                meeting=m.meeting,
            )
            for m in qs.order_by("-published_at", "-pk")[:limit]
        ]

    def search_branches(self, *, user, committee=None) -> list[Branch]:
        both = access.minutes_visible_queryset(user, Part.PRIVATE).values("pk")
        part1 = access.minutes_visible_queryset(user, Part.PUBLIC).values("pk")
        full = self._base(Minutes.objects.filter(pk__in=both), committee).annotate(
            body=_sections_text((Part.PUBLIC, Part.PRIVATE))
        )
        public_only = (
            self._base(Minutes.objects.filter(pk__in=part1), committee)
            .exclude(pk__in=both)
            .annotate(body=_sections_text((Part.PUBLIC,)))
        )
        return [
            Branch(qs, {"body": "B"}, headline="body", vector=vector, hit=self._hit)
            for qs, vector in ((full, "search_vector"), (public_only, "public_vector"))
        ]

    def _hit(self, m) -> SearchHit:
        minutes = m.obj
        return SearchHit(
            kind=self.kind,
            label=self.label if not minutes.is_draft else "Draft minutes",
            title=f"Minutes of the meeting on {minutes.meeting.date:%-d %B %Y}",
            url=minutes_page_url(minutes),
            snippet=m.snippet,
            rank=m.rank,
            meeting=minutes.meeting,
        )


def decision_heading(decision: Decision, *, full: bool) -> str:
    item = decision.item
    if full:
        return item.title
    return item.public_description or "Business taken in private"


def decision_notice_url(decision: Decision) -> str:
    return reverse("record:decision_notice", args=[decision.committee.slug, decision.pk])


def decision_register_url(decision: Decision) -> str:
    base = reverse("record:decisions", args=[decision.committee.slug])
    return f"{base}?meeting={decision.meeting_id}#decision-{decision.pk}"


class DecisionSource:
    """Decisions: every decision of an active committee is listed; Part 1 decisions of public
    meetings in full, the others by their public summary only (ToR 13.2)."""

    kind = "decision"
    label = "Decision"

    def _base(self, qs, committee):
        if committee is not None:
            qs = qs.filter(committee=committee)
        return qs.select_related("committee", "meeting", "meeting__committee", "item")

    def published(self, *, committee=None, limit: int = 50) -> list[Publication]:
        public = AnonymousUser()
        listed = access.listed_decisions_queryset(public).values("pk")
        full_ids = access.decisions_full_text_queryset(public).values("pk")
        qs = self._base(
            Decision.objects.filter(pk__in=listed, sequence__isnull=False), committee
        ).annotate(_full=Q(pk__in=full_ids))
        rows = []
        for d in qs.order_by("-recorded_at", "-pk")[:limit]:
            full = bool(d._full)
            rows.append(
                Publication(
                    kind=self.kind,
                    title=f"Decision {d.number}: {decision_heading(d, full=full)}",
                    url=decision_notice_url(d),
                    published=d.recorded_at,
                    committee_id=d.committee_id,
                    summary=d.text if full else d.public_summary,
                    meeting=d.meeting,
                )
            )
        return rows

    def search_branches(self, *, user, committee=None) -> list[Branch]:
        listed = access.listed_decisions_queryset(user).values("pk")
        full_ids = access.decisions_full_text_queryset(user).values("pk")
        full = self._base(Decision.objects.filter(pk__in=listed).filter(pk__in=full_ids), committee)
        summary = self._base(
            Decision.objects.filter(pk__in=listed).exclude(pk__in=full_ids), committee
        )
        return [
            # Whoever reads the full text may also find a decision by its public summary.
            Branch(
                full,
                {"number": "A", "public_summary": "B", "text": "C"},
                headline="text",
                vector="search_vector",
                hit=lambda m: self._hit(m, full=True),
            ),
            Branch(
                summary,
                {"number": "A", "public_summary": "B"},
                headline="public_summary",
                vector="summary_vector",
                hit=lambda m: self._hit(m, full=False),
            ),
        ]

    def _hit(self, m, *, full: bool) -> SearchHit:
        d = m.obj
        return SearchHit(
            kind=self.kind,
            label=self.label if full else "Decision (public summary)",
            title=f"Decision {d.number}: {decision_heading(d, full=full)}",
            url=decision_register_url(d),
            snippet=m.snippet,
            rank=m.rank,
            meeting=d.meeting,
        )
