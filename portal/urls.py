"""Members' pages, mounted at /my/."""

from django.urls import path

from portal import views
from portal import views_calendar as calendar
from portal import views_meetings as my_meetings

app_name = "portal"
urlpatterns = [
    path("", my_meetings.home, name="home"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/regenerate/", calendar.regenerate, name="calendar_regenerate"),
    path("calendar/revoke/", calendar.revoke, name="calendar_revoke"),
    path("notifications/", calendar.notifications, name="notifications"),
    path("interests/", views.interests, name="interests"),
    path("interests/declare/", views.declare, name="interests_declare"),
    path("interests/<int:pk>/edit/", views.edit, name="interests_edit"),
    path("interests/<int:pk>/end/", views.end, name="interests_end"),
    path("interests/nil-return/", views.nil_return, name="interests_nil_return"),
    path("interests/confirm/", views.confirm, name="interests_confirm"),
]
