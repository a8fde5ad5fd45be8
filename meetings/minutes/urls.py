"""The minutes screens under /dashboard/, in the `record` namespace (icp_secretariat.urls)."""

from django.urls import path

from meetings.minutes import views, views_key_messages, views_part2

urlpatterns = [
    path(
        "dashboard/meetings/<int:meeting_id>/minutes/",
        views.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/minutes/<slug:what>/",
        views.minutes_action,
        name="minutes_action",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/key-messages/",
        views_key_messages.key_messages_edit,
        name="key_messages_edit",
    ),
    path(
        "dashboard/meetings/<int:meeting_id>/key-messages/<slug:what>/",
        views_key_messages.key_messages_action,
        name="key_messages_action",
    ),
    path(
        "dashboard/committees/<slug:slug>/part2-reviews/",
        views_part2.reviews,
        name="part2_reviews",
    ),
    path(
        "dashboard/committees/<slug:slug>/part2-reviews/<int:item_id>/republish/",
        views_part2.republish,
        name="part2_republish",
    ),
    path(
        "dashboard/committees/<slug:slug>/part2-reviews/<int:item_id>/extend/",
        views_part2.extend,
        name="part2_extend",
    ),
]
