"""Embeds for partners' websites (issue 19, point 1): the embed pages may be framed by any site
(only they), show Part 1 only whoever is signed in, are cached like the public pages, and have
JSON Feed 1.1 twins; the secretariat's committee page offers the snippets."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from meetings.models import Decision, Part
from tests.meetings.conftest import SECRET_DESCRIPTION, SECRET_TITLE
from tests.meetings.test_access import dispatch, login, paper_url


def _decisions(world):
    meeting = world["meeting"]
    agenda = meeting.agenda
    p1 = agenda.items.get(standard_key="minutes")
    p2 = agenda.items.get(part=Part.PRIVATE)
    common = {"meeting": meeting, "committee": meeting.committee, "year": 2030}
    Decision.objects.create(
        item=p1, sequence=1, number="TJC/2030/01", text="PUBLIC-DECISION-TEXT", **common
    )
    Decision.objects.create(
        item=p2,
        sequence=2,
        number="TJC/2030/02",
        part=Part.PRIVATE,
        text="SECRET-DECISION-TEXT",
        public_summary="A property matter was decided.",
        **common,
    )


@pytest.mark.parametrize("who", ["anonymous", "member", "secretariat"])
def test_agenda_embed_shows_part1_only_whoever_is_signed_in(client, world, who):
    meeting = world["meeting"]
    dispatch(meeting, world["people"])
    login(client, world["people"], who)
    response = client.get(reverse("embed:agenda", args=["test-jc", meeting.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert paper_url(world["pub_p1"]) in body
    assert paper_url(world["pub_p2"]) not in body
    assert SECRET_TITLE not in body and "Valuation report" not in body
    assert "1 item taken in private is not shown here" in body
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "script-src 'self'" in csp


def test_only_the_embed_routes_may_be_framed(client, world):
    meeting = world["meeting"]
    dispatch(meeting, world["people"])
    page = client.get(meeting.get_absolute_url())
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors" not in page.get("Content-Security-Policy", "")
    for name, args in (
        ("embed:meetings", ["test-jc"]),
        ("embed:decisions", ["test-jc"]),
        ("embed:agenda", ["test-jc", meeting.pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200 and "X-Frame-Options" not in response
        # cached like the public pages: the second visit revalidates to 304
        again = client.get(reverse(name, args=args), HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert "X-Frame-Options" not in again


def test_an_undispatched_or_private_agenda_is_not_shown(client, world):
    body = client.get(reverse("embed:agenda", args=["test-jc", world["meeting"].pk])).content
    assert b"not published yet" in body and b"Minutes" not in body
    dispatch(world["private"], world["people"])
    body = client.get(reverse("embed:agenda", args=["test-jc", world["private"].pk])).content
    assert b"held in private" in body and SECRET_TITLE.encode() not in body
    assert (
        client.get(reverse("embed:agenda", args=["other", world["meeting"].pk])).status_code == 404
    )


def test_upcoming_meetings_embed_and_feed(client, world):
    dispatch(world["meeting"], world["people"])
    body = client.get(reverse("embed:meetings", args=["test-jc"])).content.decode()
    assert "Tuesday 4 June 2030" in body and "Held in private." in body
    response = client.get(reverse("embed:meetings_feed", args=["test-jc"]))
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"].endswith(reverse("embed:meetings_feed", args=["test-jc"]))
    assert len(feed["items"]) == 2
    assert all({"id", "url", "title", "date_published"} <= set(i) for i in feed["items"])


def test_agenda_feed_attaches_public_papers_only(client, world):
    meeting = world["meeting"]
    dispatch(meeting, world["people"])
    feed = json.loads(
        client.get(reverse("embed:agenda_feed", args=["test-jc", meeting.pk])).content
    )
    text = json.dumps(feed)
    assert paper_url(world["pub_p1"]) in text
    assert paper_url(world["pub_p2"]) not in text
    assert SECRET_TITLE not in text and SECRET_DESCRIPTION not in text
    (item,) = [i for i in feed["items"] if i.get("attachments")]
    assert item["attachments"][0]["mime_type"] == "application/pdf"


def test_decisions_embed_and_feed_show_part1_decisions_only(client, world):
    dispatch(world["meeting"], world["people"])
    _decisions(world)
    login(client, world["people"], "member")  # entitled to Part 2, but an embed is public
    for name in ("embed:decisions", "embed:decisions_feed"):
        body = client.get(reverse(name, args=["test-jc"])).content.decode()
        assert "PUBLIC-DECISION-TEXT" in body and "TJC/2030/01" in body
        assert "SECRET-DECISION-TEXT" not in body and "TJC/2030/02" not in body


def test_secretariat_committee_page_offers_the_snippets(client, world):
    login(client, world["people"], "secretariat")
    committee_page = client.get(reverse("secretariat:committee", args=["test-jc"])).content.decode()
    url = reverse("embed:snippets", args=["test-jc"])
    assert url in committee_page
    body = client.get(url).content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/committees/test-jc/meetings/" in body
    assert "data-icp-embed" in body and "postMessage" not in body  # the host listens only
    assert "&lt;p&gt;&lt;a href=&quot;http://testserver/committees/test-jc/meetings/" in body
    assert reverse("embed:agenda", args=["test-jc", world["meeting"].pk]) in body
    login(client, world["people"], "member")
    assert client.get(url).status_code == 404


def test_embed_pages_cost_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    from django.core.cache import cache

    from meetings.agenda import services

    meeting = world["meeting"]
    for n in range(6):  # more Part 1 items do not cost more queries
        services.add_item(agenda=meeting.agenda, by=None, title=f"Extra {n}")
    dispatch(meeting, world["people"])
    _decisions(world)
    for name, args in (
        ("embed:agenda", ["test-jc", meeting.pk]),
        ("embed:meetings", ["test-jc"]),
        ("embed:decisions", ["test-jc"]),
        ("embed:agenda_feed", ["test-jc", meeting.pk]),
    ):
        cache.clear()
        with django_assert_max_num_queries(8):
            assert client.get(reverse(name, args=args)).status_code == 200
