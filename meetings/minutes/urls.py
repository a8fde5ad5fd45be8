"""The minutes screens under /dashboard/, in the `record` namespace (icp_secretariat.urls)."""

from django.urls import path

from meetings.minutes import views

urlpatterns = [
    path(
        "dashboard/meetings/<int:meeting_id>/minutes/",
        views.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/minutes/<slug:what>/",
        views.minutes_action,
        name="minutes_action",
    ),
]
