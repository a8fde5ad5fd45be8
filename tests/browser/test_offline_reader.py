"""The offline reader in real Chromium (issue 18, "Done when"): a kept meeting opens with the
network switched off (agenda, pack, each paper's reading page and PDF), a note written offline
reaches another device after sync, sign-out empties the cache, and no Part 2 text or note
reaches the next person on the same browser profile, online or offline. axe on the reader.

Set SCREENSHOT_DIR to keep screenshots of the reader's pages.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.urls import reverse

from portal.models import Note
from tests.browser.conftest import axe_violations, describe_violations, wait_for_js
from tests.celery_worker import wait_until
from tests.conftest import PASSWORD
from tests.meetings import reader_world
from tests.meetings.reader_world import PART1_PHRASE, PART2_PHRASE, PART2_TITLE

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LIMIT_MS = 30_000
NOTE_TEXT = "Ask about weekend staffing OFFLINE-NOTE-WOMBAT"


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def _restored(settings, tmp_path, transactional_db) -> dict:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
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


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(LIMIT_MS)
    return context, page


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The landing page depends on the role (icp_secretariat/auth.py): wait to leave sign-in.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/my/" not in url)
    page.wait_for_load_state()


def under_service_worker(page, url: str) -> None:
    """Open `url`, wait for the reader's service worker to be ready, and reload until it
    controls the page (30 s)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url)
    wait_for_js(page, "navigator.serviceWorker.ready.then(() => true)", timeout=LIMIT_MS)
    deadline = time.monotonic() + 30
    while True:
        try:
            wait_for_js(page, "!!navigator.serviceWorker.controller", timeout=3_000)
            return
        except PlaywrightTimeout:
            assert time.monotonic() < deadline, "the service worker never took control"
            page.reload()


def reload_until_synced(page) -> None:
    """Reload, and wait until the reloaded page's own sync of notes has been answered: the last
    request a reader's page makes. A test that ends with a request still running on the live
    server deadlocks with the database flush that follows it."""
    sync_url = reverse("portal:reader_notes_sync")
    with page.expect_response(lambda r: r.request.method == "POST" and sync_url in r.url):
        page.reload()


def keep(page, meeting) -> None:
    under_service_worker(page, reverse("portal:reader_meeting", args=[meeting.pk]))
    page.get_by_role("button", name="Keep for offline reading").click()
    page.get_by_text("Kept for offline reading:").wait_for(timeout=90_000)


CACHED_URLS = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) out.push(new URL(request.url).pathname);
  }
  return out;
}"""

CACHED_TEXT = """async () => {
  let text = '';
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      text += await response.text();
    }
  }
  return text;
}"""


def select_text(page, container: str, text: str) -> None:
    """Select `text` inside the first element matching `container` as a reader would."""
    page.evaluate(
        """([selector, wanted]) => {
          const el = [...document.querySelectorAll(selector)].find(e => e.textContent.includes(wanted));
          const node = [...el.childNodes].find(n => n.nodeType === 3 && n.nodeValue.includes(wanted));
          const start = node.nodeValue.indexOf(wanted);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + wanted.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        [container, text],
    )


def offline_html(page, url: str) -> str:
    """The page offline: what the service worker answers, or nothing at all (ERR_FAILED)."""
    from playwright.sync_api import Error

    try:
        page.goto(url)
    except Error as exc:
        assert "ERR_FAILED" in str(exc) or "ERR_INTERNET_DISCONNECTED" in str(exc), exc
        return ""
    return page.content()


