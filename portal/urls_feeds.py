"""The personal calendar feed on its secret address, in the `feeds` namespace (icp_secretariat.urls)."""

from django.urls import path

from portal import views_calendar

urlpatterns = [
    path("calendar/<str:token>.ics", views_calendar.personal_feed, name="personal_ics"),
]
