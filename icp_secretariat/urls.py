from django.contrib import admin
from django.urls import include, path

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
    path("", include("committees.urls_public")),
    path("", include("meetings.urls_public")),
    path("", include("meetings.urls_record")),
    path("", include("documents.urls")),
]