def test_a_kept_meeting_opens_offline_agenda_pack_papers_and_pdfs(browser, live_server, rw):
    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        keep(page, rw["meeting"])
        _shot(page, "reader-meeting-kept")
        kept = page.evaluate(CACHED_URLS)
        assert reverse("meetings_public:paper", args=[rw["p2"].public_id]) in kept

        context.set_offline(True)
        page.goto(reverse("portal:reader_meeting", args=[rw["meeting"].pk]))
        assert PART2_TITLE in page.content()
        assert page.locator("[data-reader-network]").is_visible()

        page.goto(reverse("portal:reader_paper", args=[rw["p2"].public_id]))
        assert PART2_PHRASE in page.locator("[data-reader-text]").inner_text()
        _shot(page, "reader-paper-offline")

        page.goto(reverse("portal:reader_paper_pdf", args=[rw["p1"].public_id]))
        page.locator("[data-pdf-pages][data-ready=yes]").wait_for()
        assert "forty extra beds" in page.locator("[data-pdf-pages] .textLayer").first.inner_text()
        _shot(page, "reader-pdf-offline")

        page.goto(reverse("portal:reader_pack", args=[rw["meeting"].pk]))
        page.locator("[data-pdf-pages][data-ready=yes]").wait_for()
        assert page.locator("[data-pdf-pages] canvas").count() >= 3

        # The network is really off for the service worker too: a page that was not kept
        # answers with the reader's "not kept" page.
        page.goto(reverse("portal:reader_notes"))
        assert "Not kept for offline reading" in page.content()
    finally:
        context.close()


def test_a_note_written_offline_reaches_another_device_after_sync(browser, live_server, rw):
    tablet, page = new_page(browser, live_server)
    laptop, other = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        keep(page, rw["meeting"])
        tablet.set_offline(True)
        page.goto(reverse("portal:reader_paper", args=[rw["p1"].public_id]))
        select_text(page, "[data-reader-para]", "forty extra beds open")
        assert page.get_by_label("Text you are noting (optional)").input_value() == (
            "forty extra beds open"
        )
        page.get_by_label("Your note", exact=True).fill(NOTE_TEXT)
        page.get_by_role("button", name="Save note").click()
        page.get_by_text("It will be sent when you are back online").wait_for()
        assert page.locator("mark[data-note-mark]").inner_text() == "forty extra beds open"
        assert not Note.objects.exists()

        tablet.set_offline(False)
        page.get_by_text("Your notes are saved on the server.").wait_for(timeout=60_000)
        note = Note.objects.get()
        assert note.body == NOTE_TEXT and note.quote == "forty extra beds open"
        assert note.paper_id == rw["p1"].pk
        assert "forty" not in note.prefix and note.prefix.endswith("The winter plan keeps")

        sign_in(other, "member")
        other.goto(reverse("portal:reader_paper", args=[rw["p1"].public_id]))
        assert NOTE_TEXT in other.locator("[data-reader-notes]").inner_text()
        other.locator("mark[data-note-mark]").wait_for()
        assert other.locator("mark[data-note-mark]").inner_text() == "forty extra beds open"
        _shot(other, "reader-paper-note-other-device")

        # Deleted on the laptop: gone on the tablet when it next syncs.
        # The delete goes through the reader's script (the device's copy, then a sync) or, when
        # the click lands before the script has run, through the page's own form: either way
        # wait until the server has it, or the tablet may sync before the laptop sent it.
        other.get_by_role("button", name="Delete this note").click()
        other.locator("[data-notes-list]").get_by_text(
            "You have no notes on this paper."
        ).wait_for()
        wait_until(lambda: Note.objects.get().deleted, timeout=LIMIT_MS / 1000)
        reload_until_synced(page)
        page.locator("[data-notes-list]").get_by_text("You have no notes on this paper.").wait_for()
    finally:
        tablet.close()
        laptop.close()


