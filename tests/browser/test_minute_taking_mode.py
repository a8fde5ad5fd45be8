"""The minute-taking mode in real Chromium on the demo (issue 13): axe finds nothing on its pages,
"All present" fills the grid, Next walks the items, and a save made with htmx updates the item
in place (the page is not reloaded)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import ItemNote, Minutes
from tests.browser.test_public_journeys import KM, _check, _sign_in, demo  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_minute_taking_mode_in_the_browser(page, demo):  # noqa: F811
    recorded = (
        Minutes.objects.filter(meeting__committee__slug=KM, is_current=True)
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
        .meeting
    )
    items = list(recorded.agenda.items.order_by("number"))
    _sign_in(page, "secretariat")
    pages = {
        "attendance": reverse("record:mode", args=[recorded.pk]),
        "first-item": reverse("record:mode_item", args=[recorded.pk, items[0].pk]),
        "decided-item": reverse(
            "record:mode_item",
            args=[
                recorded.pk,
                recorded.agenda.items.filter(decisions__isnull=False).order_by("number")[0].pk,
            ],
        ),
        "everyone": reverse("record:mode_item", args=[recorded.pk, items[1].pk]) + "?everyone=1",
        "close": reverse("record:mode_close", args=[recorded.pk]),
    }
    # An upcoming meeting before attendance is taken, too.
    if demo is not None and hasattr(demo, "agenda"):
        pages["before-attendance"] = reverse("record:mode", args=[demo.pk])
        first = demo.agenda.items.order_by("number").first()
        if first is not None:
            pages["before-attendance-item"] = reverse("record:mode_item", args=[demo.pk, first.pk])
    for name, path in pages.items():
        _check(page, path, f"mode-{name}")

    # All present, then save: lands on the first item.
    page.goto(pages["attendance"])
    page.get_by_role("button", name="All present").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Save attendance").click()
    # (The browser keeps the #grid fragment across the redirect.)
    expect(page).to_have_url(re.compile(re.escape(pages["first-item"]) + r"(#[a-z-]*)?$"))

    # Next, then a note saved with htmx: the panel updates, the page does not reload.
    owner = page.get_by_label("Owner")
    assert owner.locator("optgroup").first.get_attribute("label") == "Kent and Medway ICP"
    assert owner.locator("optgroup option").count() > 5
    page.get_by_role("link", name="Next item").first.click()
    page.wait_for_load_state()
    url_before = page.url
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Discussion, for the minutes").fill("Members asked about winter.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.locator("#item-panel")).to_contain_text("Note saved.", timeout=60_000)
    assert page.evaluate("window.__notReloaded === true")
    assert page.url == url_before
    assert ItemNote.objects.get(item=items[1]).discussion == "Members asked about winter."
