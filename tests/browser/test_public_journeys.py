"""The public site and the portal in real Chromium, on the demo data: axe-core finds no WCAG 2.2
A/AA violations on every public page, the portal pages and the main secretariat pages; the
meeting page works with the keyboard alone; and the main journeys work end to end.

Set SCREENSHOT_DIR to keep full-page screenshots of the pages checked.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from demo.committees import DEMO_PASSWORD
from meetings.models import Meeting, Paper, Part
from tests.browser.conftest import axe_violations, describe_violations
from tests.conftest import load_demo_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
KM = "kent-medway-icp"


@pytest.fixture
def demo(settings, tmp_path):
    """The demo with its agendas and packs built (loaded once per session, restored here)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    load_demo_once(documents=True)
    return (
        Meeting.objects.filter(
            committee__slug=KM, is_public=True, agenda__state="dispatched", status="scheduled"
        )
        .order_by("-date")
        .first()
    )


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _check(page, path: str, name: str) -> None:
    response = page.goto(path)
    assert response.status < 400 or name.endswith("404"), (path, response.status)
    _shot(page, name)
    violations = axe_violations(page)
    assert violations == [], f"{path}\n{describe_violations(violations)}"


def _sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_every_public_portal_and_main_secretariat_page_has_no_axe_violations(page, demo):
    meeting = demo
    past_year = Meeting.objects.filter(committee__slug=KM).order_by("date").first().date.year
    public = {
        "home": "/",
        "committee": f"/committees/{KM}/",
        "membership": f"/committees/{KM}/members/",
        "meetings": f"/committees/{KM}/meetings/",
        "meetings-year": f"/committees/{KM}/meetings/?year={past_year}",
        "meeting": meeting.get_absolute_url(),
        "terms-of-reference": f"/committees/{KM}/terms-of-reference/",
        "register": f"/committees/{KM}/interests/",
        "accessibility": "/accessibility/",
        "search": "/search/?q=strategy",
        "search-empty": "/search/?q=zzzzqqq",
        "alerts": f"/committees/{KM}/alerts/",
        "404": "/no/such/page/",
        "sub-committee": "/committees/"
        + Meeting.objects.exclude(committee__parent=None)
        .values_list("committee__slug", flat=True)
        .first()
        + "/"
        if Meeting.objects.exclude(committee__parent=None).exists()
        else "/",
    }
    for name, path in public.items():
        _check(page, path, f"public-{name}")
    # A form with an error.
    page.goto(f"/committees/{KM}/alerts/")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    _check(page, page.url, "alerts-check-email")

    _sign_in(page, "member")
    page.goto(reverse("portal:calendar"))
    page.get_by_role("button", name="Create my calendar address").click()
    page.wait_for_load_state()
    for name, path in {
        "my-meetings": reverse("portal:home"),
        "my-calendar": reverse("portal:calendar"),
        "my-notifications": reverse("portal:notifications"),
        "my-meeting": reverse("portal_meetings:meeting", args=[meeting.pk]),
    }.items():
        _check(page, path, f"portal-{name}")

    page.context.clear_cookies()
    _sign_in(page, "secretariat")
    for name, path in {
        "dashboard": reverse("secretariat:dashboard"),
        "meetings": reverse("meetings_admin:meeting_list", args=[KM]),
        "meeting": reverse("meetings_admin:meeting", args=[KM, meeting.pk]),
        "agendas": reverse("agenda:meetings"),
        "agenda-builder": reverse("agenda:builder", args=[meeting.pk]),
        "communications": reverse("communications:outbox"),
        "people": reverse("secretariat:person_list"),
        "people-found": reverse("secretariat:person_list") + "?q=cllr",
    }.items():
        _check(page, path, f"secretariat-{name}")


