"""Public pages of the record: minutes and the decisions register, in the `record` namespace
(icp_secretariat.urls)."""

from django.urls import path

from public_site import views_key_messages
from public_site import views_record as views_decisions

urlpatterns = [
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
    path(
        "committees/<slug:slug>/meetings/<int:meeting_id>/key-messages/",
        views_key_messages.key_messages,
        name="key_messages",
    ),
    path("committees/<slug:slug>/decisions/", views_decisions.register, name="decisions"),
    path(
        "committees/<slug:slug>/decisions/<int:pk>/notice.pdf",
        views_decisions.decision_notice,
        name="decision_notice",
    ),
]
