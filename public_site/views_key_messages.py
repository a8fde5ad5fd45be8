"""The public page of a meeting's key messages (M&SE, Accountability and Reporting): the latest
published version and the earlier ones, each as `meetings.access.key_messages_visible_to`
allows. A draft is never shown here, not even to the secretariat (its screen is elsewhere)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from icp_secretariat.lib.public_cache import public_page
from icp_secretariat.lib.text import text_to_html
from meetings import access
from meetings.models import KeyMessages


@public_page(params=("version",))
def key_messages(request, slug: str, meeting_id: int):
    meeting = access.get_meeting_for_user(request.user, meeting_id)
    if meeting.committee.slug != slug:
        raise Http404("No such meeting")
    versions = list(
        KeyMessages.objects.filter(meeting=meeting, state=KeyMessages.State.PUBLISHED).order_by(
            "-version"
        )
    )
    for km in versions:
        km.meeting = meeting
    versions = [km for km in versions if access.key_messages_visible_to(request.user, km)]
    if not versions:
        raise Http404("No key messages")
    raw = request.GET.get("version", "")
    chosen = versions[0]
    if raw:
        chosen = next((km for km in versions if str(km.version) == raw), None)
        if chosen is None:
            raise Http404("No such version")
    return render(
        request,
        "meetings/key_messages_page.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "chosen": chosen,
            "html": text_to_html(chosen.text),
            "versions": versions,
            "is_latest": chosen.pk == versions[0].pk,
        },
    )
