"""Key messages in the open-data API (/api/v1/key-messages/): published versions only, each as
`meetings.access.key_messages_visible_to` allows; a draft is never served, whoever asks."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from meetings import access
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


class KeyMessagesViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = KeyMessagesSerializer

    def get_queryset(self):
        qs = (
            access.key_messages_visible_queryset(self.request.user)
            .filter(state=KeyMessages.State.PUBLISHED)
            .select_related("meeting", "meeting__committee")
        )
        meeting = self.request.query_params.get("meeting", "")
        if meeting.isdigit():
            qs = qs.filter(meeting_id=int(meeting))
        committee = self.request.query_params.get("committee")
        if committee:
            qs = qs.filter(meeting__committee__slug=committee)
        return qs.order_by("meeting__date", "meeting_id", "version")


def register(router) -> None:
    router.register("key-messages", KeyMessagesViewSet, basename="keymessages")
