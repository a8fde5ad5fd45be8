from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from icp_secretariat.lib.public_cache import public_page
from meetings.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("dashboard/interests/", include("members.urls_interests")),
    path("dashboard/", include("committees.urls_secretariat")),
    path("my/", include("members.urls_portal")),
    path("committees/<slug:slug>/interests/", include("members.urls_public")),
    path("dashboard/", include("meetings.urls_agenda")),
    path("my/meetings/", include("meetings.urls_portal")),
    path("dashboard/", include("meetings.urls_secretariat")),
    path("dashboard/communications/", include("communications.urls")),
    path("api/v1/", include("icp_secretariat.api_urls")),
    path("", include("meetings.urls_feeds")),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("committees.urls_public")),
    path("", include("meetings.urls_public")),
    path("", include("meetings.urls_record")),
    path("", include("documents.urls")),
]
