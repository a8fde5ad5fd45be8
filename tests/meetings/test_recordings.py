"""Recordings (issue 19, point 4): a meeting's recording or live stream, each Part 1 item's start
in it, and the links from the public meeting page and the minutes (HTML and PDF) to that moment."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from icp_secretariat.lib.pdf import render_minutes_pdf
from icp_secretariat.lib.recordings import parse_timestamp, url_at
from meetings.conduct.recording import set_recording
from meetings.errors import ConductError
from meetings.minutes.tasks import minutes_document
from meetings.models import Minutes, Part
from tests.meetings.test_access import dispatch, login

YOUTUBE = "https://www.youtube.com/watch?v=abc123"


def test_each_provider_gets_its_own_way_of_starting_at_a_time():
    assert url_at(YOUTUBE, 754) == "https://www.youtube.com/watch?v=abc123&t=754s"
    assert url_at("https://youtu.be/abc123?t=5", 60) == "https://youtu.be/abc123?t=60s"
    assert url_at("https://vimeo.com/12345", 90) == "https://vimeo.com/12345#t=90s"
    assert (
        url_at("https://media.example.org/icp.mp4", 30) == "https://media.example.org/icp.mp4#t=30"
    )
    assert url_at(YOUTUBE, None) == YOUTUBE
    assert parse_timestamp("0:12:34") == 754
    assert parse_timestamp("12:34") == 754
    assert parse_timestamp("") is None
    with pytest.raises(ValueError):
        parse_timestamp("1:75")
    assert parse_timestamp("99:59:59") == 359_999
    # Not a time, or later than any recording (and than the database's integers): a message.
    for odd, says in (
        ("1:\u00b2", "is not a time"),
        ("99999999999999999999", "later than any recording"),
        ("100:00:00", "later than any recording"),
    ):
        with pytest.raises(ValueError, match=says):
            parse_timestamp(odd)


def _items(world):
    agenda = world["meeting"].agenda
    return agenda.items.get(standard_key="minutes"), agenda.items.get(part=Part.PRIVATE)


def test_secretariat_saves_the_recording_and_an_http_link_is_refused_with_a_message(client, world):
    meeting, people = world["meeting"], world["people"]
    item1, item2 = _items(world)
    login(client, people, "secretariat")
    url = reverse("record:recording", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert f"start_{item1.pk}" in page and f"start_{item2.pk}" not in page  # Part 1 only
    bad = client.post(url, {"url": "http://www.youtube.com/watch?v=abc", f"start_{item1.pk}": ""})
    assert bad.status_code == 200
    assert "starting with https://" in bad.content.decode()
    bad_time = client.post(url, {"url": YOUTUBE, f"start_{item1.pk}": "1:99"})
    assert "minutes and seconds go up to 59" in bad_time.content.decode()
    meeting.refresh_from_db()
    assert meeting.webcast_link == ""
    ok = client.post(url, {"url": YOUTUBE, f"start_{item1.pk}": "0:12:34"})
    assert ok.status_code == 302
    item1.refresh_from_db()
    assert item1.recording_start == 754
    login(client, people, "member")
    assert client.get(url).status_code == 404


def test_a_part2_item_never_gets_a_moment(world):
    meeting = world["meeting"]
    item1, item2 = _items(world)
    with pytest.raises(ConductError, match="Part 2"):
        set_recording(meeting=meeting, url=YOUTUBE, starts={item2.pk: 60})
    # even one set behind the service's back is not linked
    item2.recording_start = 60
    item2.save()
    set_recording(meeting=meeting, url=YOUTUBE, starts={item1.pk: 754})
    dispatch(meeting, world["people"])
    page = reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk])
    for who in ("anonymous", "member", "secretariat"):
        c = Client()
        if world["people"][who] is not None:
            c.force_login(world["people"][who])
        body = c.get(page).content.decode()
        assert "t=754s" in body
        assert "t=60s" not in body


def test_public_page_and_minutes_link_each_item_to_its_moment(client, world):
    meeting, people = world["meeting"], world["people"]
    item1, item2 = _items(world)
    set_recording(meeting=meeting, url=YOUTUBE, starts={item1.pk: 754})
    dispatch(meeting, people)
    moment = "https://www.youtube.com/watch?v=abc123&amp;t=754s"
    page = client.get(reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk]))
    assert moment in page.content.decode()
    minutes = Minutes.objects.create(
        meeting=meeting,
        state=Minutes.State.PUBLISHED,
        sections=[
            {"key": f"item-{item1.pk}", "heading": "2. Minutes", "part": 1, "text": "Agreed."},
            {"key": f"item-{item2.pk}", "heading": "9. Secret", "part": 2, "text": "Private."},
        ],
    )
    html = client.get(reverse("record:minutes", args=[meeting.committee.slug, meeting.pk]))
    assert html.status_code == 200
    assert moment in html.content.decode()
    for audience in ("public", "members"):
        doc = minutes_document(minutes, audience)
        linked = [s for s in doc.sections if "t=754s" in s.html]
        assert [s.heading for s in linked] == ["2. Minutes"]
    # the PDF itself carries the link
    pdf = PdfReader(io.BytesIO(render_minutes_pdf(minutes_document(minutes, "public"))))
    uris = [
        a.get_object()["/A"].get("/URI")
        for p in pdf.pages
        for a in p.get("/Annots") or []
        if "/A" in a.get_object()
    ]
    assert "https://www.youtube.com/watch?v=abc123&t=754s" in uris
