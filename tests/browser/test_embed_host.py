"""An embed inside a partner's page (issue 19, point 1): the host page, served from another
origin, pastes the snippet the secretariat offers; real Chromium shows the framed agenda with
Part 1 only, fits the frame's height through the snippet's script, and axe finds nothing in the
host page or the embed."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from django.urls import reverse

from demo.public_record import RECORDING
from meetings.models import Meeting
from public_site.embeds import snippet
from tests.browser.conftest import axe_violations, describe_violations, wait_for_js
from tests.browser.test_public_journeys import KM, _check, _sign_in, demo  # noqa: F401
from tests.meetings.conftest import (  # noqa: F401 (fixtures)
    SECRET_DESCRIPTION,
    SECRET_TITLE,
    grounds,
    meeting,
    other_committee,
    people,
    private_media,
    private_meeting,
    world,
)
from tests.meetings.test_access import dispatch

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HOST = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>A partner council's page</title></head>
<body><main><h1>Our Integrated Care Partnership</h1>
<p>The agenda of the next meeting, from the partnership's secretariat:</p>
{snippet}
</main></body></html>"""


@pytest.fixture
def host_server(tmp_path):
    """A plain static web server on another origin (127.0.0.1, not the live server's localhost)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_embed_in_a_host_page_shows_part1_only_fits_its_height_and_passes_axe(
    page,
    live_server,
    world,  # noqa: F811 (the fixture imported above)
    host_server,
):
    folder, host_origin = host_server
    held = world["meeting"]
    dispatch(held, world["people"])
    origin = live_server.url.replace("127.0.0.1", "localhost")
    code = snippet(
        origin=origin,
        src=f"/embed/committees/test-jc/meetings/{held.pk}/",
        title="Test Joint Committee: agenda",
        fallback=held.get_absolute_url(),
        fallback_text="Agenda and papers of the Test Joint Committee",
    )
    (folder / "partner.html").write_text(HOST.format(snippet=code), encoding="utf-8")

    page.goto(f"{host_origin}/partner.html")
    frame_el = page.locator("iframe[data-icp-embed]")
    frame_el.wait_for()
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_load_state()
    text = frame.locator("main").inner_text()
    assert "Minutes" in text  # the Part 1 item and its public paper
    assert frame.get_by_role("link", name="Minutes (PDF, 2 pages)").count() == 1
    assert SECRET_TITLE not in text and SECRET_DESCRIPTION not in text
    assert "Valuation report" not in text
    # The snippet's script fits the frame to the embed's height, reported by postMessage.
    wait_for_js(
        page, "() => document.querySelector('iframe[data-icp-embed]').style.height.endsWith('px')"
    )
    content_height = frame.evaluate("() => document.documentElement.scrollHeight")
    assert frame_el.evaluate("f => f.style.height") == f"{content_height}px"
    # Without scripts the link under the frame still leads to the meeting.
    assert page.get_by_role("link", name="Agenda and papers of the Test Joint Committee").count()

    host = axe_violations(page)
    assert host == [], describe_violations(host)
    inner = axe_violations(frame)
    assert inner == [], describe_violations(inner)


def test_issue19_pages_of_the_demo_have_no_axe_violations(page, demo):  # noqa: F811
    """The public and secretariat pages of issue 19, on the demo: committee page with its
    archive, the record policy, a recorded meeting, the embeds and the example partner page;
    signed in, the snippets, the Part 2 reviews, the retention rule and the recording form."""
    recorded = Meeting.objects.get(committee__slug=KM, webcast_link=RECORDING)
    for name, path in {
        "committee": f"/committees/{KM}/",
        "record-policy": reverse("public:record_policy", args=[KM]),
        "recorded-meeting": recorded.get_absolute_url(),
        "embed-meetings": reverse("embed:meetings", args=[KM]),
        "embed-agenda": reverse("embed:agenda", args=[KM, recorded.pk]),
        "embed-decisions": reverse("embed:decisions", args=[KM]),
        "embed-example": reverse("embed:example", args=[KM]),
    }.items():
        _check(page, path, f"issue19-{name}")
    _sign_in(page, "secretariat")
    for name, path in {
        "dashboard": reverse("secretariat:dashboard"),
        "committee": reverse("secretariat:committee", args=[KM]),
        "snippets": reverse("embed:snippets", args=[KM]),
        "part2-reviews": reverse("record:part2_reviews", args=[KM]),
        "retention": reverse("secretariat:retention_edit", args=[KM]),
        "recording": reverse("record:recording", args=[recorded.pk]),
    }.items():
        _check(page, path, f"issue19-secretariat-{name}")
    assert "due for review" in page.goto(reverse("secretariat:dashboard")).text()
