"""Open-data API for the partnership's structure."""

from rest_framework import serializers, viewsets

from committees.models import Committee, Organisation, Place


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "website"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "kind"]


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "slug", "name", "short_name", "parent", "purpose"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer


class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Place.objects.all()
    serializer_class = PlaceSerializer


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Committee.objects.filter(is_active=True)
    serializer_class = CommitteeSerializer
    lookup_field = "slug"


def register(router) -> None:
    router.register("organisations", OrganisationViewSet)
    router.register("places", PlaceViewSet)
    router.register("committees", CommitteeViewSet)