def test_meeting_page_by_keyboard_alone_and_the_public_journey(page, demo):
    meeting = demo
    # Find the meeting from the home page, as the public would.
    page.goto("/")
    page.get_by_role("link", name="Kent and Medway", exact=False).first.click()
    page.get_by_role("link", name="Meetings, agendas and papers").click()
    page.get_by_role("link", name=meeting.date.strftime("%A %-d %B %Y")).click()
    page.wait_for_load_state()
    assert page.url.endswith(meeting.get_absolute_url())
    assert page.get_by_role("heading", name="Agenda", exact=True).is_visible()

    # Keyboard only: the first Tab reaches the skip link, and focus is visible.
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    assert first == "Skip to main content"
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.boxShadow, s.backgroundColor]; })()"
    )
    assert outline[0] != "none" or outline[1] != "none"

    # Tab through the page: links come in document order, each visibly focused.
    expected = page.evaluate(
        "Array.from(document.querySelectorAll('a[href], button, input, select, summary'))"
        ".filter(e => e.offsetParent !== null).map(e => e.textContent.trim() || e.value)"
    )
    reached = []
    paper = Paper.objects.filter(
        item__agenda__meeting=meeting, item__part=Part.PUBLIC, is_current=True
    ).first()
    paper_href = reverse("meetings_public:paper", args=[paper.public_id])
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return {text: (e.textContent || '').trim() || e.value || '',"
            " href: e.getAttribute('href'),"
            " focus: s.outlineStyle !== 'none' || s.boxShadow !== 'none'}; })()"
        )
        if info["href"] == paper_href:
            break
        assert info["focus"], info
        reached.append(info["text"])
    else:
        pytest.fail(f"Tab never reached the paper link; reached {reached}")
    # Order: what was reached is the start of the page's focusable elements, in order.
    assert reached == expected[1 : len(reached) + 1]
    with page.expect_response(lambda r: paper_href in r.url) as response_info:
        page.keyboard.press("Enter")
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    page.wait_for_url(f"**{paper_href}")

    # Download the public agenda pack: the agenda and every published paper in one PDF. The demo
    # builds the packs of its latest dispatched meetings, this one among them.
    from documents.models import PublishedDocument

    assert PublishedDocument.objects.filter(meeting=meeting, kind="pack", audience="public")
    page.goto(meeting.get_absolute_url())
    pack = page.get_by_role("link", name="Agenda pack", exact=False)
    href = pack.get_attribute("href")
    assert "pack-public-v" in href
    with page.expect_response(lambda r: href in r.url) as response_info:
        pack.click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    data = page.request.get(href).body()  # the same file, as this (anonymous) browser gets it
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert "PART2-SECRET-" not in text
    assert paper.title.split()[0] in text  # the published paper is in the pack

    # Subscribe to the calendar: the .ics link answers text/calendar.
    page.goto(meeting.get_absolute_url())
    href = page.get_by_role("link", name="Add this meeting to your calendar").get_attribute("href")
    ics = page.request.get(href)
    assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text()
    page.goto(f"/committees/{KM}/")
    href = page.get_by_role(
        "link", name="Add the meetings to your calendar (iCalendar)"
    ).get_attribute("href")
    assert page.request.get(href).headers["content-type"].startswith("text/calendar")


def test_member_signs_in_with_two_factor_and_opens_a_part2_paper(page, demo, settings):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )
    from django.contrib.auth import get_user_model

    meeting = demo
    user = get_user_model().objects.get(username="member")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    paper = Paper.objects.filter(
        item__agenda__meeting=meeting, item__part=Part.PRIVATE, is_current=True
    ).first()

    page.goto(reverse("portal_meetings:meeting", args=[meeting.pk]))
    page.get_by_label("Username or email").fill("member")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/2fa/" in page.url  # asked for the code, not let in on the password alone
    code = page.locator("input[name=code]")
    code.fill("000000")
    page.locator("form").filter(has=code).get_by_role("button").first.click()
    page.wait_for_load_state()
    assert "/2fa/" in page.url
    code = page.locator("input[name=code]")
    # The code is computed before the browser types it and the server checks it: accept the
    # neighbouring 30 s window too, so a slow fill across a boundary cannot fail the test (the
    # wrong code above is refused all the same).
    settings.MFA_TOTP_TOLERANCE = 1
    code.fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator("form").filter(has=code).get_by_role("button").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("portal_meetings:meeting", args=[meeting.pk]))

    link = page.get_by_role("link", name=paper.title, exact=False).first
    assert page.get_by_text("Part 2: items taken in private").is_visible()
    with page.expect_response(lambda r: str(paper.public_id) in r.url) as response_info:
        link.click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "no-store" in response.headers["cache-control"]
    assert paper.downloads.filter(user=user).exists()  # Part 2 opens are logged
