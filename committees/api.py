"""Open-data API for the partnership's structure: committees (with a summary of their rules),
organisations and places. Read-only, public, and never a user id or an email address."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from committees.models import Committee, CommitteeRules, Organisation, Part2Ground, Place


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "website"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "kind"]


class RulesSummarySerializer(serializers.ModelSerializer):
    quorum_conditions = serializers.SerializerMethodField(
        help_text="Conditions beyond the head count, in words."
    )

    class Meta:
        model = CommitteeRules
        fields = [
            "holiday_region",
            "notice_days",
            "notice_counting",
            "notice_applies_to",
            "papers_days",
            "papers_counting",
            "item_request_days",
            "item_request_counting",
            "urgent_item_request_days",
            "urgent_item_request_counting",
            "max_months_between_meetings",
            "deputies_allowed",
            "deputies_may_vote",
            "chair_has_casting_vote",
            "majority_basis",
            "remote_attendance",
            "quorum_basis",
            "quorum_number",
            "quorum_fraction",
            "quorum_conditions",
            "agenda_agreed_by",
            "tor_version",
            "tor_version_from",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_quorum_conditions(self, rules: CommitteeRules) -> list[str]:
        return [c.describe() for c in rules.conditions.all()]


class Part2GroundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Part2Ground
        fields = ["reference", "text"]


class CommitteeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    subcommittees = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    statutory_partners = OrganisationSerializer(many=True, read_only=True)
    places = PlaceSerializer(many=True, read_only=True)
    rules = RulesSummarySerializer(read_only=True, allow_null=True)
    part2_grounds = Part2GroundSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "parent",
            "subcommittees",
            "purpose",
            "terms_of_reference_url",
            "established",
            "statutory_partners",
            "places",
            "rules",
            "part2_grounds",
        ]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations: ICBs, councils, Healthwatch, VCSE bodies and others."""

    queryset = Organisation.objects.order_by("name")
    serializer_class = OrganisationSerializer


class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Places: Health and Care Partnership areas and Alliances."""

    queryset = Place.objects.order_by("name")
    serializer_class = PlaceSerializer


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    """Active committees with their statutory partners, places and a summary of their rules."""

    queryset = (
        Committee.objects.filter(is_active=True)
        .select_related("parent", "rules")
        .prefetch_related(
            "statutory_partners",
            "places",
            "part2_grounds",
            "rules__conditions__organisation",
            Prefetch("subcommittees", queryset=Committee.objects.filter(is_active=True)),
        )
        .order_by("name")
    )
    serializer_class = CommitteeSerializer
    lookup_field = "slug"


def register(router) -> None:
    router.register("organisations", OrganisationViewSet)
    router.register("places", PlaceViewSet)
    router.register("committees", CommitteeViewSet)
