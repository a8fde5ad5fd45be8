"""Secretariat screens of the partnership's structure: the dashboard, organisations, places,
committees, their rules and seats. Mounted in the `secretariat` namespace by
`icp_secretariat.urls_dashboard`."""

from django.urls import path

from committees import views_directory, views_rules, views_secretariat

urlpatterns = [
    path("", views_secretariat.dashboard, name="dashboard"),
    path("organisations/", views_directory.organisation_list, name="organisation_list"),
    path("organisations/new/", views_directory.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views_directory.organisation_edit, name="organisation_edit"),
    path("places/", views_directory.place_list, name="place_list"),
    path("places/new/", views_directory.place_create, name="place_create"),
    path("places/<int:pk>/", views_directory.place_edit, name="place_edit"),
    path("committees/new/", views_secretariat.committee_create, name="committee_create"),
    path("committees/<slug:slug>/", views_secretariat.committee_detail, name="committee"),
    path("committees/<slug:slug>/edit/", views_secretariat.committee_edit, name="committee_edit"),
    path(
        "committees/<slug:slug>/retention/",
        views_secretariat.retention_edit,
        name="retention_edit",
    ),
    path("committees/<slug:slug>/rules/", views_rules.rules_edit, name="rules_edit"),
    path("committees/<slug:slug>/rules/on/", views_rules.rules_on, name="rules_on"),
    path("committees/<slug:slug>/seats/", views_rules.seat_list, name="seat_list"),
    path("committees/<slug:slug>/seats/new/", views_rules.seat_create, name="seat_create"),
    path("committees/<slug:slug>/seats/<int:pk>/", views_rules.seat_edit, name="seat_edit"),
]
