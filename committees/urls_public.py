from django.urls import path

from committees import views_public as views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("committees/<slug:slug>/", views.committee, name="committee"),
]
