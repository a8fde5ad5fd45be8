"""Embeds for partners' websites and their JSON feeds, in the `embed` namespace."""

from django.urls import path

from public_site import views_embed as views

app_name = "embed"
urlpatterns = [
    path("embed/committees/<slug:slug>/meetings/", views.meetings, name="meetings"),
    path(
        "embed/committees/<slug:slug>/meetings/feed.json", views.meetings_feed, name="meetings_feed"
    ),
    path(
        "embed/committees/<slug:slug>/meetings/<int:meeting_id>/",
        views.agenda,
        name="agenda",
    ),
    path(
        "embed/committees/<slug:slug>/meetings/<int:meeting_id>/feed.json",
        views.agenda_feed,
        name="agenda_feed",
    ),
    path("embed/committees/<slug:slug>/decisions/", views.decisions, name="decisions"),
    path(
        "embed/committees/<slug:slug>/decisions/feed.json",
        views.decisions_feed,
        name="decisions_feed",
    ),
    path("embed/committees/<slug:slug>/example/", views.example, name="example"),
    path("dashboard/committees/<slug:slug>/embeds/", views.snippets, name="snippets"),
]
