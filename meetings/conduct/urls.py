"""The in-meeting screens under /dashboard/, in the `record` namespace (icp_secretariat.urls)."""

from django.urls import path

from meetings.conduct import views, views_mode

urlpatterns = [
    path("dashboard/meetings/<int:meeting_id>/record/", views.screen, name="screen"),
    path("dashboard/meetings/<int:meeting_id>/record/remote/", views.remote, name="remote"),
    path(
        "dashboard/meetings/<int:meeting_id>/record/attendance/",
        views.attendance,
        name="attendance",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/people/",
        views.add_person,
        name="add_person",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/",
        views.item,
        name="item",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/declarations/",
        views.declare,
        name="declare",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/declarations/<int:pk>/delete/",
        views.declaration_delete,
        name="declaration_delete",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/decisions/",
        views.decide,
        name="decide",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/actions/",
        views.action_add,
        name="action_add",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/note/",
        views.note,
        name="note",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/recording/",
        views.recording,
        name="recording",
    ),
    path("dashboard/actions/<int:pk>/", views.action_update, name="action_update"),
    # The minute-taking mode (issue 13): attendance, then item by item, then the finish time.
    path("dashboard/meetings/<int:meeting_id>/minute/", views_mode.attendance, name="mode"),
    path(
        "dashboard/meetings/<int:meeting_id>/minute/items/<int:item_id>/",
        views_mode.item,
        name="mode_item",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/minute/items/<int:item_id>/<slug:what>/",
        views_mode.act,
        name="mode_act",
    ),
    path("dashboard/meetings/<int:meeting_id>/minute/close/", views_mode.close, name="mode_close"),
]
