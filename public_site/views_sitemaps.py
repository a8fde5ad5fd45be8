"""The sitemap index and its sections. The index names the sections without reading them; each
section is cached until one of the models it is built from changes."""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404

from icp_secretariat.lib.public_cache import public_page
from public_site.sitemaps import SECTIONS, SITEMAPS

index = public_page(
    lambda request: sitemap_views.index(
        request, sitemaps=SITEMAPS, sitemap_url_name="sitemap_section"
    ),
    depends_on=("committees.committee",),  # the list of sections never changes
)

_SECTION_VIEWS = {
    name: public_page(sitemap_views.sitemap, depends_on=deps, params=("p",))
    for name, (_sitemap, deps) in SECTIONS.items()
}


def section(request, section: str):
    view = _SECTION_VIEWS.get(section)
    if view is None:
        raise Http404("No such sitemap section")
    return view(request, sitemaps=SITEMAPS, section=section)
