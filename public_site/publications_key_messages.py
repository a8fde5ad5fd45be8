"""Key messages as a publication source (the Atom feed, the sitemap and search), registered in
`public_site.publications.SOURCES`. Visibility comes only from
`meetings.access.key_messages_visible_queryset`; only published versions are listed or searched,
so a draft never appears, not even to the secretariat."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.urls import reverse

from icp_secretariat.lib.fulltext import Branch
from meetings import access
from meetings.models import KeyMessages
from public_site.publications import Publication, SearchHit


def key_messages_page_url(km: KeyMessages) -> str:
    return reverse("record:key_messages", args=[km.meeting.committee.slug, km.meeting_id])


class KeyMessagesSource:
    """The latest published version of each meeting's key messages."""

    kind = "key_messages"
    label = "Key messages"

    def _base(self, user, committee):
        visible = access.key_messages_visible_queryset(user).values("pk")
        later = KeyMessages.objects.filter(
            meeting=OuterRef("meeting"),
            state=KeyMessages.State.PUBLISHED,
            version__gt=OuterRef("version"),
        )
        qs = KeyMessages.objects.filter(pk__in=visible, state=KeyMessages.State.PUBLISHED).exclude(
            Exists(later)
        )
        if committee is not None:
            qs = qs.filter(meeting__committee=committee)
        return qs.select_related("meeting", "meeting__committee")

    def published(self, *, committee=None, limit: int = 50) -> list[Publication]:
        qs = self._base(AnonymousUser(), committee).order_by("-published_at", "-pk")[:limit]
        return [
            Publication(
                kind=self.kind,
                title=f"Key messages: {km.meeting}",
                url=key_messages_page_url(km),
                published=km.published_at,
                committee_id=km.meeting.committee_id,
                summary=km.text[:500],
                meeting=km.meeting,
            )
            for km in qs
        ]

    def search_branches(self, *, user, committee=None) -> list[Branch]:
        qs = self._base(user, committee)
        return [Branch(qs, {"text": "B"}, headline="text", vector="search_vector", hit=self._hit)]

    def _hit(self, m) -> SearchHit:
        return SearchHit(
            kind=self.kind,
            label=self.label,
            title=f"Key messages from the meeting on {m.obj.meeting.date:%-d %B %Y}",
            url=key_messages_page_url(m.obj),
            snippet=m.snippet,
            rank=m.rank,
            meeting=m.obj.meeting,
        )
