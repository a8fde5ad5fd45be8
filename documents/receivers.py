"""Documents follow the meeting domain's events (connected in `DocumentsConfig.ready`)."""

from __future__ import annotations

from documents.services import request_build


def rebuild_after_agenda_change(sender, *, meeting_id: int, reason: str, **kwargs) -> None:
    """The published agenda and pack follow the agenda (after commit, debounced)."""
    request_build(meeting_id=meeting_id, reason=reason)