def test_notes_saved_in_quick_succession_all_reach_the_server(browser, live_server, rw):
    """Each save syncs, and a sync's answer is merged into the notes this browser keeps: a
    note added while an earlier sync's answer was being merged was overwritten and lost (one
    of eight, two runs in three, before the reader took its stored notes in turns)."""
    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        keep(page, rw["meeting"])
        page.goto(reverse("portal:reader_paper", args=[rw["p1"].public_id]))
        bodies = [f"Question {i} on the winter plan" for i in range(8)]
        box = page.get_by_label("Your note", exact=True)
        for i, body in enumerate(bodies):
            box.fill(body)
            # The click goes to the button itself, not to a point on the page: each saved note
            # is drawn in the list above the form, which moves the button down as it is clicked.
            page.get_by_role("button", name="Save note").dispatch_event("click")
            assert box.input_value() == ""  # the reader took the note
            page.wait_for_timeout(60 * (i % 3))
        try:
            wait_until(lambda: Note.objects.count() >= len(bodies), timeout=30)
        except AssertionError:
            pass  # the comparison below names the notes that never arrived
        assert sorted(Note.objects.values_list("body", flat=True)) == sorted(bodies)
        page.get_by_text("Your notes are saved on the server.").wait_for()
        reload_until_synced(page)
        listed = page.locator("[data-notes-list]")
        for body in bodies:
            listed.get_by_text(body).wait_for()
    finally:
        context.close()


def test_sign_out_empties_the_cache_and_the_next_person_finds_nothing(browser, live_server, rw):
    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        keep(page, rw["meeting"])
        page.goto(reverse("portal:reader_paper", args=[rw["p2"].public_id]))
        page.get_by_label("Your note", exact=True).fill(NOTE_TEXT)
        page.get_by_role("button", name="Save note").click()
        page.get_by_text("Your notes are saved on the server.").wait_for()
        assert PART2_PHRASE in page.evaluate(CACHED_TEXT)

        sign_out(page)
        wait_for_js(page, "caches.keys().then(k => k.length === 0)")
        assert page.evaluate(CACHED_URLS) == []

        sign_in(page, "observer")
        under_service_worker(page, reverse("portal:reader_meeting", args=[rw["meeting"].pk]))
        for url in (
            reverse("portal:reader_meeting", args=[rw["meeting"].pk]),
            reverse("portal:reader_notes"),
            reverse("portal:reader_paper", args=[rw["p1"].public_id]),
            reverse("portal:reader_paper", args=[rw["p2"].public_id]),
        ):
            page.goto(url)
            html = page.content()
            assert PART2_TITLE not in html and PART2_PHRASE not in html, url
            assert NOTE_TEXT not in html, url
        # The observer keeps the meeting too: their own copy, Part 1 only, no one's notes.
        keep(page, rw["meeting"])
        p2_file = reverse("meetings_public:paper", args=[rw["p2"].public_id])
        assert p2_file not in page.evaluate(CACHED_URLS)
        cached = page.evaluate(CACHED_TEXT)
        assert PART1_PHRASE in cached
        assert PART2_PHRASE not in cached and PART2_TITLE not in cached
        assert NOTE_TEXT not in cached
        context.set_offline(True)
        for url in (
            reverse("portal:reader_paper", args=[rw["p2"].public_id]),
            reverse("portal:reader_paper_pdf", args=[rw["p2"].public_id]),
            reverse("portal:reader_meeting", args=[rw["meeting"].pk]),
            p2_file,
        ):
            html = offline_html(page, url)
            assert PART2_TITLE not in html and PART2_PHRASE not in html, url
            assert NOTE_TEXT not in html, url
    finally:
        context.close()


def test_a_session_that_ended_without_sign_out_leaves_nothing_for_the_next(
    browser, live_server, rw
):
    """Defence in depth: the cookies go (session ended, cleared) with no sign-out response, so
    no Clear-Site-Data; the service worker still drops the cache when a page under /my/
    answers for someone else, before the next person can go offline."""
    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        keep(page, rw["meeting"])
        assert page.evaluate(CACHED_URLS)
        context.clear_cookies()
        sign_in(page, "observer")
        page.goto(reverse("portal:home"))
        wait_for_js(
            page,
            "caches.keys().then(k => Promise.all(k.map(n => caches.open(n).then(c => c.keys()))))"
            ".then(all => all.every(keys => keys.length === 0))",
        )
        context.set_offline(True)
        html = offline_html(page, reverse("portal:reader_paper", args=[rw["p2"].public_id]))
        assert PART2_PHRASE not in html and PART2_TITLE not in html
    finally:
        context.close()


