"""Feeds: iCalendar and Atom per committee, iCalendar per meeting, the personal calendar."""

from django.urls import path

from meetings import views_feeds as views
from members import views_portal_calendar

app_name = "feeds"
urlpatterns = [
    path("committees/<slug:slug>/meetings.ics", views.committee_calendar, name="committee_ics"),
    path(
        "committees/<slug:slug>/meetings/<int:meeting_id>/meeting.ics",
        views.meeting_calendar,
        name="meeting_ics",
    ),
    path("committees/<slug:slug>/feed/", views.committee_documents_feed, name="committee_atom"),
    path("calendar/<str:token>.ics", views_portal_calendar.personal_feed, name="personal_ics"),
]
