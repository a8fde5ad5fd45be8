from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", include("committees.urls_secretariat")),
    path("dashboard/", include("meetings.urls_secretariat")),
    path("dashboard/communications/", include("communications.urls")),
    path("api/v1/", include("icp_secretariat.api_urls")),
    path("", include("committees.urls_public")),
]
