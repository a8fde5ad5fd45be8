"""The public decisions register and the minutes pages: Part 1 in full, Part 2 decisions as
their summary, Part 2 minutes never shown to the public, observers or outsiders (404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.conduct import services as record
from meetings.minutes import services as minutes_services
from meetings.minutes.tasks import build_minutes_document, minutes_dir
from meetings.models import MinutesDocument
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
)

SECRET_DECISION = "PART2-DECISION-SECRET-riverside"
SECRET_MINUTES = "PART2-MINUTES-SECRET-riverside"


@pytest.fixture
def recorded(km, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    first = meeting_with_agenda(km, dt.date(2026, 3, 10))
    second = meeting_with_agenda(km, dt.date(2026, 5, 12), business="Winter plan")
    for m in (first, second):
        mark_present(km, m, QUORATE_NINE)
    record.record_decision(item=business_item(first), text="Award the home care contract.")
    p2 = first.agenda.items.get(part=2)
    record.record_decision(
        item=p2,
        text=f"Buy the site for £1m. {SECRET_DECISION}",
        public_summary="Agreed a purchase.",
    )
    record.save_item_note(item=p2, discussion=f"Valuation discussed. {SECRET_MINUTES}")
    minutes = minutes_services.circulate_minutes(
        minutes=minutes_services.generate_minutes(meeting=first)
    )
    return {"first": first, "second": second, "minutes": minutes}


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("who", [None, "outsider", "observer"])
def test_public_register_shows_part2_only_as_summary(client, km, recorded, who):
    user = km.users[who] if who else None
    url = reverse("record:decisions", args=[km.committee.slug])
    page = _get(client, user, url).content.decode()
    assert "Award the home care contract." in page and "Agreed a purchase." in page
    assert SECRET_DECISION not in page and "Riverside site acquisition" not in page
    # Searching for the confidential words finds nothing (a hit would leak them).
    page = _get(client, user, url + "?q=PART2-DECISION").content.decode()
    assert "No decisions match" in page
    page = _get(client, user, url + "?part=2").content.decode()
    assert "Agreed a purchase." in page and "home care" not in page


def test_members_see_part2_decisions_in_full(client, km, recorded):
    url = reverse("record:decisions", args=[km.committee.slug]) + "?q=PART2-DECISION"
    assert SECRET_DECISION in _get(client, km.users["kcc_exec1"], url).content.decode()


def test_register_costs_fixed_queries(client, km, recorded, django_assert_max_num_queries):
    url = reverse("record:decisions", args=[km.committee.slug])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    item = business_item(recorded["second"], "Winter plan")
    for n in range(8):
        record.record_decision(item=item, text=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", [None, "outsider", "observer"])
def test_part2_minutes_never_reach_the_public(client, km, recorded, who):
    user = km.users[who] if who else None
    first, minutes = recorded["first"], recorded["minutes"]
    url = reverse("record:minutes", args=[km.committee.slug, first.pk])
    assert _get(client, user, url).status_code == 404  # circulated draft: members only
    second_item = recorded["second"].agenda.items.get(standard_key="minutes")
    minutes = minutes_services.publish_minutes(
        minutes=minutes_services.approve_minutes(minutes=minutes, at_item=second_item)
    )
    response = _get(client, user, url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "to award the home care contract." in page and "Agreed a purchase." in page
    assert SECRET_MINUTES not in page and SECRET_DECISION not in page
    build_minutes_document(minutes.pk, "members")
    build_minutes_document(minutes.pk, "public")
    members_pdf = reverse("record:minutes_pdf", args=[km.committee.slug, first.pk, 1, "members"])
    assert _get(client, user, members_pdf).status_code == 404
    public_pdf = reverse("record:minutes_pdf", args=[km.committee.slug, first.pk, 1, "public"])
    response = _get(client, user, public_pdf)
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(_io(response)).pages)
    assert "home care contract" in text and "PART2" not in text


def _io(response):
    import io

    return io.BytesIO(b"".join(response.streaming_content))


def test_the_minutes_contents_show_each_items_number_once(client, km, recorded):
    # Seen in the demo: the contents were a numbered list, so its lines read "6. 1. Welcome,
    # introductions and apologies for absence", "7. 2. Declarations of interest", ...
    url = reverse("record:minutes", args=[km.committee.slug, recorded["first"].pk])
    page = _get(client, km.users["participant"], url).content.decode()
    contents = page.split('id="contents-heading"', 1)[1].split("</nav>", 1)[0]
    assert "<ol" not in contents and "govuk-list--number" not in contents
    assert ">1. " in contents and ">Present<" in contents


def test_members_read_circulated_draft_with_part2_and_a_draft_pdf(client, km, recorded):
    first, minutes = recorded["first"], recorded["minutes"]
    url = reverse("record:minutes", args=[km.committee.slug, first.pk])
    page = _get(client, km.users["participant"], url).content.decode()
    assert SECRET_MINUTES in page and "Draft: not yet approved" in page
    doc = build_minutes_document(minutes.pk, "members")
    assert doc.draft and (minutes_dir() / doc.storage_name).exists()
    text = "".join(p.extract_text() for p in PdfReader(minutes_dir() / doc.storage_name).pages)
    assert SECRET_MINUTES in text and "Draft" in text
    # A rebuild of the same content reuses the file; nothing is overwritten.
    assert build_minutes_document(minutes.pk, "members").pk == doc.pk
    assert MinutesDocument.objects.count() == 1


def test_approved_pdf_has_no_draft_watermark_and_a_correction_gets_its_own_file(km, recorded):
    second_item = recorded["second"].agenda.items.get(standard_key="minutes")
    minutes = minutes_services.publish_minutes(
        minutes=minutes_services.approve_minutes(minutes=recorded["minutes"], at_item=second_item)
    )
    doc = build_minutes_document(minutes.pk, "public")
    assert not doc.draft
    v2 = minutes_services.correct_minutes(
        minutes=minutes, texts={"quorum": "Quorate."}, reason="Typo"
    )
    doc2 = build_minutes_document(v2.pk, "public")
    assert doc2.storage_name != doc.storage_name
    assert (minutes_dir() / doc.storage_name).exists() and (
        minutes_dir() / doc2.storage_name
    ).exists()
