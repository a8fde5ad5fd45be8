"""Take-down (issue 16): a Part 1 paper published by mistake is removed from view with a reason.

The file is kept for the secretariat; the page says "removed on [date]: [reason]"; the paper
leaves the page, the API, the feed and search; new packs are built without it and the old pack
versions that contained it are no longer served. Minutes versions and decision notices too."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Minutes, TakeDown
from tests.conftest import PASSWORD
from tests.documents.conftest import PUBLIC_PHRASE, pdf_text
from tests.documents.test_build import doc, file_url, read, run_queued

pytestmark = pytest.mark.django_db
REASON = "It contained a resident's personal data"


def _url(meeting) -> str:
    return reverse("documents:take_down", args=[meeting.pk])


def _today() -> str:
    day = timezone.localdate()
    return f"{day.day} {day:%B %Y}"


def test_only_the_committees_secretariat_gets_the_take_down_screen(world, client):
    meeting, people = world["meeting"], world["people"]
    assert client.get(_url(meeting)).status_code == 302  # anonymous: sign in
    for who in ("chair", "member"):
        client.login(username=people[who].username, password=PASSWORD)
        assert client.get(_url(meeting)).status_code == 404
        assert client.post(_url(meeting), {"target": "x", "confirm": "yes"}).status_code == 404
    assert not TakeDown.objects.exists()


def test_a_paper_taken_down_leaves_every_channel_and_old_packs(world, client):
    meeting, people = world["meeting"], world["people"]
    finance = world["finance"]
    run_queued(meeting)
    v1_public = doc(meeting, "pack", "public")
    v1_members = doc(meeting, "pack", "members")
    assert PUBLIC_PHRASE in "\n".join(pdf_text(read(v1_public)))
    paper_url = reverse("meetings_public:paper", args=[finance.public_id])
    slug = meeting.committee.slug
    assert client.get(paper_url).status_code == 200
    assert "Finance report" in client.get(f"/committees/{slug}/feed/").content.decode()

    sec = client
    sec.login(username=people["secretariat"].username, password=PASSWORD)
    assert _url(meeting) in sec.get(meeting.get_secretariat_url()).content.decode()
    page = sec.get(_url(meeting))
    assert page.status_code == 200 and "Finance report" in page.content.decode()
    # No reason: a message, nothing done.
    response = sec.post(_url(meeting), {"target": f"paper-{finance.pk}", "public_reason": " "})
    assert "Enter the reason readers will see" in response.content.decode()
    # The check before confirming says what goes and what readers will see; nothing done yet.
    data = {"target": f"paper-{finance.pk}", "public_reason": REASON, "note": "Wrong file"}
    check = sec.post(_url(meeting), data).content.decode()
    assert "Check before taking down" in check
    assert f"Removed on {_today()}: {REASON}".replace("'", "&#x27;") in check
    assert "Agenda pack (public), version 1" in check
    finance.refresh_from_db()
    assert finance.taken_down_at is None and not TakeDown.objects.exists()

    response = sec.post(_url(meeting), {**data, "confirm": "yes"})
    assert response.status_code == 302
    log = TakeDown.objects.get()
    assert (log.paper, log.taken_down_by, log.note) == (
        finance,
        people["secretariat"],
        "Wrong file",
    )
    # The file is kept for the secretariat.
    assert sec.get(paper_url).status_code == 200
    sec.logout()

    # Everyone else: not the paper, not the old packs that held it.
    member = people["member"]
    for user in (None, member):
        if user:
            client.login(username=user.username, password=PASSWORD)
        # Signed out: asked to sign in first (302 to the sign-in page); signed in: 404.
        for url in (paper_url, file_url(v1_public), file_url(v1_members)):
            response = client.get(url)
            if user:
                assert response.status_code == 404, url
            else:
                assert response.status_code == 302, url
                assert response["Location"].startswith("/accounts/login/?next="), url
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert paper_url not in page
        assert f"“Finance report” removed on {_today()}: {REASON}".replace("'", "&#x27;") in page
        api = client.get(f"/api/v1/meetings/{meeting.pk}/").content.decode()
        assert str(finance.public_id) not in api
        client.logout()
    assert "Finance report" not in client.get(f"/committees/{slug}/feed/").content.decode()
    assert paper_url not in client.get("/search/", {"q": "Finance report"}).content.decode()

    # New packs are built without it, and served.
    run_queued(meeting)
    v2_public = doc(meeting, "pack", "public")
    assert v2_public.version == 2 and finance.pk not in v2_public.paper_ids
    assert PUBLIC_PHRASE not in "\n".join(pdf_text(read(v2_public)))
    assert client.get(file_url(v2_public)).status_code == 200
    # Not offered again.
    sec.login(username=people["secretariat"].username, password=PASSWORD)
    again = sec.post(_url(meeting), {**data, "confirm": "yes"})
    assert TakeDown.objects.count() == 1 and again.status_code == 200


def test_a_minutes_version_and_a_decision_notice_are_taken_down(world, client):
    meeting, people = world["meeting"], world["people"]
    item = world["items"]["business"]
    minutes = Minutes.objects.create(
        meeting=meeting,
        state=Minutes.State.PUBLISHED,
        published_at=timezone.now(),
        sections=[{"key": "x", "heading": "Minutes", "part": 1, "text": "NAMED-RESIDENT-TEXT"}],
    )
    decision = Decision.objects.create(
        item=item,
        meeting=meeting,
        committee=meeting.committee,
        year=meeting.date.year,
        sequence=1,
        number="TEST/1",
        text="Agreed the DECISION-PERSONAL-TEXT",
    )
    slug = meeting.committee.slug
    notice = reverse("record:decision_notice", args=[slug, decision.pk])
    minutes_page = reverse("record:minutes", args=[slug, meeting.pk])
    assert client.get(notice).status_code == 200
    assert "NAMED-RESIDENT-TEXT" in client.get(minutes_page).content.decode()

    client.login(username=people["secretariat"].username, password=PASSWORD)
    for key in (f"minutes-{minutes.pk}", f"decision-{decision.pk}"):
        data = {"target": key, "public_reason": "Named a resident", "confirm": "yes"}
        assert client.post(_url(meeting), data).status_code == 302
    assert client.get(notice).status_code == 200  # the secretariat still has them
    client.logout()

    assert client.get(notice).status_code == 404
    assert "NAMED-RESIDENT-TEXT" not in client.get(minutes_page).content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "DECISION-PERSONAL-TEXT" not in page
    assert f"Minutes, version 1: removed on {_today()}: Named a resident" in page
    assert f"Decision notice TEST/1: removed on {_today()}: Named a resident" in page
    register = client.get(reverse("record:decisions", args=[slug])).content.decode()
    assert "DECISION-PERSONAL-TEXT" not in register
    feed = client.get(f"/committees/{slug}/feed/").content.decode()
    assert "DECISION-PERSONAL-TEXT" not in feed and "TEST/1" not in feed
