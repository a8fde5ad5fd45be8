"""Celery task of the meeting record: build a minutes PDF for one version and audience.

Takes primary keys and is enqueued on commit (meetings.conduct.services). Each build is stored under a new
file name and kept: a version's PDF is never overwritten, and an identical rebuild is skipped.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.utils.html import escape

from icp_secretariat.lib import files
from icp_secretariat.lib.pdf import DocumentInput, SectionInput, render_minutes_pdf
from icp_secretariat.lib.text import text_to_html
from meetings import signals
from meetings.conduct.recording import section_moments
from meetings.models import Meeting, Minutes, MinutesDocument, Part


def minutes_document(minutes: Minutes, audience: str) -> DocumentInput:
    """The PDF's input: Part 1 for the public; Parts 1 and 2 for members."""

    meeting = minutes.meeting
    moments = section_moments(meeting)
    sections = [
        SectionInput(
            s["heading"],
            _recording_line(moments.get(s.get("key", ""))) + str(text_to_html(s["text"])),
        )
        for s in minutes.sections_for(Part.PUBLIC)
    ]
    if audience == MinutesDocument.Audience.MEMBERS:
        sections += [
            SectionInput(
                f"Part 2 (private): {s['heading']}",
                str(text_to_html(s["text"])),
                confidential=True,
            )
            for s in minutes.sections_for(Part.PRIVATE)
        ]
    details = [("Version", str(minutes.version)), ("Status", minutes.get_state_display())]
    if minutes.approved_at_item_id:
        later = minutes.approved_at_item.agenda.meeting
        details.append(("Approved", f"at the meeting of {later.date:%-d %B %Y}"))
    if minutes.reason:
        details.append(("Correction", minutes.reason))
    if audience == MinutesDocument.Audience.MEMBERS and minutes.sections_for(Part.PRIVATE):
        details.append(("Confidential", "Contains Part 2 business: not for publication"))
    return DocumentInput(
        title="Minutes",
        committee_name=meeting.committee.name,
        meeting_date=meeting.date,
        meeting_title=f"{meeting.get_kind_display()} meeting, {meeting.start_time:%H:%M}"
        + (f", {meeting.venue}" if meeting.venue else ""),
        details=details,
        sections=sections,
        draft=minutes.is_draft,
        # Approved minutes are signed by the Chair as a correct record.
        signature="" if minutes.is_draft else "Chair",
    )


def _recording_line(url: str | None) -> str:
    """A Part 1 item's link to its moment in the recording, for the PDF (issue 19)."""
    if not url:
        return ""
    return f'<p><a href="{escape(url)}">Watch this item in the recording</a></p>'


def minutes_dir() -> Path:
    """Where minutes PDFs are on disk when files are on the filesystem."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "minutes"


def minutes_file(storage_name: str) -> str:
    """A minutes PDF's name in the private store (`icp_secretariat.lib.files`)."""
    return f"minutes/{storage_name}"


def build_minutes_document(minutes_pk: int, audience: str) -> MinutesDocument | None:
    minutes = (
        Minutes.objects.select_related("meeting__committee", "approved_at_item__agenda__meeting")
        .filter(pk=minutes_pk)
        .first()
    )
    if minutes is None or audience not in MinutesDocument.Audience.values:
        return None
    doc = minutes_document(minutes, audience)
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                doc.draft,
                doc.details,
                doc.signature,
                [(s.heading, s.html, s.confidential) for s in doc.sections],
            ],
            default=str,
        ).encode()
    ).hexdigest()
    existing = MinutesDocument.objects.filter(
        minutes=minutes, audience=audience, fingerprint=fingerprint
    ).first()
    if existing is not None:
        return existing
    data = render_minutes_pdf(doc)
    name = f"{uuid.uuid4().hex}.pdf"
    files.save(minutes_file(name), data)
    document, created = MinutesDocument.objects.get_or_create(
        minutes=minutes,
        audience=audience,
        fingerprint=fingerprint,
        defaults={
            "storage_name": name,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "draft": doc.draft,
        },
    )
    if created and minutes.is_published:
        _next_agenda_follows(minutes.meeting)
    return document


def _next_agenda_follows(meeting: Meeting) -> None:
    """The next meeting's minutes item carries these minutes (meetings.minutes.previous): once
    their PDF exists, its published agenda and pack are rebuilt as a new version (issue 13)."""
    following = (
        Meeting.objects.filter(committee_id=meeting.committee_id, date__gt=meeting.date)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date", "start_time")
        .first()
    )
    if following is not None:
        signals.agenda_changed.send(
            sender=Minutes, meeting_id=following.pk, reason="previous meeting's minutes published"
        )


@shared_task(name="meetings.tasks_record.build_minutes_pdf")
def build_minutes_pdf(minutes_pk: int, audience: str) -> int | None:
    document = build_minutes_document(minutes_pk, audience)
    return document.pk if document else None
