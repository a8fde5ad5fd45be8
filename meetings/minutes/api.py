"""Key messages in the open-data API (/api/v1/key-messages/): published versions only, each as
`meetings.access.key_messages_visible_to` allows; a draft is never served, whoever asks."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from icp_secretariat.lib.params import api_whole_number
from meetings import access
from meetings.api import COMMITTEE_FILTER, MEETING_FILTER
from meetings.minutes.key_messages import key_messages_url
from meetings.models import KeyMessages


class KeyMessagesSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(
        source="meeting.committee", slug_field="slug", read_only=True
    )
    meeting_date = serializers.DateField(source="meeting.date", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = KeyMessages
        fields = [
            "id",
            "meeting",
            "committee",
            "meeting_date",
            "version",
            "text",
            "reason",
            "published_at",
            "url",
        ]

    def get_url(self, obj) -> str:
        return key_messages_url(obj.meeting)


@extend_schema_view(list=extend_schema(parameters=[MEETING_FILTER, COMMITTEE_FILTER]))
class KeyMessagesViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = KeyMessagesSerializer

    def get_queryset(self):
        qs = (
            access.key_messages_visible_queryset(self.request.user)
            .filter(state=KeyMessages.State.PUBLISHED)
            .select_related("meeting", "meeting__committee")
        )
        meeting = api_whole_number(self.request, "meeting", what="a meeting's id")
        if meeting is not None:
            qs = qs.filter(meeting_id=meeting)
        committee = self.request.query_params.get("committee")
        if committee:
            qs = qs.filter(meeting__committee__slug=committee)
        return qs.order_by("meeting__date", "meeting_id", "version")


def register(router) -> None:
    router.register("key-messages", KeyMessagesViewSet, basename="keymessages")
