"""A dispatched meeting for the offline reader's tests (issue 18): a Part 1 and a Part 2 paper
with real text (rendered by WeasyPrint), the members' and public documents built, and the
personas of tests/conftest.py (member, observer not invited to Part 2, secretariat, chair)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committees.models import Part2Ground
from meetings.agenda import services
from meetings.models import Meeting
from tests.meetings.processed import processed

PART1_PHRASE = "The winter plan keeps forty extra beds open across the county."
PART2_PHRASE = "The valuation of the Riverside site is SECRET-OTTER-VALUATION nine million."
PART2_TITLE = "Riverside valuation report"
PART1_TITLE = "Winter plan"


def text_pdf(title: str, paragraphs: list[list[str]]) -> bytes:
    """A PDF with one page per list of paragraphs."""
    from weasyprint import HTML

    pages = "".join(
        f"<section style='break-before: {'page' if n else 'auto'}'>"
        + (f"<h1>{title}</h1>" if n == 0 else "")
        + "".join(f"<p>{p}</p>" for p in paras)
        + "</section>"
        for n, paras in enumerate(paragraphs)
    )
    return HTML(string=f"<html lang='en'><body>{pages}</body></html>").write_pdf()


def part1_pdf(second_page: str = "Page two covers the vaccination campaign.") -> bytes:
    return text_pdf(
        PART1_TITLE,
        [[PART1_PHRASE, "Discharge teams will work at weekends from December."], [second_page]],
    )


def part2_pdf() -> bytes:
    return text_pdf(PART2_TITLE, [[PART2_PHRASE, "The Board is asked to agree the sale."]])


def build(personas, committee, *, build_documents: bool = True) -> dict:
    ground = Part2Ground.objects.create(
        committee=committee, reference="7.1.2", text="Commercially sensitive", order=1
    )
    meeting = Meeting.objects.create(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=30),
        start_time=dt.time(14, 0),
        venue="Council Chamber",
    )
    agenda = services.get_or_create_agenda(meeting=meeting)
    sec = personas["secretariat"]
    p1_item = services.add_item(agenda=agenda, by=sec, title="Winter resilience", part=1)
    p2_item = services.add_item(
        agenda=agenda,
        by=sec,
        title="Acquisition of the Riverside site",
        part=2,
        part2_ground=ground,
        public_description="A property transaction",
    )
    p1 = processed(
        services.upload_paper(
            item=p1_item,
            by=sec,
            uploaded=SimpleUploadedFile("winter.pdf", part1_pdf(), "application/pdf"),
            title=PART1_TITLE,
        )
    )
    p2 = processed(
        services.upload_paper(
            item=p2_item,
            by=sec,
            uploaded=SimpleUploadedFile("valuation.pdf", part2_pdf(), "application/pdf"),
            title=PART2_TITLE,
        )
    )
    agenda.refresh_from_db()
    services.send_to_chair(agenda=agenda, by=sec)
    agenda.refresh_from_db()
    services.agree_agenda(agenda=agenda, by=personas["chair"], version=agenda.version)
    agenda.refresh_from_db()
    services.dispatch_agenda(agenda=agenda, by=sec)
    meeting = Meeting.objects.get(pk=meeting.pk)
    if build_documents:
        from documents.services import build_documents as build_docs

        assert build_docs(meeting=meeting, for_user=personas["member"]) > 0
    return {"meeting": meeting, "p1": p1, "p2": p2, "p1_item": p1_item, "p2_item": p2_item}


def revise_part1(personas, paper, second_page: str = "Page two is about ambulances."):
    return processed(
        services.replace_paper(
            paper=paper,
            by=personas["secretariat"],
            uploaded=SimpleUploadedFile("winter-v2.pdf", part1_pdf(second_page), "application/pdf"),
            reason="Figures updated",
        )
    )


def restored() -> dict:
    """The committee, the personas and `build`'s world, built once per session and date and
    restored for each test that asks (tests/snapshots.py): the papers' PDFs and the documents
    take WeasyPrint seconds to make. Replaces the whole database, so the test must create no
    rows before it (its `personas` and `committee` come from here)."""
    from tests import snapshots
    from tests.conftest import make_committee, make_org, make_personas

    def make() -> dict:
        committee = make_committee()
        personas = make_personas(committee, make_org())
        return {"committee": committee, "personas": personas, "rw": build(personas, committee)}

    return snapshots.restore(("reader-world", timezone.localdate()), make)
