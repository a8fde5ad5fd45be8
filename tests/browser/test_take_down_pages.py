# ruff: noqa: F811 - pytest fixtures imported from the documents and meetings tests
"""The take-down screens and the public page that says what was removed, in real Chromium: the
whole journey by keyboard-free clicks, and axe-core finds no WCAG 2.2 A/AA violation on each.

Set SCREENSHOT_DIR to keep full-page screenshots."""

from __future__ import annotations

import re

import pytest

from meetings.models import TakeDown
from tests.browser.conftest import axe_violations, describe_violations
from tests.browser.test_accessibility import _shot
from tests.documents.conftest import paper_bytes, world  # noqa: F401
from tests.meetings.conftest import (  # noqa: F401
    grounds,
    meeting,
    other_committee,
    people,
    private_media,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _no_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_take_down_journey_and_the_public_notice(page, sign_in, world, private_media):
    meeting = world["meeting"]
    sign_in(world["people"]["secretariat"].username)
    page.goto(f"/dashboard/meetings/{meeting.pk}/take-down/")
    assert page.get_by_role("heading", level=1).inner_text() == "Take down from view"
    _shot(page, "take-down")
    _no_violations(page)

    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.get_by_text("Choose what to remove from view").first.is_visible()
    _no_violations(page)

    page.get_by_label(re.compile(r"Finance report$")).check()
    page.get_by_label("Reason readers will see").fill("It contained personal data")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Check before taking down"
    _shot(page, "take-down-check")
    _no_violations(page)

    page.get_by_role("button", name="Take down").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Take down from view"
    assert TakeDown.objects.filter(paper=world["finance"]).exists()

    page.context.clear_cookies()
    page.goto(meeting.get_absolute_url())
    notice = page.locator(".app-removed").first
    assert "“Finance report” removed on" in notice.inner_text()
    assert "It contained personal data" in notice.inner_text()
    _shot(page, "meeting-with-removed-paper")
    _no_violations(page)
