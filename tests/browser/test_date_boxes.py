"""Issue 13, one date input pattern: in Chromium the converted pages draw the GOV.UK day / month /
year boxes, an impossible date is reported in the error summary whose link takes the reader to
the day box, and axe finds nothing on the meeting form (with its error) or the public register's
date look-up."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.browser.conftest import axe_violations, describe_violations, wait_for_js

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_meeting_form_boxes_error_summary_and_axe(page, sign_in, personas, committee):
    sign_in("secretariat")
    page.goto(reverse("meetings_admin:meeting_create", args=[committee.slug]))
    assert page.locator('input[type="date"]').count() == 0
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Start time").fill("10:00")
    # Wide enough to show a time as a 12-hour browser writes it, with its clock button: at
    # the old width "02:00 PM" showed as "02:00".
    inner, text = page.get_by_label("Start time").evaluate(
        """el => { const cs = getComputedStyle(el);
                   const c = document.createElement("canvas").getContext("2d");
                   c.font = cs.font;
                   return [el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
                           c.measureText("12:00 PM").width]; }"""
    )
    assert inner >= text + 30, (inner, text)
    page.get_by_label("Venue").fill("Gun Wharf")
    page.get_by_role("button", name="Schedule meeting").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    link = summary.get_by_role("link", name="Enter a real date: that month has no day 31")
    assert link.get_attribute("href") == "#id_date_0"
    # The boxes keep what was typed, so nothing is lost.
    assert page.get_by_label("Day").input_value() == "31"
    assert page.get_by_label("Venue").input_value() == "Gun Wharf"
    _shot(page, "meeting-form-date-error")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    link.click()
    wait_for_js(page, "document.activeElement && document.activeElement.id === 'id_date_0'")

    page.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Schedule meeting").click()
    page.wait_for_url(lambda url: "/meetings/new/" not in url)
    assert Meeting.objects.get().date == dt.date(2027, 2, 28)


def test_public_register_date_boxes_and_axe(page, committee):
    page.goto(f"/committees/{committee.slug}/interests/")
    assert page.locator('input[type="date"]').count() == 0
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("The register as it stood on 1 February 2025").wait_for()
    assert page.get_by_label("Year").input_value() == "2025"
    _shot(page, "register-as-of")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
