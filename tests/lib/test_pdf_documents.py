"""The agenda, minutes and decision notice PDFs read back with pypdf."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

from pypdf import PdfReader

from icp_secretariat.lib.pdf import (
    DocumentInput,
    SectionInput,
    render_agenda_pdf,
    render_decision_notice_pdf,
    render_minutes_pdf,
)

from .conftest import SECRET_PHRASES


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def assert_accessible_metadata(reader: PdfReader, title_start: str) -> None:
    assert reader.metadata.title.startswith(title_start)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root  # tagged (PDF/UA-1 variant)
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_agenda_has_header_footer_contents_and_metadata(members_pack):
    reader = read(render_agenda_pdf(members_pack))
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in text
        assert "Kent and Medway Integrated Care Partnership" in text
        assert "Tuesday 12 May 2026" in text
    # Contents numbers (target-counter) point at the item headings.
    numbers = {}
    for line in pages[0].splitlines():
        match = re.match(r"^\s*(\d+)\s+(.+?)\s+(\d+)\s*$", line)
        if match:
            numbers[match.group(2)] = int(match.group(3))
    assert "Finance and quality" in numbers
    for title, page in numbers.items():
        assert title in pages[page - 1]
    assert_accessible_metadata(reader, "Agenda: Meeting of the Partnership")
    # Working internal links: contents entries carry destinations.
    dests = [a.get_object().get("/Dest") for a in reader.pages[0].get("/Annots", [])]
    assert any(d is not None for d in dests)


def test_public_agenda_shows_part2_by_description_and_ground_only(members_pack):
    pack = dataclasses.replace(members_pack, audience="public")
    text = "\n".join(p.extract_text() for p in read(render_agenda_pdf(pack)).pages)
    assert "Community services contract" in text
    assert "Paragraph 3: commercial information" in text
    for secret in ["Otter Health", "Heron Road", "Contract award", "Estates sale", "Staff matter"]:
        assert secret not in text
    assert "SECRET-INLINE-BODY" not in text
    assert not any(phrase in text for phrase in SECRET_PHRASES)


def test_members_agenda_lists_part2_titles_and_paper_notes(members_pack):
    text = "\n".join(p.extract_text() for p in read(render_agenda_pdf(members_pack)).pages)
    assert "Award of the community services contract to Otter Health" in text
    assert "Late paper: data arrived late" in text


def minutes(draft: bool) -> DocumentInput:
    return DocumentInput(
        title="Minutes of the meeting of 12 May 2026",
        committee_name="Kent and Medway Integrated Care Partnership",
        meeting_date=dt.date(2026, 5, 12),
        meeting_title="Meeting of the Partnership",
        details=[("Venue", "Sessions House, Maidstone")],
        draft=draft,
        sections=[
            SectionInput(f"{n}. Item {n}", "<p>The partnership noted the report.</p>" * 40)
            for n in range(1, 6)
        ],
    )


def test_draft_minutes_carry_a_watermark_on_every_page():
    reader = read(render_minutes_pdf(minutes(draft=True)))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()
    assert_accessible_metadata(reader, "Minutes of the meeting of 12 May 2026")


def test_approved_minutes_have_no_watermark():
    reader = read(render_minutes_pdf(minutes(draft=False)))
    for page in reader.pages:
        assert "DRAFT" not in page.extract_text()
        assert "Draft" not in page.extract_text()


def test_minutes_contents_point_at_sections():
    reader = read(render_minutes_pdf(minutes(draft=False)))
    pages = [p.extract_text() for p in reader.pages]
    found = 0
    for line in pages[0].splitlines():
        match = re.match(r"^\s*(\d+\. Item \d+)\s+(\d+)\s*$", line)
        if match:
            found += 1
            assert match.group(1) in pages[int(match.group(2)) - 1]
    assert found == 5


def test_decision_notice_draft_and_final():
    notice = DocumentInput(
        title="Decision notice: winter plan",
        committee_name="Kent and Medway Integrated Care Partnership",
        meeting_date=dt.date(2026, 5, 12),
        sections=[SectionInput("Decision", "<p>The partnership approved the winter plan.</p>")],
        draft=True,
    )
    draft = read(render_decision_notice_pdf(notice))
    assert "DRAFT" in draft.pages[0].extract_text()
    assert_accessible_metadata(draft, "Decision notice: winter plan")
    final = read(render_decision_notice_pdf(dataclasses.replace(notice, draft=False)))
    assert "DRAFT" not in final.pages[0].extract_text()
    assert "approved the winter plan" in final.pages[0].extract_text()
