"""The minutes of the last meeting on the next agenda (issue 13): the "Minutes of the previous
meeting" item carries the approved minutes of the committee's previous meeting as its paper (on
the meeting page and in the pack), or says that they are not yet approved."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import FilteredRelation, Q
from django.urls import reverse
from django.utils import timezone

from icp_secretariat.lib import files, public_cache
from meetings.conduct.services import date_text
from meetings.minutes.tasks import minutes_file
from meetings.models import Meeting, Minutes, MinutesDocument

MINUTES_KEY = "minutes"


@dataclass
class PreviousMinutes:
    meeting: Meeting
    minutes: Minutes | None
    documents: dict[str, MinutesDocument] = field(default_factory=dict)

    @property
    def approved(self) -> bool:
        return self.minutes is not None and not self.minutes.is_draft

    @property
    def published(self) -> bool:
        return self.minutes is not None and self.minutes.is_published

    @property
    def text(self) -> str:
        held = date_text(self.meeting.date)
        if self.minutes is None or self.minutes.is_draft:
            return f"The minutes of the meeting held on {held} have not yet been approved."
        at = self.minutes.approved_at or self.minutes.published_at
        approved = f" on {date_text(timezone.localdate(at))}" if at else ""
        if not self.published:
            return (
                f"The minutes of the meeting held on {held} were approved{approved}; they will "
                "be published shortly."
            )
        return f"The minutes of the meeting held on {held}, approved{approved}, are attached."

    @property
    def title(self) -> str:
        return f"Minutes of the meeting held on {date_text(self.meeting.date)}"

    def path(self, audience: str) -> Path | files.StoredFile | None:
        """What the PDF engine reads these minutes from (a path on disk, or the stored object)."""
        doc = self.documents.get(audience) if self.published else None
        return files.pdf_source(minutes_file(doc.storage_name)) if doc is not None else None

    def url(self, audience: str) -> str:
        if audience not in self.documents or not self.published:
            return ""
        return reverse(
            "record:minutes_pdf",
            args=[self.meeting.committee.slug, self.meeting.pk, self.minutes.version, audience],
        )


def previous_minutes(meeting: Meeting) -> PreviousMinutes | None:
    """The committee's meeting before this one (not cancelled) with its current minutes (one
    query), and the latest PDF of each audience (kept in the cache until a minutes PDF is
    written). None when there was no earlier meeting."""
    before = (
        Meeting.objects.filter(committee_id=meeting.committee_id)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(date__lt=meeting.date)
        .annotate(
            current_minutes=FilteredRelation("minutes", condition=Q(minutes__is_current=True))
        )
        .select_related("committee", "current_minutes")
        .order_by("-date", "-start_time")
        .first()
    )
    if before is None:
        return None
    # Absent, not None, when the join found no current minutes.
    minutes = getattr(before, "current_minutes", None)
    documents: dict[str, MinutesDocument] = {}
    if minutes is not None:
        minutes.meeting = before
        documents = public_cache.remember(
            f"minutes-documents:{minutes.pk}",
            (public_cache.model_topic(MinutesDocument),),
            lambda: _latest_documents(minutes),
        )
    return PreviousMinutes(before, minutes, documents)


def _latest_documents(minutes: Minutes) -> dict[str, MinutesDocument]:
    documents: dict[str, MinutesDocument] = {}
    for doc in MinutesDocument.objects.filter(minutes=minutes, draft=False).order_by(
        "created_at", "pk"
    ):
        documents[doc.audience] = doc
    return documents
