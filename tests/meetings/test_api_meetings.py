"""The API serves meetings, items and papers through the same access rules as the pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from meetings import access
from meetings.models import Paper
from tests.meetings.test_access import (
    ENTITLED_PART2,
    EVERYONE,
    SECRET_DESCRIPTION,
    SECRET_TITLE,
    dispatch,
    login,
)


def get(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, resp.content[:300]
    return resp.json()


def results(data):
    return data["results"] if isinstance(data, dict) and "results" in data else data


def test_anonymous_sees_nothing_of_agendas_before_dispatch(client, world):
    assert results(get(client, "/api/v1/agenda-items/")) == []
    assert results(get(client, "/api/v1/papers/")) == []
    meetings = results(get(client, "/api/v1/meetings/"))
    assert {m["id"] for m in meetings} == {world["meeting"].pk, world["private"].pk}


def test_anonymous_sees_part1_and_only_the_public_line_of_part2(client, world):
    dispatch(world["meeting"], world["people"])
    dispatch(world["private"], world["people"])
    raw = client.get("/api/v1/agenda-items/?limit=100").content.decode()
    assert SECRET_TITLE not in raw
    items = results(json.loads(raw))
    assert {i["meeting"] for i in items} == {world["meeting"].pk}  # nothing of the private one
    p2 = [i for i in items if i["part"] == 2]
    assert p2 and all(i["redacted"] and i["public_description"] == SECRET_DESCRIPTION for i in p2)
    assert all("title" not in i for i in p2)
    assert p2[0]["ground"].startswith("7.1.2")
    papers = results(get(client, "/api/v1/papers/"))
    assert [p["id"] for p in papers] == [str(world["pub_p1"].public_id)]
    assert client.get(f"/api/v1/papers/{world['pub_p2'].public_id}/").status_code == 404
    assert "PART2" not in client.get("/api/v1/papers/").content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_api_papers_match_paper_visible_to_for_every_persona(client, world, who):
    people = world["people"]
    dispatch(world["meeting"], people)
    login(client, people, who)
    got = {p["id"] for p in results(get(client, "/api/v1/papers/?limit=100"))}
    user = people[who] or AnonymousUser()
    expected = {str(p.public_id) for p in Paper.objects.all() if access.paper_visible_to(user, p)}
    assert got == expected
    raw = client.get("/api/v1/agenda-items/?limit=100").content.decode()
    assert (SECRET_TITLE in raw) == (who in ENTITLED_PART2)
