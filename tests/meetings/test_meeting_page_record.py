"""The meeting page shows the meeting's minutes (page and PDF) and its decisions as each reader
may see them: Part 2 decisions as their public summary to the public, in full to members; the
page's cost does not grow with the number of decisions or minutes versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.conduct import services as record
from meetings.minutes import services as minutes_services
from meetings.minutes.tasks import build_minutes_document
from meetings.models import Minutes
from tests.meetings.record_published import (  # noqa: F401
    PERSONAS,
    SECRET_DECISION,
    SECRET_MINUTES,
    _published_world,
    km_fixture,
    published_fixture,
)
from tests.meetings.record_world import business_item

ENTITLED = {"secretariat", "admin", "kcc_leader", "kcc_exec1", "participant"}


def _page(client, km, who, meeting):
    client.logout()
    if who != "anonymous":
        client.force_login(km.users[who])
    if who in ("kcc_exec1", "kcc_leader", "participant"):
        url = reverse("portal_meetings:meeting", args=[meeting.pk])
    else:
        url = meeting.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", PERSONAS)
def test_meeting_page_shows_minutes_and_decisions_as_entitled(client, km, published, who):
    minutes = published["minutes"]
    for audience in ("public", "members"):
        build_minutes_document(minutes.pk, audience)
    page = _page(client, km, who, published["first"])
    slug = km.committee.slug
    assert reverse("record:minutes", args=[slug, published["first"].pk]) in page
    entitled = who in ENTITLED
    audience = "members" if entitled else "public"
    pdf = reverse("record:minutes_pdf", args=[slug, published["first"].pk, 1, audience])
    assert pdf in page
    other = "public" if entitled else "members"
    assert reverse("record:minutes_pdf", args=[slug, published["first"].pk, 1, other]) not in page
    assert "Award the harbour care contract." in page
    assert "Agreed a harbour purchase." in page or entitled
    assert (SECRET_DECISION in page) == entitled
    assert SECRET_MINUTES not in page  # the minutes text itself is on the minutes page
    # The PDF link works for this reader.
    response = client.get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", PERSONAS)
def test_draft_minutes_show_only_to_who_may_read_them(client, km, published, who):
    page = _page(client, km, who, published["draft"].meeting)
    url = reverse("record:minutes", args=[km.committee.slug, published["draft"].meeting_id])
    assert (url in page) == (who in {"secretariat", "admin", "kcc_leader"})
    page = _page(client, km, who, published["circulated"].meeting)
    url = reverse("record:minutes", args=[km.committee.slug, published["circulated"].meeting_id])
    assert (url in page) == (who in ENTITLED)


def test_meeting_page_cost_is_fixed_with_more_decisions_and_versions(
    client, km, published, django_assert_max_num_queries
):
    meeting = published["first"]
    for who in ("anonymous", "kcc_exec1"):
        client.logout()
        if who != "anonymous":
            client.force_login(km.users[who])
        url = (
            meeting.get_absolute_url()
            if who == "anonymous"
            else reverse("portal_meetings:meeting", args=[meeting.pk])
        )
        from django.core.cache import cache

        cache.clear()  # count the rendering, not a cached copy
        client.get(url)
        cache.clear()
        with django_assert_max_num_queries(40) as before:
            client.get(url)
        item = business_item(meeting)
        for n in range(5):
            record.record_decision(item=item, text=f"Further harbour decision {n}.")
        current = Minutes.objects.get(meeting=meeting, is_current=True)
        minutes_services.correct_minutes(
            minutes=current, texts={"quorum": f"Quorate ({who})."}, reason="Corrected."
        )
        cache.clear()
        with django_assert_max_num_queries(len(before.captured_queries)):
            page = client.get(url).content.decode()
        assert "Further harbour decision 4." in page and "Corrected." in page
