"""Secretariat agenda screens, included at /dashboard/."""

from django.urls import path

from meetings.agenda import views

app_name = "agenda"
urlpatterns = [
    path("agendas/", views.meetings_list, name="meetings"),
    path("meetings/<int:meeting_id>/agenda/", views.builder, name="builder"),
    path("meetings/<int:meeting_id>/agenda/start/", views.start, name="start"),
    path("meetings/<int:meeting_id>/agenda/items/add/", views.item_add, name="item_add"),
    path("meetings/<int:meeting_id>/agenda/send/", views.send_to_chair, name="send_to_chair"),
    path(
        "meetings/<int:meeting_id>/agenda/agreement/",
        views.record_agreement,
        name="record_agreement",
    ),
    path("meetings/<int:meeting_id>/agenda/dispatch/", views.dispatch, name="dispatch"),
    path(
        "meetings/<int:meeting_id>/agenda/announce-papers/",
        views.announce_papers,
        name="announce_papers",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/supplementary/",
        views.supplementary_raise,
        name="supplementary_raise",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/supplementary/<int:number>/",
        views.supplementary_page,
        name="supplementary",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/supplementary/<int:number>/send/",
        views.supplementary_send,
        name="supplementary_send",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/supplementary/<int:number>/dispatch/",
        views.supplementary_dispatch,
        name="supplementary_dispatch",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/supplementary/<int:number>/items/<int:index>/remove/",
        views.supplementary_withdraw,
        name="supplementary_withdraw",
    ),
    path("meetings/<int:meeting_id>/item-requests/", views.requests_list, name="requests"),
    path("meetings/<int:meeting_id>/paper-downloads/", views.downloads_log, name="downloads"),
    path("meetings/<int:meeting_id>/invitations/", views.invitations, name="invitations"),
    path(
        "meetings/<int:meeting_id>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("agenda-items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("agenda-items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("agenda-items/<int:item_id>/move/", views.item_move, name="item_move"),
    path("agenda-items/<int:item_id>/papers/add/", views.paper_upload, name="paper_upload"),
    path("agenda-items/<int:item_id>/papers/", views.item_papers, name="item_papers"),
    path("papers/<int:paper_id>/replace/", views.paper_replace, name="paper_replace"),
    path("papers/<int:paper_id>/withdraw/", views.paper_withdraw, name="paper_withdraw"),
]
