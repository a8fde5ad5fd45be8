"""Open-data API for memberships and offices: who sits on which committee, in which seat.

Only names, roles, seats and dates are published: never an email address or a user id.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from members import selectors
from members.models import Membership, Office

_FILTERS = [
    OpenApiParameter("committee", OpenApiTypes.STR, description="Only this committee (its slug)."),
    OpenApiParameter(
        "include_past",
        OpenApiTypes.BOOL,
        description="Include memberships or offices that have ended or not yet started.",
    ),
]


class MembershipSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    person = serializers.CharField(source="person.full_name", read_only=True)
    seat_title = serializers.CharField(read_only=True)
    # Null when the membership has no seat, organisation or place.
    seat_reference = serializers.CharField(source="seat.reference", read_only=True, allow_null=True)
    organisation = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True
    )
    place = serializers.CharField(source="place.name", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "committee",
            "person",
            "role",
            "voting",
            "seat_title",
            "seat_reference",
            "organisation",
            "place",
            "start",
            "end",
        ]


class OfficeSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    person = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "committee", "person", "kind", "start", "end"]


def _include_past(request) -> bool:
    raw = request.query_params.get("include_past", "").lower()
    if raw not in ("", "1", "true", "yes", "0", "false", "no"):
        raise ValidationError({"include_past": ["Give true or false."]})
    return raw in ("1", "true", "yes")


@extend_schema_view(list=extend_schema(parameters=_FILTERS))
class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Memberships of active committees; current ones unless `include_past` is set."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()

    def get_queryset(self):
        # Detail lookups include past memberships so a link to one keeps working after it ends.
        include_past = self.action != "list" or _include_past(self.request)
        return selectors.public_memberships(
            committee_slug=self.request.query_params.get("committee"), include_past=include_past
        )


@extend_schema_view(list=extend_schema(parameters=_FILTERS))
class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    """Chairs, Vice-Chairs and Leadership Team; current ones unless `include_past` is set."""

    serializer_class = OfficeSerializer
    queryset = Office.objects.none()

    def get_queryset(self):
        include_past = self.action != "list" or _include_past(self.request)
        return selectors.public_offices(
            committee_slug=self.request.query_params.get("committee"), include_past=include_past
        )


def register(router) -> None:
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("offices", OfficeViewSet, basename="office")
