"""Open-data API for the published Register of Members' Interests: published entries only.

GET /api/v1/interest-registers/ lists the committees; /api/v1/interest-registers/<slug>/ gives
one committee's register, now or `?as_of=YYYY-MM-DD`. Everything comes from `register_for`, so
pending and withheld entries cannot appear.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from committees.models import Committee
from members.interests import end_of_day, parse_as_of, register_for


class PublishedInterestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    involved = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    description = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    published_version_at = serializers.DateTimeField(source="history_date")


class RegisterEntrySerializer(serializers.Serializer):
    person = serializers.CharField(source="membership.person.full_name")
    role = serializers.CharField(source="membership.role")
    seat = serializers.CharField(source="membership.seat_title")
    organisation = serializers.CharField(
        source="membership.organisation.name", default=None, allow_null=True
    )
    nil_return_on = serializers.SerializerMethodField()
    interests = PublishedInterestSerializer(many=True)

    def get_nil_return_on(self, row) -> str | None:
        nil = getattr(row.membership, "nil_return", None)
        return timezone.localdate(nil.confirmed_at).isoformat() if nil else None


class RegisterSerializer(serializers.Serializer):
    committee = serializers.CharField(source="committee.slug")
    committee_name = serializers.CharField(source="committee.name")
    as_of = serializers.DateTimeField()
    entries = RegisterEntrySerializer(many=True)


class RegisterCommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["slug", "name"]


class InterestRegisterViewSet(viewsets.ViewSet):
    lookup_field = "slug"
    serializer_class = RegisterSerializer

    @extend_schema(responses=RegisterCommitteeSerializer(many=True))
    def list(self, request):
        committees = Committee.objects.filter(is_active=True).order_by("name")
        return Response(RegisterCommitteeSerializer(committees, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Committee slug"),
            OpenApiParameter("as_of", str, description="YYYY-MM-DD: as it stood then"),
        ],
        responses=RegisterSerializer,
    )
    def retrieve(self, request, slug: str | None = None):
        committee = get_object_or_404(Committee, slug=slug, is_active=True)
        day, problem = parse_as_of(request.query_params.get("as_of"))
        if problem:
            raise ValidationError({"as_of": problem.replace(" Showing the register now.", "")})
        when = end_of_day(day) if day else timezone.now()
        data = {"committee": committee, "as_of": when, "entries": register_for(committee, when)}
        return Response(RegisterSerializer(data).data)


def register(router) -> None:
    router.register("interest-registers", InterestRegisterViewSet, basename="interest-register")
