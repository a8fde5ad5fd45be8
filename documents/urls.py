"""Published documents of a meeting: the versioned PDFs, the build status, a rebuild."""

from django.urls import path, re_path

from documents import views, views_takedown

app_name = "documents"
urlpatterns = [
    re_path(
        r"^meetings/(?P<meeting_id>[0-9]+)/documents/"
        r"(?P<kind>agenda|pack)-(?P<audience>public|members)-v(?P<version>[0-9]+)\.pdf$",
        views.document,
        name="file",
    ),
    path("meetings/<int:meeting_id>/documents/status/", views.status, name="status"),
    path("dashboard/meetings/<int:meeting_id>/documents/rebuild/", views.rebuild, name="rebuild"),
    path(
        "dashboard/meetings/<int:meeting_id>/take-down/", views_takedown.take_down, name="take_down"
    ),
]
