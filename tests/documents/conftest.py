# ruff: noqa: F811 - pytest fixtures imported from the meetings tests are parameters here
"""Fixtures for published documents: a meeting with Part 1 and Part 2 papers carrying unique
phrases, dispatched through the real services, and helpers to read PDFs back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from meetings.agenda import services
from meetings.models import Agenda, Meeting, Paper
from members.models import Membership, Person
from tests import snapshots
from tests.conftest import make_user
from tests.meetings.conftest import (  # noqa: F401 - fixtures shared with the meetings tests
    grounds,
    meeting,
    other_committee,
    people,
    private_media,
    private_meeting,
)
from tests.meetings.processed import processed

PUBLIC_PHRASE = "PUBLIC-FINANCE-WOMBAT"
SECRET_PHRASES = {
    "valuation": "SECRET-KESTREL-VALUATION",
    "incident": "SECRET-MARTEN-INCIDENT",
}
PART2_TITLE = "Acquisition of the Riverside site"
PART2_PUBLIC = "A property transaction"


def make_pdf(title: str, phrase: str, pages: int) -> bytes:
    body = "".join(
        f'<section style="break-before: {"page" if n else "auto"}">'
        f"{f'<h1>{title}</h1>' if n == 0 else ''}<p>{phrase} page {n + 1}</p></section>"
        for n in range(pages)
    )
    return weasyprint.HTML(string=body).write_pdf()


@pytest.fixture(scope="session")
def paper_bytes() -> dict[str, bytes]:
    return {
        "finance": make_pdf("Finance report", PUBLIC_PHRASE, 3),
        "strategy": make_pdf("Strategy update", "PUBLIC-STRATEGY-OKAPI", 2),
        "valuation": make_pdf("Valuation report", SECRET_PHRASES["valuation"], 2),
        "incident": make_pdf("Incident review", SECRET_PHRASES["incident"], 1),
        "late": make_pdf("Late report", "PUBLIC-LATE-TAPIR", 2),
    }


def upload(item, who, data: bytes, title: str, reason: str = "") -> Paper:
    return processed(
        services.upload_paper(
            item=item,
            by=who,
            uploaded=SimpleUploadedFile(f"{title}.pdf", data, "application/pdf"),
            title=title,
            reason=reason,
        )
    )


def agree_and_dispatch(meeting: Meeting, people) -> Agenda:
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    agenda.refresh_from_db()
    return services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def prepare(meeting: Meeting, people, grounds, paper_bytes) -> dict:
    """An agenda with two Part 1 papers and two Part 2 items with a paper each (not dispatched)."""
    sec = people["secretariat"]
    agenda = services.get_or_create_agenda(meeting=meeting)
    minutes = agenda.items.get(standard_key="minutes")
    business = services.add_item(
        agenda=agenda, by=sec, title="Integrated Care Strategy", presenter="Director of Strategy"
    )
    p2 = services.add_item(
        agenda=agenda,
        by=sec,
        title=PART2_TITLE,
        part=2,
        part2_ground=grounds[0],
        public_description=PART2_PUBLIC,
    )
    p2b = services.add_item(
        agenda=agenda,
        by=sec,
        title="Review of a serious incident",
        part=2,
        part2_ground=grounds[1],
        public_description="A matter concerning an individual",
    )
    return {
        "agenda": agenda,
        "finance": upload(minutes, sec, paper_bytes["finance"], "Finance report"),
        "strategy": upload(business, sec, paper_bytes["strategy"], "Strategy update"),
        "valuation": upload(p2, sec, paper_bytes["valuation"], "Valuation report"),
        "incident": upload(p2b, sec, paper_bytes["incident"], "Incident review"),
        "items": {"minutes": minutes, "business": business, "p2": p2, "p2b": p2b},
    }


@pytest.fixture
def world(meeting, people, grounds, paper_bytes) -> dict:
    """The public meeting prepared and dispatched (the build requested, not yet run)."""
    out = prepare(meeting, people, grounds, paper_bytes)
    agree_and_dispatch(meeting, people)
    out["meeting"] = meeting
    out["people"] = people
    return out


def person_of(user) -> Person:
    return Person.objects.get(user=user)


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def outline_titles(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    titles: list[str] = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, list):
                walk(node)
            else:
                titles.append(node.title)

    walk(reader.outline)
    return titles


@pytest.fixture
def invited(world):
    """An observer invited to Part 2 of the meeting."""
    u = make_user("invited")
    person = Person.objects.create(first_name="Invited", last_name="Obs", user=u, email=u.email)
    Membership.objects.create(
        committee=world["meeting"].committee,
        person=person,
        role="observer",
        voting=False,
        start=dt.date(2024, 1, 1),
    )
    services.invite_to_meeting(meeting=world["meeting"], person=person, part2=True, by=None)
    return u


@pytest.fixture
def built(request, db) -> dict:
    """The world, the invited observer and the documents built: made once per session (the
    same fixtures, then the queued build), restored for each test that asks. It replaces the
    whole database: a test asks for it instead of `world`, not as well."""
    from tests.documents.test_build import run_queued  # test_build imports this module

    def build() -> dict:
        world = request.getfixturevalue("world")
        invited = request.getfixturevalue("invited")
        run_queued(world["meeting"])
        return {"world": world, "invited": invited}

    return snapshots.restore(("documents-built-world", timezone.localdate()), build)
