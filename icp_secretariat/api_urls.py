"""The open-data API under /api/v1/: each app registers its viewsets on one router."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from committees import api as committees_api
from meetings import api as meetings_api
from meetings.minutes import api as key_messages_api
from members import api as members_api
from members import api_interests

router = DefaultRouter()
committees_api.register(router)
members_api.register(router)
api_interests.register(router)
meetings_api.register(router)
key_messages_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
