"""The secretariat's communications page (mounted at /dashboard/communications/)."""

from django.urls import path

from communications import views

app_name = "communications"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.message, name="message"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
