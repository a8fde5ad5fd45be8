"""Check before you send, in real Chromium (issue 13): the Chair agrees the agenda in the portal,
the secretariat dispatches it through the check page (axe finds nothing; nothing is sent until
its button is pressed), uploads two late papers and tells members about them in one email each,
raises a supplementary agenda that the Chair agrees and the secretariat dispatches (its email
read from the outbox, the public page showing it), and cancels another meeting through its
check page.

Set SCREENSHOT_DIR to keep full-page screenshots of the pages checked.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from communications.models import OutboxMessage
from meetings.agenda import services
from meetings.models import Agenda, Meeting
from tests.browser.conftest import axe_violations, describe_violations
from tests.meetings.conftest import pdf_bytes
from tests.meetings.processed import processed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _axe(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], f"{page.url}\n{describe_violations(violations)}"


def test_dispatch_late_papers_supplementary_and_cancel_through_their_check_pages(
    page, sign_in, personas, committee, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    day = timezone.localdate() + dt.timedelta(days=70)
    meeting = Meeting.objects.create(
        committee=committee, date=day, start_time=dt.time(14), venue="Sessions House"
    )
    other = Meeting.objects.create(
        committee=committee, date=day + dt.timedelta(days=28), start_time=dt.time(10)
    )
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=personas["secretariat"])

    # The Chair agrees the agenda in the members' portal.
    sign_in("chair")
    page.goto(reverse("portal_meetings:agenda_agreement", args=[meeting.pk]))
    page.get_by_role("button", name="Agree this agenda").click()
    page.wait_for_load_state()
    assert Agenda.objects.get(pk=agenda.pk).state == Agenda.State.AGREED
    page.context.clear_cookies()

    # The secretariat dispatches through the check page.
    sign_in("secretariat")
    page.goto(reverse("agenda:builder", args=[meeting.pk]))
    page.get_by_role("link", name="Dispatch agenda and papers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before you send")
    expect(page.locator(".check-recipients")).to_contain_text("member@example.org")
    expect(page.locator(".check-recipients")).to_contain_text("Participants (1)")
    _axe(page, "check-dispatch")
    assert Agenda.objects.get(pk=agenda.pk).state == Agenda.State.AGREED
    assert not OutboxMessage.objects.filter(message_name="dispatch_papers").exists()
    page.get_by_role("button", name="Dispatch agenda and papers").click()
    expect(page.locator("body")).to_contain_text("have been sent to members and participants")
    assert Agenda.objects.get(pk=agenda.pk).state == Agenda.State.DISPATCHED
    dispatched = set(
        OutboxMessage.objects.filter(message_name="dispatch_papers").values_list(
            "recipient", flat=True
        )
    )
    assert {"chair@example.org", "member@example.org", "participant@example.org"} <= dispatched

    # Two late papers, one email per reader listing both.
    item = agenda.items.get(standard_key="minutes")
    for title in ("Action log update", "Finance addendum"):
        processed(
            services.upload_paper(
                item=item,
                by=personas["secretariat"],
                uploaded=SimpleUploadedFile("x.pdf", pdf_bytes()),
                title=title,
                reason="Received after dispatch",
            )
        )
    page.goto(reverse("agenda:builder", args=[meeting.pk]))
    page.get_by_role("link", name="Tell members about these papers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before you send")
    _axe(page, "check-late-papers")
    assert not OutboxMessage.objects.filter(message_name="late_papers").exists()
    page.get_by_role("button", name="Send the email").click()
    expect(page.locator("body")).to_contain_text("are being told about the papers")
    emails = OutboxMessage.objects.filter(message_name="late_papers")
    assert set(emails.values_list("recipient", flat=True)) == dispatched
    for email in emails:
        assert "Action log update" in email.body_text and "Finance addendum" in email.body_text

    # A supplementary agenda: raised, agreed by the Chair in the portal, dispatched after its
    # check page; its email read from the outbox.
    page.goto(reverse("agenda:builder", args=[meeting.pk]))
    page.get_by_role("button", name="Raise a supplementary agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supplementary agenda 1")
    page.get_by_label("Title").fill("Winter pressures update")
    page.get_by_label("For discussion").check()
    page.get_by_label("Part 1 (public)").check()
    page.get_by_role("button", name="Add to the supplementary agenda").click()
    expect(page.locator("body")).to_contain_text("Item added to the supplementary agenda")
    _axe(page, "supplementary")
    page.get_by_role("button", name="Send for agreement").click()
    expect(page.locator("body")).to_contain_text("has been sent for agreement")
    page.context.clear_cookies()
    sign_in("chair")
    page.goto(reverse("portal_meetings:agenda_agreement", args=[meeting.pk]))
    expect(page.locator("#supplementary")).to_have_text("Supplementary agenda 1")
    _axe(page, "supplementary-agreement")
    page.get_by_role("button", name="Agree supplementary agenda 1").click()
    expect(page.locator("body")).to_contain_text("You have agreed the supplementary agenda")
    page.context.clear_cookies()
    sign_in("secretariat")
    page.goto(reverse("agenda:supplementary", args=[meeting.pk, 1]))
    page.get_by_role("link", name="Dispatch supplementary agenda 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before you send")
    _axe(page, "check-supplementary")
    assert not OutboxMessage.objects.filter(message_name="supplementary_agenda").exists()
    page.get_by_role("button", name="Dispatch supplementary agenda 1").click()
    expect(page.locator("body")).to_contain_text("Supplementary agenda 1 is dispatched")
    emails = OutboxMessage.objects.filter(message_name="supplementary_agenda")
    assert set(emails.values_list("recipient", flat=True)) == dispatched
    for email in emails:
        assert "Winter pressures update" in email.body_text
        assert "Supplementary agenda 1" in email.body_text
    page.context.clear_cookies()
    page.goto(reverse("meetings_public:meeting", args=[committee.slug, meeting.pk]))
    expect(page.locator("body")).to_contain_text("Supplementary agenda 1")
    expect(page.locator("body")).to_contain_text("Winter pressures update")
    sign_in("secretariat")

    # The notice check page, then a cancellation through its check page.
    page.goto(reverse("meetings_admin:meeting_notice", args=[committee.slug, other.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("give notice of the meeting")
    _axe(page, "check-notice")
    page.goto(reverse("meetings_admin:meeting_cancel", args=[committee.slug, other.pk]))
    page.get_by_label(re.compile("reason", re.I)).fill("No business to transact")
    page.get_by_role("button", name=re.compile("cancel", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("cancel the meeting")
    _axe(page, "check-cancel")
    assert Meeting.objects.get(pk=other.pk).status == Meeting.Status.SCHEDULED
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.locator("body")).to_contain_text("Meeting cancelled")
    assert Meeting.objects.get(pk=other.pk).status == Meeting.Status.CANCELLED


def test_moving_an_item_keeps_the_keyboard_on_its_button(page, sign_in, personas, committee):
    """The builder swaps in the redrawn table after Up or Down (htmx). The buttons had no ids,
    so the focus was lost to the page's top: a keyboard user moving an item three places had
    to tab back to it each time. Each keeps its place now, and the item's new number is read."""
    meeting = Meeting.objects.create(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=70),
        start_time=dt.time(14),
    )
    agenda = services.get_or_create_agenda(meeting=meeting)
    items = list(agenda.items.filter(part=1).order_by("number"))
    moving = items[2]
    sign_in("secretariat")
    page.goto(reverse("agenda:builder", args=[meeting.pk]))
    page.locator(f"#move-{moving.pk}-up").focus()
    for expected in (2, 1):
        with page.expect_response(lambda r: "/move/" in r.url):
            page.keyboard.press("Enter")
        page.wait_for_function(
            "([id, n]) => document.querySelector(id + ' td').textContent.trim() === String(n)",
            arg=[f"#item-{moving.pk}", expected],
        )
        if expected == 2:
            page.wait_for_function(
                "id => document.activeElement.id === id", arg=f"move-{moving.pk}-up"
            )
    moving.refresh_from_db()
    assert moving.number == 1
    # At the top the item has no "Up": the keyboard is on its "Down".
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg=f"move-{moving.pk}-down",
    )
