"""Fixtures for the PDF engine tests: test papers rendered once per session with WeasyPrint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfWriter

from icp_secretariat.lib.pdf import ItemInput, PackInput, PaperInput


def make_paper(path: Path, title: str, phrase: str, pages: int, landscape: bool = False) -> Path:
    """A paper whose every page carries its unique phrase; the first page its title."""
    size = "A4 landscape" if landscape else "A4"
    body = "".join(
        f'<section style="break-before: {"page" if n else "auto"}">'
        f"{f'<h1>{title}</h1>' if n == 0 else ''}<p>{phrase} page {n + 1}</p></section>"
        for n in range(pages)
    )
    weasyprint.HTML(string=f"<style>@page {{ size: {size} }}</style>{body}").write_pdf(path)
    return path


@pytest.fixture(scope="session")
def papers(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("papers")
    made = {
        "finance": make_paper(folder / "finance.pdf", "Finance report", "ZEBRA-FINANCE", 3),
        "quality": make_paper(folder / "quality.pdf", "Quality report", "ZEBRA-QUALITY", 2),
        "plan": make_paper(folder / "plan.pdf", "Winter plan", "ZEBRA-WINTER", 1, True),
        "contract": make_paper(
            folder / "contract.pdf", "Contract award", "SECRET-OTTER-CONTRACT", 2
        ),
        "estates": make_paper(folder / "estates.pdf", "Estates sale", "SECRET-HERON-ESTATES", 1),
        "leak": make_paper(folder / "leak.pdf", "Staff matter", "SECRET-LYNX-PART1", 1),
    }
    # A paper with turned pages (/Rotate 90 and 270), as scanners produce.
    rotated = PdfWriter(clone_from=made["quality"])
    rotated.pages[0].rotation = 90
    rotated.pages[1].rotation = 270
    made["rotated"] = folder / "rotated.pdf"
    rotated.write(made["rotated"])
    return made


SECRET_PHRASES = ["SECRET-OTTER-CONTRACT", "SECRET-HERON-ESTATES", "SECRET-LYNX-PART1"]


@pytest.fixture(scope="session")
def members_pack(papers) -> PackInput:
    return PackInput(
        committee_name="Kent and Medway Integrated Care Partnership",
        meeting_title="Meeting of the Partnership",
        meeting_date=dt.date(2026, 5, 12),
        meeting_time="10:00 to 12:30",
        venue="Council Chamber, Sessions House, Maidstone",
        audience="members",
        items=[
            ItemInput(
                number="1",
                title="Welcome and apologies",
                purpose="For noting",
                presenter="Chair",
                body_html="<table><tr><th scope='col'>Member</th><th scope='col'>Interest</th>"
                "</tr><tr><td>A Member</td><td>Trustee of a local charity</td></tr></table>",
            ),
            ItemInput(
                number="2",
                title="Finance and quality",
                purpose="For decision",
                presenter="Chief Finance Officer",
                timing="10:10",
                papers=[
                    PaperInput("Finance report", papers["finance"]),
                    PaperInput(
                        "Quality report", papers["rotated"], note="Late paper: data arrived late"
                    ),
                    # Confidential though in Part 1: never in the public pack.
                    PaperInput("Staff matter", papers["leak"], confidential=True),
                ],
            ),
            ItemInput(
                number="3",
                title="Winter resilience",
                purpose="For approval",
                papers=[PaperInput("Winter plan", papers["plan"])],
            ),
            ItemInput(
                number="4",
                title="Award of the community services contract to Otter Health",
                part=2,
                public_description="Community services contract",
                ground="Paragraph 3: information about financial or business affairs",
                papers=[PaperInput("Contract award", papers["contract"], confidential=True)],
                body_html="<p>SECRET-INLINE-BODY</p>",
            ),
            ItemInput(
                number="5",
                title="Sale of the Heron Road estate",
                part=2,
                public_description="Estates disposal",
                ground="Paragraph 3: commercial information",
                papers=[PaperInput("Estates sale", papers["estates"], confidential=True)],
            ),
        ],
    )
