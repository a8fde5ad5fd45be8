"""The sitemap: an index of sections (committees and their public pages, public meetings, and
each kind of published Part 1 thing), each section cached on its own and built in one or two
queries.

Only what the public may see: meetings held wholly in private and anything of Part 2 never
appear (published things come from `public_site.publications`, which reads the access helpers).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from committees.models import Committee
from meetings.models import Meeting
from public_site.publications import sources


class StaticSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["public:home", "public:accessibility", "public:search"]

    def location(self, item):
        return reverse(item)


class CommitteeSitemap(Sitemap):
    changefreq = "weekly"

    # The committee's pages; names that do not exist (yet) are skipped.
    PAGES = [
        "public:committee",
        "public:membership",
        "public:meetings",
        "public:terms_of_reference",
        "interests:register",
        "record:decisions",
    ]

    def items(self):
        rows = []
        for committee in Committee.objects.filter(is_active=True).order_by("name"):
            for name in self.PAGES:
                if name == "public:terms_of_reference" and not committee.terms_of_reference:
                    continue
                try:
                    rows.append(reverse(name, args=[committee.slug]))
                except NoReverseMatch:
                    continue
        return rows

    def location(self, item):
        return item


class MeetingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Meeting.objects.filter(is_public=True, committee__is_active=True)
            .select_related("committee")
            .order_by("date", "pk")
        )

    def lastmod(self, item):
        return None


class SourceSitemap(Sitemap):
    """What one publication source has published, newest first (one query)."""

    limit = 5000
    source_kind = ""

    def items(self):
        """Each URL once: without fragments, and without the public meeting pages that the
        meetings section lists already (an agenda is published on its meeting's page)."""
        source = next(s for s in sources() if s.kind == self.source_kind)
        seen, rows = set(), []
        for item in source.published(limit=self.limit):
            url = self.location(item)
            meeting = getattr(item, "meeting", None)
            on_meeting_page = (
                meeting is not None and meeting.is_public and url == meeting.get_absolute_url()
            )
            if url not in seen and not on_meeting_page:
                seen.add(url)
                rows.append(item)
        return rows

    def location(self, item):
        return item.url.split("#", 1)[0]

    def lastmod(self, item):
        return item.published

    def get_latest_lastmod(self):
        return None  # the index names the sections without reading them


def _source_sitemap(kind: str) -> type[SourceSitemap]:
    return type(f"{kind.title()}Sitemap", (SourceSitemap,), {"source_kind": kind})


# The models each section is built from, so a write elsewhere leaves its cached copy alone.
_COMMITTEES = ("committees.committee",)
_MEETINGS = (*_COMMITTEES, "meetings.meeting", "meetings.agenda", "meetings.meetinginvitation")
SECTIONS: dict[str, tuple[type[Sitemap], tuple[str, ...]]] = {
    "pages": (StaticSitemap, _COMMITTEES),
    "committees": (CommitteeSitemap, _COMMITTEES),
    "meetings": (MeetingSitemap, _MEETINGS),
    "papers": (
        _source_sitemap("paper"),
        (*_MEETINGS, "meetings.agendaitem", "meetings.paper", "meetings.paperwithholding"),
    ),
    "agendas": (_source_sitemap("agenda"), (*_MEETINGS, "meetings.agendaitem")),
    "minutes": (_source_sitemap("minutes"), (*_MEETINGS, "meetings.minutes")),
    "decisions": (
        _source_sitemap("decision"),
        (*_MEETINGS, "meetings.agendaitem", "meetings.decision"),
    ),
    "key-messages": (_source_sitemap("key_messages"), (*_MEETINGS, "meetings.keymessages")),
}
SITEMAPS = {name: sitemap for name, (sitemap, _deps) in SECTIONS.items()}
