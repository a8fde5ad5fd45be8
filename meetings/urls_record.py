"""URLs of the meeting record: secretariat screens under /dashboard/, public minutes and the
decisions register under /committees/<slug>/. Mounted at the site root."""

from django.urls import path

from meetings import views_decisions, views_forward_plan, views_record

app_name = "record"
urlpatterns = [
    path("dashboard/meetings/<int:meeting_id>/record/", views_record.screen, name="screen"),
    path("dashboard/meetings/<int:meeting_id>/record/remote/", views_record.remote, name="remote"),
    path(
        "dashboard/meetings/<int:meeting_id>/record/attendance/",
        views_record.attendance,
        name="attendance",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/people/",
        views_record.add_person,
        name="add_person",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/",
        views_record.item,
        name="item",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/declarations/",
        views_record.declare,
        name="declare",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/declarations/<int:pk>/delete/",
        views_record.declaration_delete,
        name="declaration_delete",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/decisions/",
        views_record.decide,
        name="decide",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/actions/",
        views_record.action_add,
        name="action_add",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/record/items/<int:item_id>/note/",
        views_record.note,
        name="note",
    ),
    path("dashboard/actions/<int:pk>/", views_record.action_update, name="action_update"),
    path(
        "dashboard/meetings/<int:meeting_id>/minutes/",
        views_record.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/minutes/<slug:what>/",
        views_record.minutes_action,
        name="minutes_action",
    ),
    path(
        "dashboard/committees/<slug:slug>/forward-plan/",
        views_forward_plan.plan,
        name="forward_plan",
    ),
    path(
        "dashboard/forward-plan/<int:pk>/agree/",
        views_forward_plan.agree,
        name="forward_plan_agree",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/forward-plan/add/",
        views_forward_plan.add_to_agenda,
        name="forward_plan_add",
    ),
    path("my/forward-plan/<slug:slug>/", views_forward_plan.officer_plan, name="forward_plan_my"),
    path(
        "committees/<slug:slug>/meetings/<int:meeting_id>/minutes/",
        views_decisions.minutes,
        name="minutes",
    ),
    path(
        "committees/<slug:slug>/meetings/<int:meeting_id>/minutes/<int:version>/<str:audience>.pdf",
        views_decisions.minutes_pdf,
        name="minutes_pdf",
    ),
    path("committees/<slug:slug>/decisions/", views_decisions.register, name="decisions"),
    path(
        "committees/<slug:slug>/decisions/<int:pk>/notice.pdf",
        views_decisions.decision_notice,
        name="decision_notice",
    ),
]
