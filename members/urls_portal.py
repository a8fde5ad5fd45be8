"""Members' pages, mounted at /my/."""

from django.urls import path

from members import views_portal as views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("interests/", views.interests, name="interests"),
    path("interests/declare/", views.declare, name="interests_declare"),
    path("interests/<int:pk>/edit/", views.edit, name="interests_edit"),
    path("interests/<int:pk>/end/", views.end, name="interests_end"),
    path("interests/nil-return/", views.nil_return, name="interests_nil_return"),
    path("interests/confirm/", views.confirm, name="interests_confirm"),
]
