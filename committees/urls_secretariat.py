"""Secretariat screens under /dashboard/."""

from django.urls import path

from committees import views_directory, views_rules, views_secretariat
from members import views_secretariat as views_members

app_name = "secretariat"
urlpatterns = [
    path("", views_secretariat.dashboard, name="dashboard"),
    path("organisations/", views_directory.organisation_list, name="organisation_list"),
    path("organisations/new/", views_directory.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views_directory.organisation_edit, name="organisation_edit"),
    path("places/", views_directory.place_list, name="place_list"),
    path("places/new/", views_directory.place_create, name="place_create"),
    path("places/<int:pk>/", views_directory.place_edit, name="place_edit"),
    path("people/", views_members.person_list, name="person_list"),
    path("people/new/", views_members.person_create, name="person_create"),
    path("people/<int:pk>/", views_members.person_edit, name="person_edit"),
    path("committees/new/", views_secretariat.committee_create, name="committee_create"),
    path("committees/<slug:slug>/", views_secretariat.committee_detail, name="committee"),
    path("committees/<slug:slug>/edit/", views_secretariat.committee_edit, name="committee_edit"),
    path("committees/<slug:slug>/rules/", views_rules.rules_edit, name="rules_edit"),
    path("committees/<slug:slug>/seats/", views_rules.seat_list, name="seat_list"),
    path("committees/<slug:slug>/seats/new/", views_rules.seat_create, name="seat_create"),
    path("committees/<slug:slug>/seats/<int:pk>/", views_rules.seat_edit, name="seat_edit"),
    path(
        "committees/<slug:slug>/memberships/",
        views_members.membership_list,
        name="membership_list",
    ),
    path(
        "committees/<slug:slug>/memberships/new/",
        views_members.membership_create,
        name="membership_create",
    ),
    path(
        "committees/<slug:slug>/memberships/<int:pk>/",
        views_members.membership_edit,
        name="membership_edit",
    ),
    path("committees/<slug:slug>/offices/", views_members.office_list, name="office_list"),
    path("committees/<slug:slug>/offices/new/", views_members.office_create, name="office_create"),
    path("committees/<slug:slug>/offices/<int:pk>/", views_members.office_edit, name="office_edit"),
]
