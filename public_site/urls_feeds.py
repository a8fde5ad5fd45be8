"""Public feeds: iCalendar and Atom per committee, iCalendar per meeting. In the `feeds`
namespace with the portal's personal calendar (icp_secretariat.urls)."""

from django.urls import path

from public_site import views_feeds as views

urlpatterns = [
    path("committees/<slug:slug>/meetings.ics", views.committee_calendar, name="committee_ics"),
    path(
        "committees/<slug:slug>/meetings/<int:meeting_id>/meeting.ics",
        views.meeting_calendar,
        name="meeting_ics",
    ),
    path("committees/<slug:slug>/feed/", views.committee_documents_feed, name="committee_atom"),
]
