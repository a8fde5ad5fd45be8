from django.urls import path

from public_site import views
from public_site import views_alerts as alerts
from public_site import views_pages as pages

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("search/", pages.search, name="search"),
    path("healthz", pages.healthz, name="healthz"),
    path("committees/<slug:slug>/", views.committee, name="committee"),
    path("committees/<slug:slug>/members/", pages.membership, name="membership"),
    path("committees/<slug:slug>/meetings/", pages.meetings, name="meetings"),
    path("committees/<slug:slug>/attendance/<int:year>/", pages.attendance, name="attendance"),
    path(
        "committees/<slug:slug>/terms-of-reference/",
        pages.terms_of_reference,
        name="terms_of_reference",
    ),
    path("committees/<slug:slug>/public-record/", views.record_policy, name="record_policy"),
    path("committees/<slug:slug>/alerts/", alerts.subscribe, name="alerts_subscribe"),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alerts_confirm"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alerts_unsubscribe"),
]
