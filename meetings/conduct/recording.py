"""A meeting's recording or live stream and where each Part 1 item starts in it.

Only Part 1 items of a public meeting get a moment: Part 2 business is never recorded for the
public, so a start time on a Part 2 item is refused. The addresses are built by
`icp_secretariat.lib.recordings.url_at`, per provider.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from icp_secretariat.lib.recordings import url_at, validate_https_url
from meetings.errors import ConductError
from meetings.models import AgendaItem, Meeting, Part


def item_moments(meeting: Meeting) -> dict[int, str]:
    """{item pk: the recording's address at that item's start}, Part 1 items only."""
    if not meeting.webcast_link or not meeting.is_public:
        return {}
    items = AgendaItem.objects.filter(
        agenda__meeting=meeting, part=Part.PUBLIC, recording_start__isnull=False
    ).values_list("pk", "recording_start")
    return {pk: url_at(meeting.webcast_link, start) for pk, start in items}


def section_moments(meeting: Meeting) -> dict[str, str]:
    """The same, keyed as the minutes key their item sections (`item-<pk>`)."""
    return {f"item-{pk}": url for pk, url in item_moments(meeting).items()}


@transaction.atomic
def set_recording(*, meeting: Meeting, url: str, starts: dict[int, int | None], by=None) -> None:
    """Store the recording's address and each Part 1 item's start (seconds, or None)."""
    url = (url or "").strip()
    try:
        validate_https_url(url)
    except ValidationError as exc:
        raise ConductError(exc.messages[0]) from exc
    items = {i.pk: i for i in AgendaItem.objects.filter(agenda__meeting=meeting)}
    for pk, seconds in starts.items():
        item = items.get(pk)
        if item is None:
            raise ConductError("That item is not on this meeting's agenda.")
        if item.part != Part.PUBLIC and seconds is not None:
            raise ConductError(
                f"Item {item.number} is Part 2 business: it has no place in the public recording."
            )
    if starts and not url and any(v is not None for v in starts.values()):
        raise ConductError("Enter the recording's address before the items' start times.")
    meeting.webcast_link = url
    meeting.save(update_fields=["webcast_link"])
    for pk, seconds in starts.items():
        item = items[pk]
        if item.recording_start != seconds:
            item.recording_start = seconds
            item.save(update_fields=["recording_start"])
