"""The site's URLs. Each audience's screens live in their app; the namespaces that span apps
(`secretariat`, `record`, `feeds`) are assembled here, so URL names and paths stay as they were
whichever app holds the view."""

from django.contrib import admin
from django.urls import include, path

from meetings.conduct import urls as conduct_urls
from meetings.forward_plan import urls as forward_plan_urls
from meetings.minutes import urls as minutes_urls
from portal import urls_feeds as portal_feeds
from public_site import urls_feeds as public_feeds
from public_site import urls_record as public_record
from public_site import views_sitemaps

record_patterns = (
    conduct_urls.urlpatterns
    + minutes_urls.urlpatterns
    + forward_plan_urls.urlpatterns
    + public_record.urlpatterns
)
feeds_patterns = public_feeds.urlpatterns + portal_feeds.urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("dashboard/interests/", include("members.urls_interests")),
    path("dashboard/", include("icp_secretariat.urls_dashboard")),
    path("my/", include("portal.urls")),
    path("committees/<slug:slug>/interests/", include("public_site.urls_interests")),
    path("dashboard/", include("meetings.agenda.urls")),
    path("my/meetings/", include("portal.urls_meetings")),
    path("dashboard/", include("meetings.scheduling.urls")),
    path("dashboard/communications/", include("communications.urls")),
    path("api/v1/", include("icp_secretariat.api_urls")),
    path("", include((feeds_patterns, "feeds"))),
    path("", include("public_site.urls_embed")),
    path("sitemap.xml", views_sitemaps.index, name="django.contrib.sitemaps.views.sitemap"),
    path("sitemap-<slug:section>.xml", views_sitemaps.section, name="sitemap_section"),
    path("", include("public_site.urls")),
    path("", include("public_site.urls_meetings")),
    path("", include((record_patterns, "record"))),
    path("", include("documents.urls")),
]

# Under /api/ a 404 answers JSON, as the API schema documents (issue 16.11).
handler404 = "icp_secretariat.api_urls.not_found"
handler400 = "icp_secretariat.api_urls.bad_request"
