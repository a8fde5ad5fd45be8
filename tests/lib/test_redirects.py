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