def test_a_newer_version_is_kept_and_marked_updated_and_revoked_part2_is_dropped(
    browser, live_server, rw, personas
):
    from django.utils import timezone

    from members.models import Membership

    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        keep(page, rw["meeting"])
        new = reader_world.revise_part1(personas, rw["p1"])
        page.goto(reverse("portal:reader", args=[]))
        meeting_url = reverse("portal:reader_meeting", args=[rw["meeting"].pk])
        new_read = reverse("portal:reader_paper", args=[new.public_id])
        wait_for_js(
            page,
            f"caches.keys().then(k => caches.open(k[0])).then(c => c.match({new_read!r}))"
            ".then(r => !!r)",
            timeout=60_000,
        )
        page.goto(meeting_url)
        tag = page.locator(f"[data-updated-item='{rw['p1_item'].pk}']")
        tag.wait_for()
        assert tag.inner_text() == "Updated"
        assert not page.locator(f"[data-updated-item='{rw['p2_item'].pk}']").is_visible()
        context.set_offline(True)
        page.goto(new_read)
        assert "Page two is about ambulances." in page.content()
        context.set_offline(False)

        # The member's access ends: the next time online the kept Part 2 files go.
        Membership.objects.filter(person__user=personas["member"]).update(
            end=timezone.localdate() - timezone.timedelta(days=1)
        )
        p2_file = reverse("meetings_public:paper", args=[rw["p2"].public_id])
        assert p2_file in page.evaluate(CACHED_URLS)
        page.goto(reverse("portal:reader"))
        wait_for_js(
            page,
            f"({CACHED_URLS})().then(urls => !urls.includes({p2_file!r}) && urls.length > 0)",
            timeout=60_000,
        )
        wait_for_js(
            page,
            f"({CACHED_TEXT})().then(text => !text.includes({PART2_PHRASE!r}))",
            timeout=60_000,
        )
        assert PART1_PHRASE in page.evaluate(CACHED_TEXT)
    finally:
        context.close()


def test_the_reader_pages_have_no_axe_violations(browser, live_server, rw):
    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        keep(page, rw["meeting"])
        page.goto(reverse("portal:reader_paper", args=[rw["p1"].public_id]))
        page.get_by_label("Text you are noting (optional)").fill(PART1_PHRASE)
        page.get_by_label("Your note", exact=True).fill("A note for the axe check")
        page.get_by_role("button", name="Save note").click()
        page.get_by_text("Your notes are saved on the server.").wait_for()
        urls = [
            reverse("portal:reader"),
            reverse("portal:reader_meeting", args=[rw["meeting"].pk]),
            reverse("portal:reader_paper", args=[rw["p1"].public_id]),
            reverse("portal:reader_paper_pdf", args=[rw["p1"].public_id]),
            reverse("portal:reader_pack", args=[rw["meeting"].pk]),
            reverse("portal:reader_notes"),
            reverse("portal:reader_offline"),
            reverse("portal:home"),
        ]
        found = []
        for url in urls:
            page.goto(url)
            if "pdf" in url or "pack" in url:
                page.locator("[data-pdf-pages][data-ready=yes]").wait_for()
            page.wait_for_load_state("networkidle")
            _shot(page, "axe" + url.replace("/", "_"))
            violations = axe_violations(page)
            if violations:
                found.append(f"{url}:\n{describe_violations(violations)}")
        assert not found, "\n".join(found)
    finally:
        context.close()


