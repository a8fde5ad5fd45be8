"""The offline reader (issue 18), server side: who gets which pages and files to keep, the
cache token, sign-out clearing the browser, and the private notes with their sync.

The browser's part (service worker, caching, offline, notes written offline) is in
tests/browser/test_offline_reader.py."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import PaperDownload
from portal.models import Note
from tests.conftest import PASSWORD
from tests.meetings import reader_world
from tests.meetings.reader_world import PART1_PHRASE, PART2_PHRASE, PART2_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def _restored(db) -> dict:
    return reader_world.restored()


@pytest.fixture
def committee(_restored):
    return _restored["committee"]


@pytest.fixture
def personas(_restored) -> dict:
    return _restored["personas"]


@pytest.fixture
def rw(_restored) -> dict:
    return _restored["rw"]


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def sync(client, notes):
    return client.post(
        reverse("portal:reader_notes_sync"),
        data=json.dumps({"notes": notes}),
        content_type="application/json",
    )


def note(paper, body="My note", quote="", updated=None, **extra):
    return {
        "id": str(extra.pop("id", uuid.uuid4())),
        "paper": str(paper.public_id),
        "quote": quote,
        "prefix": "",
        "suffix": "",
        "body": body,
        "deleted": extra.pop("deleted", False),
        "updated_at": (updated or timezone.now()).isoformat(),
        **extra,
    }


def test_member_keeps_agenda_pack_and_every_paper_observer_only_part1(client, rw, personas):
    login(client, personas["member"])
    url = reverse("portal:reader_meeting_offline", args=[rw["meeting"].pk])
    resp = client.get(url)
    assert resp.status_code == 200
    data = resp.json()
    for paper in (rw["p1"], rw["p2"]):
        assert reverse("portal:reader_paper", args=[paper.public_id]) in data["urls"]
        assert reverse("meetings_public:paper", args=[paper.public_id]) in data["urls"]
    assert reverse("portal:reader_pack", args=[rw["meeting"].pk]) in data["urls"]
    assert any("pack-members" in u for u in data["urls"])
    assert resp["X-Reader-Token"]
    # Every address listed answers this member (what the browser will fetch to keep).
    from django.contrib.staticfiles import finders

    for u in data["urls"]:
        if u.startswith("/static/"):
            assert finders.find(u.removeprefix("/static/")), u
        else:
            assert client.get(u).status_code == 200, u
    pack_page = client.get(reverse("portal:reader_meeting", args=[rw["meeting"].pk])).text
    assert PART2_TITLE in pack_page
    assert "Keep for offline reading" in pack_page

    login(client, personas["observer"])
    data = client.get(url).json()
    assert reverse("portal:reader_paper", args=[rw["p2"].public_id]) not in data["urls"]
    assert reverse("meetings_public:paper", args=[rw["p2"].public_id]) not in data["urls"]
    assert not any("pack-members" in u for u in data["urls"])
    assert reverse("portal:reader_paper", args=[rw["p1"].public_id]) in data["urls"]
    page = client.get(reverse("portal:reader_meeting", args=[rw["meeting"].pk])).text
    assert PART2_TITLE not in page
    assert "A property transaction" in page
    assert client.get(reverse("portal:reader_paper", args=[rw["p2"].public_id])).status_code == 404
    assert (
        client.get(reverse("portal:reader_paper_pdf", args=[rw["p2"].public_id])).status_code == 404
    )


def test_reading_page_shows_the_papers_text_by_page(client, rw, personas):
    login(client, personas["member"])
    resp = client.get(reverse("portal:reader_paper", args=[rw["p2"].public_id]))
    assert resp.status_code == 200
    assert PART2_PHRASE in resp.text
    assert 'id="page-1"' in resp.text
    p1 = client.get(reverse("portal:reader_paper", args=[rw["p1"].public_id])).text
    assert 'id="page-2"' in p1 and "vaccination campaign" in p1
    assert PART1_PHRASE in p1


def test_revoked_access_answers_404_so_the_browser_drops_the_kept_copy(client, rw, personas):
    from members.models import Membership

    login(client, personas["member"])
    url = reverse("portal:reader_meeting_offline", args=[rw["meeting"].pk])
    part2 = [
        reverse("portal:reader_paper", args=[rw["p2"].public_id]),
        reverse("portal:reader_paper_pdf", args=[rw["p2"].public_id]),
        reverse("meetings_public:paper", args=[rw["p2"].public_id]),
    ]
    assert set(part2) <= set(client.get(url).json()["urls"])
    Membership.objects.filter(person__user=personas["member"]).update(
        end=timezone.localdate() - dt.timedelta(days=1)
    )
    # A public meeting: what the public may read stays listed, Part 2 is gone (the browser
    # deletes what is no longer listed); its pages answer 404.
    urls = client.get(url).json()["urls"]
    assert not set(part2) & set(urls)
    assert not any("pack-members" in u for u in urls)
    for u in part2:
        assert client.get(u).status_code == 404
    # A meeting held wholly in private: nothing to keep at all.
    rw["meeting"].is_public = False
    rw["meeting"].save()
    assert client.get(url).status_code == 404


def test_anonymous_gets_no_reader_and_no_token(client, rw):
    for url in (
        reverse("portal:reader"),
        reverse("portal:reader_meeting", args=[rw["meeting"].pk]),
        reverse("portal:reader_meeting_offline", args=[rw["meeting"].pk]),
        reverse("portal:reader_paper", args=[rw["p1"].public_id]),
    ):
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"], url
        assert "X-Reader-Token" not in resp


def test_token_differs_by_session_and_person_and_is_not_the_user_id(client, rw, personas):
    url = reverse("portal:reader")
    login(client, personas["member"])
    first = client.get(url)["X-Reader-Token"]
    assert client.get(url)["X-Reader-Token"] == first
    assert client.get(reverse("portal:home"))["X-Reader-Token"] == first
    login(client, personas["member"])
    again = client.get(url)["X-Reader-Token"]
    assert again != first
    login(client, personas["observer"])
    other = client.get(url)["X-Reader-Token"]
    assert other not in (first, again)
    assert str(personas["member"].pk) != first


def test_sign_out_asks_the_browser_to_clear_cache_and_storage(client, personas):
    login(client, personas["member"])
    resp = client.post(reverse("account_logout"))
    assert resp.status_code in (302, 303)
    assert resp["Clear-Site-Data"] == '"cache", "storage"'
    # Only sign-out: an ordinary page does not clear anything.
    login(client, personas["member"])
    assert "Clear-Site-Data" not in client.get(reverse("portal:home"))


def test_service_worker_and_manifest_are_served_for_the_my_scope(client):
    sw = client.get(reverse("portal:reader_sw"))
    assert sw.status_code == 200
    assert sw["Content-Type"].startswith("text/javascript")
    body = sw.content.decode()
    assert "skipWaiting" in body and "clients.claim" in body and "X-Reader-Token" in body
    manifest = client.get(reverse("portal:reader_manifest")).json()
    assert manifest["scope"] == "/my/" and manifest["start_url"] == "/my/reader/"


def test_keeping_a_meeting_logs_each_part2_file_opened(client, rw, personas):
    login(client, personas["member"])
    client.get(reverse("meetings_public:paper", args=[rw["p2"].public_id]))
    assert PaperDownload.objects.filter(paper=rw["p2"], user=personas["member"]).count() == 1


# ------------------------------------------------------------------------------------- notes


def test_sync_merges_by_id_later_edit_wins_on_each_side(client, rw, personas):
    login(client, personas["member"])
    t0 = timezone.now() - dt.timedelta(hours=2)
    a = note(rw["p1"], "first words", quote="forty extra beds", updated=t0)
    b = note(rw["p1"], "other note", updated=t0)
    resp = sync(client, [a, b])
    assert resp.status_code == 200
    assert {n["body"] for n in resp.json()["notes"]} == {"first words", "other note"}

    # Device 2 edits A later; device 1 (offline since) sends an older edit of A and a newer
    # edit of B: A keeps device 2's words, B takes device 1's.
    sync(
        client,
        [dict(a, body="edited on the tablet", updated_at=(t0 + dt.timedelta(hours=1)).isoformat())],
    )
    resp = sync(
        client,
        [
            dict(a, body="stale edit", updated_at=(t0 + dt.timedelta(minutes=30)).isoformat()),
            dict(
                b, body="newer on the laptop", updated_at=(t0 + dt.timedelta(hours=1)).isoformat()
            ),
        ],
    )
    got = {n["id"]: n for n in resp.json()["notes"]}
    assert got[a["id"]]["body"] == "edited on the tablet"
    assert got[b["id"]]["body"] == "newer on the laptop"
    # A deletion is a later edit too, and is sent to the other devices as a tombstone.
    resp = sync(client, [dict(b, deleted=True, updated_at=timezone.now().isoformat())])
    got = {n["id"]: n for n in resp.json()["notes"]}
    assert got[b["id"]]["deleted"] is True
    assert Note.objects.filter(author=personas["member"]).count() == 2


def test_sync_rejects_bad_input_with_a_message_and_saves_nothing(client, rw, personas):
    login(client, personas["member"])
    url = reverse("portal:reader_notes_sync")
    bad = client.post(url, data="{not json", content_type="application/json")
    assert bad.status_code == 400 and "JSON" in bad.json()["error"]
    for payload in (
        {"notes": "x"},
        {"notes": [{"id": "nope"}]},
        {"notes": [note(rw["p1"], updated=None) | {"updated_at": "yesterday"}]},
        {"notes": [note(rw["p1"], "x" * 10_001)]},
    ):
        resp = client.post(url, data=json.dumps(payload), content_type="application/json")
        assert resp.status_code == 400, payload
        assert resp.json()["error"]
    assert not Note.objects.exists()


def test_sync_answers_dates_and_pages_out_of_range_without_a_500(client, rw, personas):
    """A time that reads as a date but is none (13th month), a page past any integer the
    database holds, and JSON's Infinity: each a 400 with a message or a note without a page."""
    login(client, personas["member"])
    url = reverse("portal:reader_notes_sync")
    resp = client.post(
        url,
        data=json.dumps({"notes": [note(rw["p1"]) | {"updated_at": "2026-13-45T10:00:00"}]}),
        content_type="application/json",
    )
    assert resp.status_code == 400 and "updated_at" in resp.json()["error"]
    assert not Note.objects.exists()
    for page in (99999999999999999999, "99999999999999999999", 1e300, float("inf"), -3):
        body = json.dumps({"notes": [note(rw["p1"], f"page {page}", page=page)]})  # inf: Infinity
        resp = client.post(url, data=body, content_type="application/json")
        assert resp.status_code == 200, (page, resp.content[:300])
    assert Note.objects.filter(author=personas["member"], page__isnull=True).count() == 5
    # A NUL character (PostgreSQL's text cannot hold one) in a note, its quote or its context,
    # by the sync or by the form without JavaScript: the rest of the text is kept.
    nul = note(rw["p1"], "before\x00after", quote="q\x00uote", prefix="\x00", suffix="s\x00")
    resp = client.post(url, data=json.dumps({"notes": [nul]}), content_type="application/json")
    assert resp.status_code == 200
    kept = Note.objects.get(client_id=nul["id"])
    assert (kept.body, kept.quote, kept.prefix, kept.suffix) == ("beforeafter", "quote", "", "s")
    form = reverse("portal:reader_note_add", args=[rw["p1"].public_id])
    resp = client.post(form, {"body": "form\x00note", "quote": ""})
    assert resp.status_code == 302
    assert Note.objects.filter(author=personas["member"], body="formnote").exists()


