"""Issue 16.12: Atom author, each sitemap URL once, VirtualLocation for an online-only meeting,
`Cache-Control: private` for signed-in readers (member pages, API answers with Part 2 text), a
Content-Security-Policy without inline script and a Permissions-Policy on every page."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.meetings.conftest import SECRET_TITLE
from tests.meetings.test_access import dispatch, login

ATOM = "{http://www.w3.org/2005/Atom}"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_atom_feed_names_its_author(client, world):
    dispatch(world["meeting"], world["people"])
    feed = ET.fromstring(client.get(reverse("feeds:committee_atom", args=["test-jc"])).content)
    author = feed.find(f"{ATOM}author")
    assert author is not None
    assert author.find(f"{ATOM}name").text == "Test Joint Committee secretariat"


def test_the_sitemap_lists_each_url_once(client, world):
    dispatch(world["meeting"], world["people"])
    index = client.get("/sitemap.xml").content.decode()
    locations = []
    for url in re.findall(r"<loc>([^<]+)</loc>", index):
        path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
        locations += re.findall(r"<loc>([^<]+)</loc>", client.get(path).content.decode())
    repeated = [url for url, n in Counter(locations).items() if n > 1]
    assert repeated == []
    assert any(world["meeting"].get_absolute_url() in url for url in locations)
    assert not any("#" in url for url in locations)


def _json_ld(client, meeting) -> dict:
    body = client.get(meeting.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body).group(1)
    return json.loads(block)


def test_an_online_only_meeting_has_a_virtual_location(client, world):
    meeting = world["meeting"]
    meeting.venue = ""
    meeting.online_link = "https://teams.example.org/join/secret"
    meeting.save()
    data = _json_ld(client, meeting)
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["location"]["url"].endswith(meeting.get_absolute_url())
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    # The members' joining link is not public.
    assert "teams.example.org" not in json.dumps(data)


def test_member_pages_and_part2_api_answers_are_private(client, world):
    people = world["people"]
    dispatch(world["meeting"], people)
    login(client, people, "member")
    for url in (reverse("portal:home"), world["meeting"].get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    api = client.get("/api/v1/agenda-items/?limit=100")
    assert SECRET_TITLE in api.content.decode()  # a member reads Part 2 through the API
    assert "private" in api["Cache-Control"]
    assert "Cookie" in api["Vary"]


def test_csp_and_permissions_policy_on_pages(client, world):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["worker-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_templates_have_no_inline_script_and_only_data_hx_attributes():
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "embed_example.html":  # a partner's page, allowed by hashes
            continue
        text = path.read_text()
        inline = [
            tag
            for tag in re.findall(r"<script\b[^>]*>", text)
            if "src=" not in tag and "application/ld+json" not in tag
        ]
        assert inline == [], path
        assert not re.search(r"(?<![\w-])hx-[a-z-]+=", text), path
