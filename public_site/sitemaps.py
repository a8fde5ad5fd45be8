"""The sitemap: committees and their public pages, public meetings, and published Part 1 things.

Only what the public may see: meetings held wholly in private and anything of Part 2 never
appear (published things come from `public_site.publications`, which reads the access helpers).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from committees.models import Committee
from meetings.models import Meeting
from public_site.publications import recent_publications


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


class PublishedSitemap(Sitemap):
    def items(self):
        return recent_publications(limit=5000)

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.published


SITEMAPS = {
    "pages": StaticSitemap,
    "committees": CommitteeSitemap,
    "meetings": MeetingSitemap,
    "published": PublishedSitemap,
}
