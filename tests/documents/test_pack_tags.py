"""Packs that stay tagged, through the models (issue 15, point 3): a pack built from untagged
author PDFs does not claim PDF/UA and the agenda builder names those papers; replacing one with a
tagged version takes it off the list, and a pack whose every paper is tagged claims PDF/UA."""

from __future__ import annotations

import io

import pikepdf
import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.agenda import services
from tests.conftest import PASSWORD
from tests.documents.conftest import PUBLIC_PHRASE, SECRET_PHRASES
from tests.documents.test_build import doc, read, run_queued
from tests.meetings.processed import processed

pytestmark = pytest.mark.django_db

UNTAGGED_NOTE = "These papers are untagged"


def tagged_pdf(title: str, phrase: str, pages: int) -> bytes:
    body = "".join(
        f'<section style="break-before: {"page" if n else "auto"}">'
        f"<h1>{title}</h1><p>{phrase} page {n + 1}</p></section>"
        for n in range(pages)
    )
    html = f"<html lang='en-GB'><head><title>{title}</title></head><body>{body}</body></html>"
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def replace(paper, who, data: bytes):
    # The worker processes the replacement before it becomes current (issue 15).
    return processed(
        services.replace_paper(
            paper=paper,
            by=who,
            uploaded=SimpleUploadedFile(f"{paper.title}.pdf", data, "application/pdf"),
            reason="Tagged version from the Word original",
        )
    )


def builder_page(client, meeting) -> str:
    client.login(username="secretariat", password=PASSWORD)
    return client.get(reverse("agenda:builder", args=[meeting.pk])).content.decode()


def claims_ua(data: bytes) -> bool:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf.open_metadata().get("pdfuaid:part") == "1"


def test_untagged_papers_are_named_on_the_builder_until_replaced(world, client):
    meeting, sec = world["meeting"], world["people"]["secretariat"]
    run_queued(meeting)
    members = doc(meeting, "pack", "members")
    assert members.layout["tagged"] is False
    assert not claims_ua(read(members))
    page = builder_page(client, meeting)
    assert UNTAGGED_NOTE in page
    minutes_number = world["items"]["minutes"].number
    assert f"Item {minutes_number}: Finance report" in page
    assert "Valuation report" in page

    # The secretariat replaces every paper with a tagged version: the list empties and the
    # members' pack claims PDF/UA, every page of it in the structure tree.
    replace(world["finance"], sec, tagged_pdf("Finance report", PUBLIC_PHRASE, 3))
    replace(world["strategy"], sec, tagged_pdf("Strategy update", "PUBLIC-STRATEGY-OKAPI", 2))
    replace(world["valuation"], sec, tagged_pdf("Valuation report", SECRET_PHRASES["valuation"], 2))
    replace(world["incident"], sec, tagged_pdf("Incident review", SECRET_PHRASES["incident"], 1))
    run_queued(meeting)
    members = doc(meeting, "pack", "members")
    assert members.version == 2
    assert members.layout["tagged"] is True
    assert claims_ua(read(members))
    page = builder_page(client, meeting)
    assert UNTAGGED_NOTE not in page
