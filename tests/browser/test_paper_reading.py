"""Issue 15: a Word paper converted by real LibreOffice reads as a web page that passes axe, on a
desktop and on a phone without sideways scrolling; the agenda builder shows it processing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.agenda import services
from tests.browser.conftest import axe_violations, describe_violations
from tests.meetings import office_files
from tests.meetings.conftest import (  # noqa: F401 - fixtures shared with the meetings tests
    grounds,
    meeting,  # noqa: F811
    other_committee,
    people,
    private_media,
)
from tests.meetings.processed import processed

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_word_paper_reads_as_an_accessible_web_page(
    soffice,
    page,
    sign_in,
    meeting,  # noqa: F811
    people,  # noqa: F811 - shared fixtures
):
    sec = people["secretariat"]
    agenda = services.get_or_create_agenda(meeting=meeting)
    item = services.add_item(agenda=agenda, by=sec, title="Winter pressures")
    paper = processed(
        services.upload_paper(
            item=item,
            by=sec,
            uploaded=SimpleUploadedFile("winter.docx", office_files.word_paper(), DOCX),
            title="Winter pressures plan",
        )
    )
    assert paper.is_current, paper.failure
    # A second upload still processing: the builder says so and polls.
    services.upload_paper(
        item=item,
        by=sec,
        uploaded=SimpleUploadedFile("annex.docx", office_files.word_paper("Annex"), DOCX),
        title="Annex",
    )
    sign_in("secretariat")
    page.goto(f"/dashboard/meetings/{meeting.pk}/agenda/")
    cell = page.locator(f"#papers-{item.pk}")
    assert cell.get_attribute("data-hx-trigger").startswith("every")
    assert "Processing" in cell.inner_text()
    _shot(page, "office-builder-processing")

    page.goto(f"/papers/{paper.public_id}/read/")
    assert page.get_by_role("heading", level=1, name="Winter pressures plan").is_visible()
    assert page.get_by_role("heading", level=3, name="Recommendations").is_visible()
    assert page.get_by_role("img", name=office_files.IMAGE_ALT).is_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    _shot(page, "office-read-desktop")

    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    overflow = page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    _shot(page, "office-read-phone")
