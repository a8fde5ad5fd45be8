"""Open-data API for meetings, agenda items and papers, filtered by `meetings.access`.

Anonymous callers see meetings, the Part 1 items and papers of dispatched public meetings and,
for a Part 2 item, only its number, public description and ground. Signed-in users (session
authentication) see what their role allows on the pages.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from icp_secretariat.lib.params import MAX_KEY, api_whole_number
from meetings import access
from meetings.models import AgendaItem, Meeting, Paper


class MeetingSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agenda_published = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "date",
            "start_time",
            "end_time",
            "kind",
            "is_public",
            "status",
            "agenda_published",
            "url",
        ]

    def get_agenda_published(self, obj) -> bool:
        return access.is_dispatched(obj)

    def get_url(self, obj) -> str:
        return reverse("meetings_public:meeting", args=[obj.committee.slug, obj.pk])


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="agenda.meeting_id", read_only=True)
    ground = serializers.SerializerMethodField()
    redacted = serializers.SerializerMethodField(
        help_text="True for a Part 2 item you may not read: only its number, part, public "
        "description and ground are given."
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "number",
            "part",
            "title",
            "purpose",
            "presenter",
            "timing_minutes",
            "description",
            "public_description",
            "ground",
            "redacted",
        ]
        # Absent from a redacted Part 2 item.
        extra_kwargs = {
            name: {"required": False}
            for name in ("title", "purpose", "presenter", "timing_minutes", "description")
        }

    def get_ground(self, obj) -> str | None:
        return str(obj.part2_ground) if obj.part2_ground_id else None

    def get_redacted(self, obj) -> bool:
        return False

    def to_representation(self, obj):
        data = super().to_representation(obj)
        user = self.context["request"].user
        if obj.part not in access.item_visible_parts(user, obj.agenda.meeting):
            # The public agenda's line for a Part 2 item: nothing confidential.
            return {
                "id": obj.pk,
                "meeting": obj.agenda.meeting_id,
                "number": obj.number,
                "part": obj.part,
                "public_description": obj.public_description,
                "ground": data["ground"],
                "redacted": True,
            }
        data["redacted"] = False
        return data


class PaperSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True)
    part = serializers.IntegerField(source="item.part", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Paper
        fields = [
            "id",
            "item",
            "part",
            "title",
            "page_count",
            "size",
            "sha256",
            "status",
            "reason",
            "is_current",
            "uploaded_at",
            "url",
        ]

    def get_url(self, obj) -> str:
        return reverse("meetings_public:paper", args=[obj.public_id])


COMMITTEE_FILTER = OpenApiParameter(
    "committee", OpenApiTypes.STR, description="Only this committee's (its slug)."
)
MEETING_FILTER = OpenApiParameter(
    "meeting",
    {"type": "integer", "minimum": 0, "maximum": MAX_KEY},
    description="Only this meeting's (its `id`).",
)


@extend_schema_view(list=extend_schema(parameters=[COMMITTEE_FILTER]))
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer

    def get_queryset(self):
        qs = access.visible_meetings(self.request.user).select_related("agenda", "committee")
        committee = self.request.query_params.get("committee")
        if committee:
            qs = qs.filter(committee__slug=committee)
        return qs.order_by("date", "start_time")


@extend_schema_view(list=extend_schema(parameters=[MEETING_FILTER]))
class AgendaItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgendaItemSerializer

    def get_queryset(self):
        qs = access.visible_items_queryset(self.request.user).select_related(
            "agenda", "agenda__meeting", "agenda__meeting__committee", "part2_ground"
        )
        meeting = api_whole_number(self.request, "meeting", what="a meeting's id")
        if meeting is not None:
            qs = qs.filter(agenda__meeting_id=meeting)
        return qs.order_by("agenda__meeting__date", "agenda_id", "number")


@extend_schema_view(list=extend_schema(parameters=[MEETING_FILTER]))
class PaperViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PaperSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        qs = (
            access.visible_papers_queryset(self.request.user)
            .select_related("item")
            .defer("text", "html")
        )
        meeting = api_whole_number(self.request, "meeting", what="a meeting's id")
        if meeting is not None:
            qs = qs.filter(item__agenda__meeting_id=meeting)
        return qs.order_by("item__agenda__meeting__date", "item__number", "pk")


def register(router) -> None:
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
    router.register("papers", PaperViewSet, basename="paper")