def test_sync_is_csrf_protected(rw, personas):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, personas["member"])
    resp = sync(csrf_client, [note(rw["p1"])])
    assert resp.status_code == 403
    assert not Note.objects.exists()


def test_a_note_on_a_paper_one_may_not_open_is_never_stored(client, rw, personas):
    login(client, personas["observer"])
    resp = sync(client, [note(rw["p2"], "trying", quote="SECRET-OTTER-VALUATION")])
    assert resp.status_code == 200
    assert resp.json()["notes"] == []
    assert not Note.objects.exists()


def test_notes_are_private_to_their_author(client, rw, personas):
    login(client, personas["member"])
    secret = "MY-PRIVATE-THOUGHT-QUOKKA"
    sync(client, [note(rw["p2"], secret, quote="SECRET-OTTER-VALUATION")])
    assert secret in client.get(reverse("portal:reader_paper", args=[rw["p2"].public_id])).text
    # Another member, the Chair and the secretariat: not in their sync, reading page, notes
    # page, exports, the meeting pages, the API or search.
    for who in ("participant", "chair", "secretariat", "admin"):
        login(client, personas[who])
        assert sync(client, []).json()["notes"] == [], who
        pages = [
            reverse("portal:reader_paper", args=[rw["p2"].public_id]),
            reverse("portal:reader_notes"),
            reverse("portal:reader_notes_text"),
            reverse(
                "meetings_public:meeting", args=[rw["meeting"].committee.slug, rw["meeting"].pk]
            ),
            reverse("agenda:builder", args=[rw["meeting"].pk]),
            "/api/v1/meetings/",
            "/search/?q=QUOKKA",
        ]
        for url in pages:
            resp = client.get(url)
            assert secret not in resp.content.decode(errors="replace"), (who, url)
    from django.contrib import admin

    assert Note not in admin.site._registry


