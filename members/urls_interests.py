"""Secretariat screens for the register of interests, mounted at /dashboard/interests/."""

from django.urls import path

from members import views_interests_secretariat as views

app_name = "interests_admin"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/withhold/", views.withhold, name="withhold"),
    path("committees/<slug:slug>/", views.committee, name="committee"),
    path("committees/<slug:slug>/campaign/", views.start_campaign, name="start_campaign"),
]
