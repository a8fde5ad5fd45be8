"""Small things people notice (issue 13), in real Chromium on the demo: at 320 px wide no page
scrolls sideways and every control meets the WCAG 2.2 target size (2.5.8, with its spacing and
inline exceptions); the attendance, communications and message pages have no axe violations;
the minutes editor's boxes grow with their text.

Set SCREENSHOT_DIR to keep full-page screenshots of the pages checked.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from communications.models import OutboxMessage
from meetings.models import Attendance, Minutes
from tests.browser.conftest import wait_for_js
from tests.browser.test_public_journeys import KM, _check, _shot, _sign_in, demo  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Every target on the page that is smaller than 24 x 24 CSS px and neither inline in a sentence
# nor spaced so that a 24 px circle on its centre touches no other target (WCAG 2.2, 2.5.8).
TARGETS_TOO_SMALL = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    if (el.closest('.govuk-visually-hidden, .govuk-skip-link')) return false;
    return true;
  };
  const inline = (el) => {
    // A link in a sentence: its block has words of its own besides the text of its targets
    // (a cell holding only "Up Down Edit Remove" is a row of controls, not a sentence).
    if (el.tagName !== 'A') return false;
    const block = el.parentElement.closest('p, li, dd, td, th, label, div, h1, h2, h3, caption');
    if (!block) return false;
    const copy = block.cloneNode(true);
    copy.querySelectorAll(selector + ', .govuk-visually-hidden').forEach((t) => t.remove());
    return /[A-Za-z]{2,}/.test(copy.textContent);
  };
  const all = [...document.querySelectorAll(selector)].filter(shown);
  const rects = all.map((el) => el.getBoundingClientRect());
  const small = all.map((el, i) => rects[i].width < 24 - 0.01 || rects[i].height < 24 - 0.01);
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const distance = ([x, y], r) => {
    const dx = Math.max(r.left - x, 0, x - r.right);
    const dy = Math.max(r.top - y, 0, y - r.bottom);
    return Math.hypot(dx, dy);
  };
  const failures = [];
  all.forEach((el, i) => {
    if (!small[i] || inline(el)) return;
    const c = centre(rects[i]);
    const crowded = all.some((other, j) => {
      if (j === i || other.contains(el) || el.contains(other)) return false;
      if (small[j]) {
        const [x, y] = centre(rects[j]);
        return Math.hypot(c[0] - x, c[1] - y) < 24;
      }
      return distance(c, rects[j]) < 12;
    });
    if (crowded) {
      const r = rects[i];
      failures.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.name || '').trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  });
  return failures;
}"""


def _at_320(page, path: str, name: str) -> None:
    response = page.goto(path)
    assert response.status < 400, (path, response.status)
    _shot(page, f"320-{name}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .filter((el) => !el.closest('.app-table-scroll'))
          .slice(0, 8)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""
    )
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at 320 px wide: {wide}"
    failures = page.evaluate(TARGETS_TOO_SMALL)
    assert failures == [], f"{path}: targets under 24x24 px\n" + "\n".join(failures)


def _attendance_year() -> int:
    latest = (
        Attendance.objects.filter(
            meeting__committee__slug=KM,
            meeting__is_public=True,
            meeting__date__lte=timezone.localdate(),
        )
        .order_by("-meeting__date")
        .values_list("meeting__date", flat=True)
        .first()
    )
    assert latest is not None, "the demo records attendance"
    return latest.year


def test_main_pages_reflow_at_320_px_with_targets_of_24_px(page, demo):  # noqa: F811
    page.set_viewport_size({"width": 320, "height": 640})
    year = _attendance_year()
    public = {
        "committee": f"/committees/{KM}/",
        "meetings": f"/committees/{KM}/meetings/",
        "meeting": demo.get_absolute_url(),
        "decisions": reverse("record:decisions", args=[KM]),
        "register": f"/committees/{KM}/interests/",
        "attendance": reverse("public:attendance", args=[KM, year]),
    }
    for name, path in public.items():
        _at_320(page, path, f"public-{name}")
    _sign_in(page, "member")
    _at_320(page, reverse("portal:home"), "my-home")
    _at_320(page, reverse("portal_meetings:meeting", args=[demo.pk]), "my-meeting")
    page.context.clear_cookies()
    _sign_in(page, "secretariat")
    for name, path in {
        "dashboard": reverse("secretariat:dashboard"),
        "agenda-builder": reverse("agenda:builder", args=[demo.pk]),
        "communications": reverse("communications:outbox"),
    }.items():
        _at_320(page, path, f"secretariat-{name}")


def test_new_pages_have_no_axe_violations_and_the_minutes_boxes_grow(page, demo):  # noqa: F811
    year = _attendance_year()
    _check(page, reverse("public:attendance", args=[KM, year]), "attendance")
    assert page.get_by_role("region", name=f"Attendance by member, {year}").is_visible()
    _check(page, f"/committees/{KM}/", "committee-with-attendance-link")
    assert page.get_by_role("link", name="Attendance at meetings").is_visible()

    _sign_in(page, "secretariat")
    _check(page, reverse("communications:outbox"), "communications-mailings")
    assert page.get_by_role("heading", name="Mailings").is_visible()
    message = OutboxMessage.objects.filter(committee__slug=KM).order_by("-pk").first()
    assert message is not None, "the demo has sent emails"
    _check(page, reverse("communications:message", args=[message.pk]), "communications-message")
    assert message.subject in page.content()

    minutes = (
        Minutes.objects.filter(meeting__committee__slug=KM, is_current=True)
        .order_by("-meeting__date")
        .first()
    )
    assert minutes is not None, "the demo has minutes"
    # Draft minutes are edited directly; approved ones through a correction.
    page.goto(reverse("record:minutes_edit", args=[minutes.meeting_id]) + "?correct=1")
    box = page.locator("textarea.app-grow").first
    before = box.bounding_box()["height"]
    box.fill("\n".join(f"Line {n} of a long note taken in the meeting." for n in range(40)))
    wait_for_js(page, "(el) => el.scrollHeight <= el.clientHeight + 2", arg=box.element_handle())
    assert box.bounding_box()["height"] > before * 2
    _shot(page, "minutes-editor-grown")
