"""NUL characters, which PostgreSQL's text cannot hold: in an address, a 400 page that says so;
in a posted form, taken out of the text, which is saved. Never a 500.

Found by sending odd values to every page and form of the demo on PostgreSQL:
`/search/?q=%00` and `?q=%00` on the decisions register were 500s (`DataError: PostgreSQL text
fields cannot contain NUL (0x00) bytes`), as was any filter or slug that reached the database
with one, and a minutes section or a reader's note holding one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.minutes import services as minutes_services
from meetings.models import Minutes
from tests.conftest import make_committee
from tests.meetings.record_world import km_fixture, meeting_with_agenda  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/search/?q=%00",
        "/search/?q=care%00plan",
        "/search/?q=care&committee=%00",
        "/committees/{slug}/decisions/?q=%00",
        "/committees/{slug}/meetings/?year=2026%00",
        "/committees/{slug}/interests/?as_of=%00",
    ],
)
def test_a_nul_in_the_query_is_a_400_page_that_says_so(client, address):
    committee = make_committee()
    response = client.get(address.format(slug=committee.slug))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Address not understood" in page and "character that is not text" in page


@pytest.mark.parametrize("address", ["/api/v1/meetings/?committee=%00", "/api/v1/papers/?q=x%00"])
def test_under_the_api_the_400_is_json(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert response.json() == {"detail": "The address holds a NUL character, which is not text."}


def test_the_same_addresses_without_the_nul_answer(client):
    committee = make_committee()
    assert client.get("/search/", {"q": "care plan"}).status_code == 200
    url = reverse("record:decisions", args=[committee.slug])
    assert client.get(url, {"q": "care"}).status_code == 200


def test_a_nul_in_a_posted_form_is_taken_out_and_the_text_saved(client, km):
    """The minutes editor saves its sections as posted, without a form: a section pasted with a
    NUL in it was a 500, and the secretariat's edit was lost."""
    import datetime as dt

    meeting = meeting_with_agenda(km, dt.date(2026, 3, 10))
    minutes = minutes_services.generate_minutes(meeting=meeting)
    key = minutes.sections[0]["key"]
    client.force_login(km.users["secretariat"])
    response = client.post(
        reverse("record:minutes_edit", args=[meeting.pk]),
        {f"section-{key}": "Members noted\x00 the report."},
    )
    assert response.status_code == 302
    saved = Minutes.objects.get(pk=minutes.pk).sections[0]["text"]
    assert saved == "Members noted the report."
