"""Attendance per member per year, public for the meetings held in public (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Attendance, Meeting
from members.models import Person

pytestmark = pytest.mark.django_db
YEAR = 2025


def meeting(committee, month, *, public=True):
    return Meeting.objects.create(
        committee=committee,
        date=dt.date(YEAR, month, 10),
        start_time=dt.time(14, 0),
        is_public=public,
    )


def mark(m, user, status, capacity="member", **extra):
    person = Person.objects.get(user=user)
    return Attendance.objects.create(
        meeting=m, person=person, capacity=capacity, status=status, **extra
    )


@pytest.fixture
def year(committee, personas):
    first, second, private = (
        meeting(committee, 3),
        meeting(committee, 6),
        meeting(committee, 9, public=False),
    )
    mark(first, personas["chair"], "present")
    mark(second, personas["chair"], "present")
    mark(first, personas["member"], "present")
    mark(second, personas["member"], "apologies")
    mark(first, personas["participant"], "remote", capacity="participant")
    mark(private, personas["member"], "present")  # held in private: not published
    return {"first": first, "second": second, "private": private}


def rows_of(html: str) -> dict[str, str]:
    import re

    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and "Persona" in cells[0]:
            rows[cells[0].split()[0]] = " | ".join(cells[2:])
    return rows


def test_each_member_attendance_at_the_meetings_held_in_public(client, committee, year):
    url = reverse("public:attendance", args=[committee.slug, YEAR])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    rows = rows_of(html)
    assert rows["Chair"] == "2 | 2 | 0 | 0 | 100%"
    assert rows["Member"] == "2 | 1 | 1 | 0 | 50%"
    assert rows["Participant"] == "2 | 1 (1 remotely) | 0 | 1 | 50%"
    assert "Observer" not in rows  # observers are not members
    assert "10 September" not in html  # the private meeting is not listed or counted
    assert "Meetings counted (2)" in html


def test_the_committee_page_links_to_this_years_attendance(client, committee, year):
    from django.utils import timezone

    page = client.get(committee.get_absolute_url()).content.decode()
    this_year = reverse("public:attendance", args=[committee.slug, timezone.localdate().year])
    assert f'href="{this_year}"' in page
    assert client.get(this_year).status_code == 200
    # The year list links to the year with meetings.
    assert (
        f'href="{reverse("public:attendance", args=[committee.slug, YEAR])}"'
        in client.get(this_year).content.decode()
    )
    assert client.get(f"/committees/{committee.slug}/attendance/1066/").status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_record(client, committee, personas, year):
    url = reverse("public:attendance", args=[committee.slug, YEAR])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for month in (1, 2, 4, 5, 7, 8):
        m = meeting(committee, month)
        for who in ("chair", "member", "participant"):
            mark(m, personas[who], "present")
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert "Meetings counted (8)" in html
    assert len(large.captured_queries) == len(small.captured_queries)
