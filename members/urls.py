"""Secretariat screens for people, memberships and offices. Mounted in the `secretariat`
namespace by `icp_secretariat.urls_dashboard`."""

from django.urls import path

from members import views_secretariat as views_members

urlpatterns = [
    path("people/", views_members.person_list, name="person_list"),
    path("people/new/", views_members.person_create, name="person_create"),
    path("people/<int:pk>/", views_members.person_edit, name="person_edit"),
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
    path(
        "committees/<slug:slug>/offices/next-chair/",
        views_members.office_next_chair,
        name="office_next_chair",
    ),
    path("committees/<slug:slug>/offices/<int:pk>/", views_members.office_edit, name="office_edit"),
]
