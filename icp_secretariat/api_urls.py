"""The open-data API under /api/v1/: each app registers its viewsets on one router."""

from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults
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


def bad_request(request, exception=None):
    """400: JSON under /api/, as the API's other refusals; the site's page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exception or "Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request, exception=None):
    """404: JSON under /api/ (as the schema documents), the site's page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
