"""Every `next` is checked: only a path or URL on this site is followed."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from icp_secretariat.lib.redirects import safe_next

OFF_SITE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
    " https://evil.example/",
    # Not a path: `redirect()` would look these up as URL names (NoReverseMatch, a 500).
    "\u00b2",
    "abc",
    "communications:outbox",
    "meetings",
]


@pytest.mark.parametrize("bad", OFF_SITE)
def test_off_site_next_falls_back_to_the_default(bad):
    request = RequestFactory().post("/x/", {"next": bad})
    assert safe_next(request, "/dashboard/") == "/dashboard/"
    request = RequestFactory().get("/x/", {"next": bad})
    assert safe_next(request, "/dashboard/") == "/dashboard/"


def test_on_site_next_is_followed_and_the_default_may_be_a_url_name():
    request = RequestFactory().post("/x/", {"next": "/dashboard/communications/?state=failed"})
    assert safe_next(request, "/") == "/dashboard/communications/?state=failed"
    request = RequestFactory().post("/x/", {"next": "http://testserver/meetings/"})
    assert safe_next(request, "/") == "http://testserver/meetings/"
    assert safe_next(RequestFactory().post("/x/"), "communications:outbox") == (
        "/dashboard/communications/"
    )


def test_http_next_refused_on_a_secure_request():
    request = RequestFactory().post("/x/", {"next": "http://testserver/meetings/"}, secure=True)
    assert safe_next(request, "/") == "/"


def test_a_next_that_is_a_word_redirects_to_the_default_not_a_500():
    """Found by posting odd values to every form of the demo: "Retry" on the communications
    page with `next=²` was a 500 (`redirect("²")` looked for a URL named "²")."""
    from django.shortcuts import redirect

    request = RequestFactory().post("/x/", {"next": "\u00b2"})
    assert redirect(safe_next(request, "/dashboard/")).url == "/dashboard/"
