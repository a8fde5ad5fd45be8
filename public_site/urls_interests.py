"""The public register page, included at committees/<slug>/interests/."""

from django.urls import path

from public_site import views_interests as views

app_name = "interests"
urlpatterns = [
    path("", views.register, name="register"),
]
