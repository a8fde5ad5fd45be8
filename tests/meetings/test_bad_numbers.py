"""A number in a query string or a form that is not one (a "²", which `str.isdigit()` accepts
and `int()` refuses) or is past what the database's integers hold is answered as any other
value that names nothing: never a 500.

Found by sending odd values to every page of the demo: `?year=²` on the decisions register and
the meetings list, `?meeting=²` on the register and the API, `?version=²` on the minutes page
were 500s; on SQLite (the demo) so was `?meeting=99999999999999999999` on the register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings.conduct import services as record
from meetings.minutes import services as minutes_services
from meetings.models import Attendance, Decision
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
)

SUPERSCRIPT_TWO = "\u00b2"  # "²".isdigit() is True; int("²") raises ValueError
ARABIC_ONE = "\u0661"  # "١": a digit int() reads as 1, though no one typed 1
HUGE = "99999999999999999999"  # past a 64-bit integer


@pytest.fixture
def held(km, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    meeting = meeting_with_agenda(km, dt.date(2026, 3, 10))
    mark_present(km, meeting, QUORATE_NINE)
    record.record_decision(item=business_item(meeting), text="Award the home care contract.")
    minutes_services.circulate_minutes(minutes=minutes_services.generate_minutes(meeting=meeting))
    return meeting


@pytest.mark.parametrize("odd", [SUPERSCRIPT_TWO, ARABIC_ONE, HUGE, "-1", " 1"])
def test_odd_numbers_on_public_pages_are_answered_as_a_word_would_be(client, km, held, odd):
    slug = km.committee.slug
    pages = [
        (reverse("record:decisions", args=[slug]), "year"),
        (reverse("record:decisions", args=[slug]), "meeting"),
        (reverse("public:meetings", args=[slug]), "year"),
        (reverse("record:minutes", args=[slug, held.pk]), "version"),
    ]
    for url, name in pages:
        as_word = client.get(url, {name: "abc"})
        odd_response = client.get(url, {name: odd})
        assert odd_response.status_code == as_word.status_code, (url, name, odd)
    # The register ignores a filter that names no year or meeting, as it does a word: every
    # decision is listed.
    page = client.get(reverse("record:decisions", args=[slug]), {"meeting": odd}).text
    assert "Award the home care contract." in page


@pytest.mark.parametrize("endpoint", ["agendaitem-list", "paper-list", "keymessages-list"])
def test_the_api_refuses_a_meeting_filter_that_is_not_a_whole_number(client, held, endpoint):
    url = reverse(endpoint)
    for odd in ("abc", SUPERSCRIPT_TWO, ARABIC_ONE, HUGE, "-1"):
        response = client.get(url, {"meeting": odd})
        assert response.status_code == 400, (odd, response.status_code)
        assert response.json() == {"meeting": ["Give a meeting's id: a whole number."]}
    assert client.get(url, {"meeting": str(held.pk)}).status_code == 200
    assert client.get(url, {"meeting": "999999"}).json()["results"] == []


def test_the_schema_documents_the_meeting_and_committee_filters(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    def params(path):
        return {p["name"]: p["schema"]["type"] for p in schema["paths"][path]["get"]["parameters"]}

    for path in ("/api/v1/agenda-items/", "/api/v1/papers/", "/api/v1/key-messages/"):
        assert params(path)["meeting"] == "integer", path
    assert params("/api/v1/meetings/")["committee"] == "string"
    assert params("/api/v1/key-messages/")["committee"] == "string"


def test_odd_person_numbers_in_the_secretariats_forms_are_no_one(client, km):
    meeting = meeting_with_agenda(km, dt.date(2026, 3, 10))
    client.force_login(km.users["secretariat"])
    # Attendance: a person field that is not a person's id is skipped; the others are saved.
    data = {"person": [SUPERSCRIPT_TWO, HUGE, *[km.p(k).pk for k in QUORATE_NINE]]}
    for k in QUORATE_NINE:
        data[f"status-{km.p(k).pk}"] = "present"
    response = client.post(reverse("record:attendance", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 9
    # A named vote: a vote field whose name is not a person's id is no one's vote.
    item = business_item(meeting)
    data = {"text": "Award.", "method": "vote", f"vote-{SUPERSCRIPT_TWO}": "for"}
    for k in QUORATE_NINE[:6]:
        data[f"vote-{km.p(k).pk}"] = "for"
    for k in QUORATE_NINE[6:]:
        data[f"vote-{km.p(k).pk}"] = "against"
    response = client.post(reverse("record:decide", args=[meeting.pk, item.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Decision.objects.filter(text="Award.", votes_for=6, votes_against=3).exists()
    # The same in the minute-taking mode.
    mode = reverse("record:mode_act", args=[meeting.pk, item.pk, "decision"])
    response = client.post(mode, {**data, "text": "Award again."})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Decision.objects.filter(text="Award again.", votes_for=6, votes_against=3).exists()
    # Recording an agreement given by email: an odd person is "no one chosen".
    for odd in (SUPERSCRIPT_TWO, HUGE):
        response = client.post(
            reverse("agenda:record_agreement", args=[meeting.pk]),
            {"person": odd, "version": "1"},
            follow=True,
        )
        assert response.status_code == 200
        assert "Choose who gave their agreement" in response.text


def test_a_choice_that_is_not_a_number_finds_nothing(client, km):
    """The forward plan's "Add to agenda" and the minutes' "approved at" post the key of what was
    chosen; a value that is not one is 404, as a key that names nothing is."""
    meeting = meeting_with_agenda(km, dt.date(2026, 3, 10))
    minutes_services.circulate_minutes(minutes=minutes_services.generate_minutes(meeting=meeting))
    client.force_login(km.users["secretariat"])
    for odd in ("abc", SUPERSCRIPT_TWO, HUGE):
        add = reverse("record:forward_plan_add", args=[meeting.pk])
        assert client.post(add, {"topic": odd}).status_code == 404, odd
        approve = reverse("record:minutes_action", args=[meeting.pk, "approve"])
        assert client.post(approve, {"at_item": odd}).status_code == 404, odd


def test_a_multiple_choice_refuses_a_key_past_the_databases_integers(km):
    """The Leadership Team's checkboxes (and every multiple choice of rows): a 20-digit key in
    place of a person's was a 500 on SQLite (the demo), inside Django's check of the choices,
    which could not bind the number. It is now "not a valid value", on every database."""
    from meetings.scheduling.forms import LeadershipAgreementForm
    from members.models import Person

    form = LeadershipAgreementForm({"agreed_by": [HUGE]})
    form.fields["agreed_by"].queryset = Person.objects.all()
    assert not form.is_valid()
    assert form.errors.as_data()["agreed_by"][0].code == "invalid_pk_value"
    assert f"“{HUGE}” is not a valid value." in form.errors["agreed_by"]
    person = km.p("kcc_leader")
    form = LeadershipAgreementForm({"agreed_by": [str(person.pk)], "agreed_on": "2026-03-01"})
    form.fields["agreed_by"].queryset = Person.objects.all()
    form.is_valid()
    assert "agreed_by" not in form.errors
    assert list(form.cleaned_data["agreed_by"]) == [person]
