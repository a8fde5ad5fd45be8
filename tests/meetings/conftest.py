"""Fixtures for agendas and papers: a meeting, real PDF bytes, private media in a temp folder,
and personas extended with the Leadership Team, an invited observer, an attendee and a member of
another committee."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfWriter

from committees.models import Committee, CommitteeRules, Part2Ground, Role
from meetings.models import Meeting
from tests.conftest import _person_with, make_user
from tests.meetings.processed import processed


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SITE_URL = "http://testserver"
    return settings.PRIVATE_MEDIA_ROOT


def pdf_bytes(pages: int = 2, *, encrypt: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if encrypt:
        writer.encrypt(encrypt)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.fixture(scope="session")
def text_pdf() -> bytes:
    """A real several-page PDF with text, rendered once by WeasyPrint."""
    from weasyprint import HTML

    html = "".join(
        f"<section style='page-break-after: always'><h1>Page {n}</h1>"
        f"<p>PART2-SECRET-TEST-{n} budget pressures</p></section>"
        for n in range(1, 4)
    )
    return HTML(string=html).write_pdf()


@pytest.fixture
def grounds(committee) -> list[Part2Ground]:
    return [
        Part2Ground.objects.create(
            committee=committee, reference="7.1.2", text="Commercially sensitive", order=1
        ),
        Part2Ground.objects.create(
            committee=committee, reference="7.1.4", text="Information about individuals", order=2
        ),
    ]


@pytest.fixture
def meeting(committee) -> Meeting:
    return Meeting.objects.create(
        committee=committee, date=dt.date(2030, 6, 4), start_time=dt.time(14, 0), venue="Hall"
    )


@pytest.fixture
def private_meeting(committee) -> Meeting:
    return Meeting.objects.create(
        committee=committee, date=dt.date(2030, 7, 2), start_time=dt.time(10, 0), is_public=False
    )


@pytest.fixture
def other_committee(db, org) -> Committee:
    c = Committee.objects.create(name="Other Committee", slug="other")
    CommitteeRules.objects.create(committee=c)
    return c


@pytest.fixture
def people(personas, committee, org, other_committee) -> dict:
    """The shared personas plus Leadership Team, attendee, and a member of another committee."""
    people = dict(personas)
    people["leadership"] = _person_with(
        committee, org, "leader", Role.MEMBER, voting=True, office="leadership_team"
    )
    people["attendee"] = _person_with(committee, org, "attendee", Role.ATTENDEE, voting=False)
    people["other_member"] = _person_with(
        other_committee, org, "othermember", Role.MEMBER, voting=True
    )
    other_sec = make_user("othersec")
    other_committee.secretariat.add(other_sec)
    people["other_secretariat"] = other_sec
    people["anonymous"] = None
    return people


SECRET_TITLE = "Acquisition of the Riverside site"
SECRET_DESCRIPTION = "A property transaction"


@pytest.fixture
def world(meeting, private_meeting, people, grounds, org):
    """A public meeting and a private one, each with a Part 1 and a Part 2 paper, not yet
    dispatched; an observer invited to Part 2 of the public one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.agenda import services
    from members.models import Membership, Person

    u = make_user("invited")
    person = Person.objects.create(
        first_name="Invited", last_name="Observer", user=u, email=u.email
    )
    Membership.objects.create(
        committee=meeting.committee,
        person=person,
        role=Role.OBSERVER,
        voting=False,
        start="2024-01-01",
    )
    services.invite_to_meeting(meeting=meeting, person=person, part2=True, by=None)
    people = dict(people, invited_observer=u)
    out = {"people": people, "meeting": meeting, "private": private_meeting}
    for key, m in (("pub", meeting), ("priv", private_meeting)):
        agenda = services.get_or_create_agenda(meeting=m)
        p1_item = agenda.items.get(standard_key="minutes")
        p2_item = services.add_item(
            agenda=agenda,
            by=None,
            title=SECRET_TITLE,
            part=2,
            part2_ground=grounds[0],
            public_description=SECRET_DESCRIPTION,
        )
        sec = people["secretariat"]
        out[f"{key}_p1"] = processed(
            services.upload_paper(
                item=p1_item,
                by=sec,
                uploaded=SimpleUploadedFile("m.pdf", pdf_bytes()),
                title="Minutes",
            )
        )
        out[f"{key}_p2"] = processed(
            services.upload_paper(
                item=p2_item,
                by=sec,
                uploaded=SimpleUploadedFile("v.pdf", pdf_bytes()),
                title="Valuation report",
            )
        )
    return out


@pytest.fixture
def world_once(request, db):
    """The `world` above, built once per session and restored for each test from its snapshot
    (tests/snapshots.py): for tests that need nothing else that creates rows."""
    from tests import snapshots

    return snapshots.restore(("meetings-world",), lambda: request.getfixturevalue("world"))