def _open_synced(page, url: str) -> None:
    """Open a reader page and wait until its own sync of notes has been answered."""
    sync_url = reverse("portal:reader_notes_sync")
    with page.expect_response(lambda r: r.request.method == "POST" and sync_url in r.url):
        page.goto(url)


def test_a_press_on_delete_held_while_the_list_is_redrawn_still_deletes(
    browser, live_server, rw, personas
):
    """The reader redraws the list of notes whenever a sync is answered (on opening the page,
    on coming back online, every save). It used to replace every note's element, Delete button
    and all, so a press that began before a redraw and ended after it landed on no button and
    did nothing (seen as a flaky test: a Delete clicked just as the opening sync was answered)."""
    from portal import reader

    reader.add_note(personas["member"], rw["p1"], quote="", body=NOTE_TEXT)
    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        _open_synced(page, reverse("portal:reader_paper", args=[rw["p1"].public_id]))
        button = page.get_by_role("button", name="Delete this note")
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        # A sync answered while the button is held down redraws the list.
        sync_url = reverse("portal:reader_notes_sync")
        with page.expect_response(lambda r: r.request.method == "POST" and sync_url in r.url):
            page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(200)  # the answer is merged and the list drawn after it arrives
        page.mouse.up()
        page.locator("[data-notes-list]").get_by_text("You have no notes on this paper.").wait_for()
        wait_until(lambda: Note.objects.get().deleted, timeout=LIMIT_MS / 1000)
        reload_until_synced(page)
        assert NOTE_TEXT not in page.locator("[data-reader-notes]").inner_text()
    finally:
        context.close()


def test_a_note_deleted_elsewhere_does_not_come_back_from_this_devices_copy(
    browser, live_server, rw, personas
):
    """The page is drawn from the server's notes, then overlaid with what this device kept at
    its last sync. A note deleted on another device since then is missing from the page but
    still in the device's copy: it came back on the page until a sync succeeded, and not at
    all while syncing failed. A copy older than the page no longer adds notes the page lacks."""
    from portal import reader

    note = reader.add_note(personas["member"], rw["p1"], quote="", body=NOTE_TEXT)
    context, page = new_page(browser, live_server)
    try:
        sign_in(page, "member")
        url = reverse("portal:reader_paper", args=[rw["p1"].public_id])
        _open_synced(page, url)
        assert NOTE_TEXT in page.locator("[data-notes-list]").inner_text()

        # Deleted on the tablet; the laptop opens the paper again while its syncs fail.
        reader.sync_notes(
            personas["member"],
            [{**reader.note_json(note), "deleted": True, "updated_at": _later(note)}],
        )
        assert Note.objects.get().deleted
        sync_url = reverse("portal:reader_notes_sync")
        page.route(f"**{sync_url}", lambda route: route.abort())
        with page.expect_event("requestfailed", lambda r: sync_url in r.url):
            page.goto(url)
        page.wait_for_timeout(200)  # the script has drawn the list before it syncs
        assert NOTE_TEXT not in page.locator("[data-reader-notes]").inner_text()
        assert "You have no notes on this paper." in page.locator("[data-notes-list]").inner_text()

        # A note written on the tablet after the page was drawn still arrives by a sync.
        page.unroute(f"**{sync_url}")
        reader.add_note(personas["member"], rw["p1"], quote="", body="Written later on the tablet")
        page.locator("[data-notes-list]").get_by_text("You have no notes on this paper.").wait_for()
        with page.expect_response(lambda r: r.request.method == "POST" and sync_url in r.url):
            page.evaluate("window.dispatchEvent(new Event('online'))")
        page.locator("[data-notes-list]").get_by_text("Written later on the tablet").wait_for()
        assert NOTE_TEXT not in page.locator("[data-reader-notes]").inner_text()
    finally:
        context.close()


def _later(note) -> str:
    from datetime import timedelta

    return (note.updated_at + timedelta(seconds=1)).isoformat()
