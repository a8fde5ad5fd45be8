"""Members' and the Chair's meeting pages, included at /my/meetings/."""

from django.urls import path

from portal import views_meetings, views_requests

app_name = "portal_meetings"
urlpatterns = [
    path("<int:meeting_id>/", views_meetings.my_meeting, name="meeting"),
    path("<int:meeting_id>/request-item/", views_requests.request_item, name="request_item"),
    path("<int:meeting_id>/agenda/", views_requests.agenda_agreement, name="agenda_agreement"),
    path("<int:meeting_id>/agenda/agree/", views_requests.agenda_agree, name="agenda_agree"),
    path("<int:meeting_id>/agenda/return/", views_requests.agenda_return, name="agenda_return"),
    path("<int:meeting_id>/item-requests/", views_requests.chair_requests, name="chair_requests"),
    path("<int:meeting_id>/withhold/", views_requests.withhold, name="withhold"),
    path("item-requests/<int:request_id>/decide/", views_requests.decide_request, name="decide"),
]
