"""The public register page, included at committees/<slug>/interests/."""

from django.urls import path

from members import views_interests_public as views

app_name = "interests"
urlpatterns = [
    path("", views.register, name="register"),
]
