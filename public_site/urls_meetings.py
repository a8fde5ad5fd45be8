"""Public meeting pages and paper files (each behind the access helpers)."""

from django.urls import path

from public_site import views_meetings as views

app_name = "meetings_public"
urlpatterns = [
    path("committees/<slug:slug>/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("papers/<uuid:public_id>/", views.paper, name="paper"),
    path("papers/<uuid:public_id>/read/", views.paper_read, name="paper_read"),
    path("papers/<uuid:public_id>/original/", views.paper_original, name="paper_original"),
    path("papers/<uuid:public_id>/<str:filename>", views.paper, name="paper_named"),
]
