"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Fixtures: `browser` (one Chromium per session), `page` (a fresh context per test, its base URL
the live server), `signed_in_page` factory, and the `axe_violations(page)` helper that runs the
axe-core bundled with axe-playwright-python and returns the violations found.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety check must
be relaxed for these tests (DJANGO_ALLOW_ASYNC_UNSAFE, set below before Django touches the DB).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def _playwright() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def _chromium(_playwright) -> Iterator:
    """One Chromium per test process; each test gets its own context (cookies, storage, service
    workers and cache are per context, so tests cannot see each other's)."""
    from tests.conftest import need_chromium

    browser = _playwright.chromium.launch(executable_path=need_chromium(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser(_chromium, chromium_path: str) -> Iterator:
    yield _chromium
    for context in list(_chromium.contexts):  # a test that did not close its own
        context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Generous: a loaded two-core machine can take seconds per step; a wait ends as soon as
    # its condition holds, so this costs nothing when the machine is idle.
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """Sign a user in through the real login form: `sign_in("secretariat")`."""
    from tests.conftest import PASSWORD

    def _sign_in(username: str, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Username or email").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return _sign_in


def axe_violations(page, *, context=None, options=None) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (empty when none).

    By default checks the WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices.
    """
    from axe_playwright_python.sync_playwright import Axe

    options = options or {
        "resultTypes": ["violations"],
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        },
    }
    results = Axe().run(page, context=context, options=options)
    return results.response["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One line per violation and node, for an assertion message a person can act on."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}")
    return "\n".join(lines)


def wait_for_js(page, expression: str, *, arg=None, timeout: float = 30_000) -> None:
    """Wait until a JavaScript function (or expression, awaited if it is a promise) is truthy.

    Not `page.wait_for_function`: its polling re-evaluates the predicate with `eval` from
    `requestAnimationFrame`, which the pages' Content-Security-Policy (`script-src 'self'`, no
    'unsafe-eval') refuses in Chromium builds that do not exempt it, as Chrome for Testing does
    not (a CI failure). Each try here is one `page.evaluate`, which runs over the DevTools
    protocol and is not subject to the page's policy.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except PlaywrightError as exc:
            # A navigation under way destroys the context mid-evaluation; try again.
            if "context was destroyed" not in str(exc) and "navigation" not in str(exc):
                raise
        if time.monotonic() >= deadline:
            raise PlaywrightTimeout(f"{expression!r} was not true within {timeout:.0f} ms")
        time.sleep(0.1)
