"""The forward plan screens, in the `record` namespace (icp_secretariat.urls)."""

from django.urls import path

from meetings.forward_plan import views as views_forward_plan

urlpatterns = [
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
]
