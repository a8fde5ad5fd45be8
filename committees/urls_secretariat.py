from django.urls import path

from committees import views_secretariat as views

app_name = "secretariat"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
