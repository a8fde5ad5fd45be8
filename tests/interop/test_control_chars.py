"""Issue 16 point 6: control characters pasted from Word never break a page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from icp_secretariat.lib.clean_input import clean_text
from members.models import Interest
from tests.meetings.test_access import dispatch
from tests.members.test_interests_views import form_data


def test_atom_feed_survives_a_vertical_tab_already_stored(client, world):
    paper = world["pub_p1"]
    # Stored before the clean-up existed: written with .update(), past every save() hook.
    type(paper).objects.filter(pk=paper.pk).update(title="Budget\x0bupdate\x0c2026\x1b")
    dispatch(world["meeting"], world["people"])
    response = client.get(reverse("feeds:committee_atom", args=["test-jc"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "\x0b" not in body and "\x0c" not in body
    assert "Budget update 2026" in body


def test_clean_text_removes_control_characters_and_keeps_lines():
    assert clean_text("Budget\x0bupdate\x00", multiline=False) == "Budget update"
    assert clean_text("one\r\ntwo\tthree") == "one\ntwo\tthree"
    assert clean_text("a\u2028b\x7f\x85c") == "a\nb\nc"


def test_model_save_strips_control_characters(world):
    paper = world["pub_p1"]
    paper.title = "Vertical\x0btab"
    paper.save()
    paper.refresh_from_db()
    assert paper.title == "Vertical tab"


def test_model_save_strips_control_characters_inside_json_fields(world):
    """A minutes' sections are JSON: a NUL pasted into one reached PostgreSQL (which refuses
    it: a 500) past the text fields' safety net."""
    from meetings.minutes import services as minutes_services

    minutes = minutes_services.generate_minutes(meeting=world["meeting"])
    minutes.sections[0]["text"] = "Members noted\x00 the\x0breport."
    minutes.save(update_fields=["sections"])
    minutes.refresh_from_db()
    assert minutes.sections[0]["text"] == "Members noted the\nreport."


@pytest.mark.django_db
def test_a_form_strips_control_characters_on_the_way_in(client, personas):
    client.force_login(personas["member"])
    response = client.post(
        reverse("portal:interests_declare"),
        form_data(involved="Kent\x0bHospice\x00", description="Trustee\x0bsince 2020\x07"),
    )
    assert response.status_code == 302
    entry = Interest.objects.get(person__user=personas["member"])
    assert entry.involved == "Kent Hospice"
    assert entry.description == "Trustee\nsince 2020"


def test_calendars_drop_control_characters_already_stored(client, world):
    meeting = world["meeting"]
    type(meeting).objects.filter(pk=meeting.pk).update(venue="Sessions\x0bHouse\x1b")
    response = client.get(reverse("feeds:committee_ics", args=["test-jc"]))
    assert response.status_code == 200
    assert b"\x0b" not in response.content and b"\x1b" not in response.content
    assert b"LOCATION:Sessions House" in response.content
