"""A late or revised paper after dispatch tells readers by email (issue 13): one email per reader
per batch, not one per file, after the check page; Part 2 papers listed only to those entitled
(DOMAIN.md §4), by the item's public description, never by title."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communications.models import OutboxMessage
from meetings.agenda import services
from meetings.errors import AgendaError
from meetings.models import Paper, Part
from members.models import Person
from tests.conftest import PASSWORD
from tests.meetings.conftest import pdf_bytes
from tests.meetings.processed import process_all, processed
from tests.meetings.test_dispatch import agree


def _pdf(name="x.pdf"):
    return SimpleUploadedFile(name, pdf_bytes())


@pytest.fixture
def dispatched(meeting, people, grounds):
    agenda = services.get_or_create_agenda(meeting=meeting)
    p2 = services.add_item(
        agenda=agenda,
        by=None,
        title="Acquisition of Site X",
        part=Part.PRIVATE,
        part2_ground=grounds[0],
        public_description="A property matter",
    )
    p1 = agenda.items.get(standard_key="minutes")
    # Uploads are processed by Celery after commit: here the task body runs now.
    original = processed(
        services.upload_paper(
            item=p1, by=people["secretariat"], uploaded=_pdf(), title="Draft minutes"
        )
    )
    services.invite_to_meeting(
        meeting=meeting, person=Person.objects.get(user=people["observer"]), part2=False, by=None
    )
    agenda = agree(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    return {"p1": p1, "p2": p2, "original": original}


def _batch(dispatched, people):
    sec = people["secretariat"]
    services.upload_paper(
        item=dispatched["p1"], by=sec, uploaded=_pdf(), title="Action log & <update>",
        reason="Received late",
    )  # fmt: skip
    services.replace_paper(
        paper=dispatched["original"], by=sec, uploaded=_pdf(), reason="Typo in 3.2"
    )
    services.upload_paper(
        item=dispatched["p2"], by=sec, uploaded=_pdf(), title="Site X secret valuation",
        reason="Valuer's report arrived",
    )  # fmt: skip
    process_all()


def test_one_email_per_reader_for_a_batch_listing_what_each_may_read(meeting, people, dispatched):
    _batch(dispatched, people)
    # Nothing is sent per file: the uploads queue no email.
    assert not OutboxMessage.objects.filter(message_name="late_papers").exists()
    sent = services.announce_papers(meeting=meeting, by=people["secretariat"])
    rows = OutboxMessage.objects.filter(message_name="late_papers")
    assert sent == rows.count() == 5  # 3 members, 1 participant, the observer invited
    for row in rows:
        assert row.body_text.count("Item ") == 3 if row.recipient != "observer@example.org" else 2
        assert "Action log & <update>" in row.body_text  # plain text, never entities
        assert "&amp;" not in row.body_text and "&lt;" not in row.body_text
        assert "Site X secret valuation" not in row.body_text + row.subject + row.body_html
        assert "Acquisition of Site X" not in row.body_text + row.subject + row.body_html
    member = rows.get(recipient="member@example.org").body_text
    assert "(Part 2: A property matter): a late paper" in member
    observer = rows.get(recipient="observer@example.org").body_text
    assert "Part 2" not in observer.split("Read them online")[0]
    # Announced once: a second press has nothing to send.
    assert not Paper.objects.filter(announced_at__isnull=True, status__in=["late", "revised"])
    with pytest.raises(AgendaError, match="no late or revised paper"):
        services.announce_papers(meeting=meeting, by=people["secretariat"])


def test_a_paper_withheld_from_a_member_is_not_listed_to_them(meeting, people, dispatched):
    _batch(dispatched, people)
    secret = Paper.objects.get(title="Site X secret valuation")
    services.withhold_paper(
        paper=secret,
        person=Person.objects.get(user=people["member"]),
        reason="Declared interest",
        by=people["secretariat"],
    )
    services.announce_papers(meeting=meeting, by=people["secretariat"])
    body = OutboxMessage.objects.get(message_name="late_papers", recipient="member@example.org")
    assert "Part 2" not in body.body_text.split("Read them online")[0]
    chair = OutboxMessage.objects.get(message_name="late_papers", recipient="chair@example.org")
    assert "A property matter" in chair.body_text


def test_the_builder_offers_the_button_and_the_check_page_sends_once(
    meeting, people, dispatched, client
):
    _batch(dispatched, people)
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("agenda:builder", args=[meeting.pk])).content.decode()
    assert "Tell members about these papers" in page and "(3)" in page
    url = reverse("agenda:announce_papers", args=[meeting.pk])
    check = client.post(url).content.decode()
    assert "Check before you send" in check and "1 Part 2 paper(s)" in check
    assert "Site X secret valuation" not in check.split("What goes with it")[0]
    assert not OutboxMessage.objects.filter(message_name="late_papers").exists()
    client.post(url, {"confirm": "1"})
    client.post(url, {"confirm": "1"})
    assert OutboxMessage.objects.filter(message_name="late_papers").count() == 5
    page = client.get(reverse("agenda:builder", args=[meeting.pk])).content.decode()
    assert "Tell members about these papers" not in page


def test_only_the_secretariat_announces(meeting, people, dispatched, client):
    _batch(dispatched, people)
    with pytest.raises(AgendaError, match="secretariat"):
        services.announce_papers(meeting=meeting, by=people["chair"])
    client.login(username="member", password=PASSWORD)
    url = reverse("agenda:announce_papers", args=[meeting.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert not OutboxMessage.objects.filter(message_name="late_papers").exists()
