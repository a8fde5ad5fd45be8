"""Demo: a Word paper on the next K&M meeting (issue 15), converted by the worker.

The .docx is generated here with python-docx (headings, a numbered list, a table and a chart
image with its alt text). Loading only uploads it: as in production, LibreOffice runs in the
Celery worker that `make run` starts after the load, and within a minute the paper has its
tagged PDF and its HTML reading version. `process_now()` converts it at once, for a caller with
no worker. Idempotent: skipped when the meeting already has the paper.
"""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committees.models import Committee
from meetings.agenda import services
from meetings.agenda.processing import process_paper_now
from meetings.models import AgendaItem, Meeting, Paper, Part

COMMITTEE = "kent-medway-icp"
TITLE = "Winter pressures in urgent and emergency care"
FILE_NAME = "Winter pressures in urgent and emergency care.docx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _chart_png() -> bytes:
    """A small bar chart, drawn pixel by pixel (no imaging library needed)."""
    width, height = 120, 60
    bars = [(10, 40), (40, 25), (70, 50), (100, 15)]
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            filled = any(bx <= x < bx + 14 and y >= height - bh for bx, bh in bars)
            row += b"\x1d\x70\xb8" if filled else b"\xff\xff\xff"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def word_paper() -> bytes:
    import docx
    from docx.shared import Inches

    doc = docx.Document()
    doc.core_properties.title = TITLE
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph(
        "This report sets out how partners across Kent and Medway are preparing for winter: "
        "demand on urgent and emergency care, the actions agreed by each Health and Care "
        "Partnership, and the risks the Joint Committee is asked to note."
    )
    doc.add_heading("Recommendations", level=2)
    for line in (
        "Note the winter plan and the actions of each Health and Care Partnership.",
        "Agree the shared messages to residents about using the right service.",
        "Ask for a report on the outcome at the spring meeting.",
    ):
        doc.add_paragraph(line, style="List Number")
    doc.add_heading("Attendances by place", level=2)
    rows = [
        ("Health and Care Partnership", "Attendances last winter", "Forecast this winter"),
        ("Dartford, Gravesham and Swanley", "41,200", "43,900"),
        ("East Kent", "96,800", "99,100"),
        ("Medway and Swale", "58,300", "60,700"),
        ("West Kent", "52,100", "53,400"),
    ]
    table = doc.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph()
    doc.add_picture(io.BytesIO(_chart_png()), width=Inches(3))
    doc.inline_shapes[0]._inline.docPr.set(
        "descr", "Bar chart: forecast attendances this winter by Health and Care Partnership"
    )
    doc.add_heading("Risks", level=2)
    doc.add_paragraph("Workforce sickness in December and January.", style="List Bullet")
    doc.add_paragraph("Discharge delays when care home beds are full.", style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _meeting() -> Meeting | None:
    committee = Committee.objects.filter(slug=COMMITTEE).first()
    if committee is None:
        return None
    return (
        Meeting.objects.scheduled()
        .filter(committee=committee, date__gte=timezone.localdate(), agenda__isnull=False)
        .order_by("date", "start_time")
        .first()
    )


def load() -> Paper | None:
    meeting = _meeting()
    if (
        meeting is None
        or Paper.objects.filter(item__agenda__meeting=meeting, source_format="docx").exists()
    ):
        return None
    agenda = meeting.agenda
    item = (
        AgendaItem.objects.filter(agenda=agenda, part=Part.PUBLIC, standard_key="")
        .order_by("number")
        .first()
    )
    if item is None:
        return None
    reason = "Figures confirmed after dispatch" if agenda.state == "dispatched" else ""
    return services.upload_paper(
        item=item,
        by=meeting.committee.secretariat.first(),
        uploaded=SimpleUploadedFile(FILE_NAME, word_paper(), DOCX),
        title=TITLE,
        reason=reason,
    )


def process_now() -> list[Paper]:
    """Convert the demo's waiting papers here and now (what the worker would do)."""
    waiting = Paper.objects.filter(state=Paper.State.PROCESSING).values_list("pk", flat=True)
    return [p for pk in list(waiting) if (p := process_paper_now(pk)) is not None]
