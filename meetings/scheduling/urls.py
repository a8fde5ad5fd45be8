"""Secretariat URLs for meetings on the calendar (mounted under /dashboard/)."""

from django.urls import path

from meetings.scheduling import views

app_name = "meetings_admin"
urlpatterns = [
    path("committees/<slug:slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("committees/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("committees/<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path(
        "committees/<slug:slug>/meetings/<int:pk>/reschedule/",
        views.meeting_reschedule,
        name="meeting_reschedule",
    ),
    path(
        "committees/<slug:slug>/meetings/<int:pk>/cancel/",
        views.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "committees/<slug:slug>/meetings/<int:pk>/notice/",
        views.meeting_notice,
        name="meeting_notice",
    ),
    path(
        "committees/<slug:slug>/meetings/<int:pk>/leadership-agreement/",
        views.meeting_leadership_agreement,
        name="meeting_leadership_agreement",
    ),
    path("closure-days/", views.closure_days, name="closure_days"),
    path("closure-days/<int:pk>/delete/", views.closure_day_delete, name="closure_day_delete"),
]