def test_notes_survive_a_new_version_and_are_listed_as_no_longer_found(client, rw, personas):
    login(client, personas["member"])
    kept = note(rw["p1"], "about the beds", quote="forty extra beds open")
    gone = note(rw["p1"], "about vaccines", quote="covers the vaccination campaign.")
    sync(client, [kept, gone])
    # The revised version has no vaccination sentence.
    new = reader_world.revise_part1(personas, rw["p1"], second_page="Page two is about ambulances.")
    page = client.get(reverse("portal:reader_paper", args=[new.public_id])).text
    assert "about the beds" in page and "about vaccines" in page
    found, lost = page.split("No longer found in this version")
    assert "about the beds" in found and "about vaccines" not in found
    assert "about vaccines" in lost
    # The old version says a newer one was published.
    old = client.get(reverse("portal:reader_paper", args=[rw["p1"].public_id])).text
    assert "A newer version of this paper was published" in old


def test_note_without_javascript_and_exports(client, rw, personas):
    login(client, personas["member"])
    resp = client.post(
        reverse("portal:reader_note_add", args=[rw["p1"].public_id]),
        {"quote": "forty extra beds", "body": "Ask about staffing"},
    )
    assert resp.status_code == 302
    n = Note.objects.get(author=personas["member"])
    assert n.body == "Ask about staffing" and n.paper == rw["p1"]
    empty = client.post(
        reverse("portal:reader_note_add", args=[rw["p1"].public_id]), {}, follow=True
    )
    assert "Write a note" in empty.text
    text = client.get(reverse("portal:reader_notes_text"))
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert "Ask about staffing" in body and '"forty extra beds"' in body
    pdf = client.get(reverse("portal:reader_notes_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    extracted = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Ask about staffing" in extracted
    client.post(reverse("portal:reader_note_delete", args=[n.client_id]))
    n.refresh_from_db()
    assert n.deleted
    assert "Ask about staffing" not in client.get(reverse("portal:reader_notes")).text


def test_sync_costs_the_same_queries_for_one_note_or_fifty(
    client, rw, personas, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, personas["member"])
    counts = []
    for n in (1, 50):
        payload = [note(rw["p1"], f"n{i}") for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            assert sync(client, payload).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_demos_member_can_keep_a_dispatched_meeting_and_the_observer_gets_part1(client):
    from django.contrib.auth import get_user_model

    from meetings import access
    from tests.conftest import load_demo_once

    load_demo_once()
    users = get_user_model().objects
    member, observer = users.get(username="member"), users.get(username="observer")
    papers = access.visible_papers_queryset(member).filter(
        is_current=True, item__agenda__state="dispatched", item__part=2
    )
    paper = papers.select_related("item__agenda__meeting").first()
    assert paper is not None, "the demo has a dispatched meeting with a Part 2 paper"
    meeting = paper.item.agenda.meeting
    offline = reverse("portal:reader_meeting_offline", args=[meeting.pk])
    read = reverse("portal:reader_paper", args=[paper.public_id])
    assert client.login(username="member", password="demo-password-2026")
    assert read in client.get(offline).json()["urls"]
    for url in (
        reverse("portal:reader"),
        reverse("portal:reader_meeting", args=[meeting.pk]),
        read,
    ):
        assert client.get(url).status_code == 200, url
    client.logout()
    assert client.login(username=observer.username, password="demo-password-2026")
    resp = client.get(offline)
    assert resp.status_code in (200, 404)
    if resp.status_code == 200:
        assert read not in resp.json()["urls"]
    assert client.get(read).status_code == 404


def test_the_reader_marks_a_cancelled_meeting(client, rw, personas):
    """My meetings tagged a cancelled meeting "Cancelled"; the offline reader's list of the
    same meetings did not, so a member could open it to read for a meeting that will not
    happen (seen in the demo: 30 March 2027)."""
    meeting = rw["meeting"]
    login(client, personas["member"])
    url = reverse("portal:reader")
    assert "Cancelled" not in client.get(url).text
    meeting.status = meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    page = client.get(url).text
    line = page[page.index(reverse("portal:reader_meeting", args=[meeting.pk])) :]
    assert line.index("Cancelled") < line.index("</li>")
