"""Issue 15: decision notices are rendered by Celery, not in the request. The first request
queues the render and shows a page that polls (htmx); a real worker renders each reader's
variant once (kept by content hash); Part 2 readers outside the record see only the summary."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from icp_secretariat.lib import files
from meetings.models import Decision, Part
from public_site import notices
from tests.celery_worker import wait_until, worker
from tests.meetings.test_access import dispatch, login
from tests.meetings.test_paper_worker import celery_app  # noqa: F401 (fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _secret_decision(world) -> Decision:
    meeting = world["meeting"]
    p2 = meeting.agenda.items.get(part=Part.PRIVATE)
    return Decision.objects.create(
        item=p2,
        meeting=meeting,
        committee=meeting.committee,
        year=2030,
        sequence=2,
        number="TJC/2030/02",
        part=Part.PRIVATE,
        text="SECRET-NOTICE-TEXT",
        public_summary="A property matter was decided.",
    )


def _text(response) -> str:
    data = b"".join(response.streaming_content)
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.slow
def test_notice_is_rendered_by_the_worker_per_reader(
    celery_app,  # noqa: F811
    django_db_blocker,
    world,
    client,
    private_media,
    settings,
):
    settings.PRIVATE_MEDIA_ROOT = private_media
    dispatch(world["meeting"], world["people"])
    decision = _secret_decision(world)
    url = reverse("record:decision_notice", args=["test-jc", decision.pk])
    with worker(django_db_blocker):
        first = client.get(url)
        assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
        assert "The notice is being prepared" in first.text
        assert f'data-hx-get="{url}"' in first.text
        public_file = notices.notice_name(
            notices.notice_key(notices.notice_input(decision, full=False))
        )
        wait_until(lambda: files.exists(public_file))
        poll = client.get(url, HTTP_HX_REQUEST="true")
        assert "Open decision notice TJC/2030/02 (PDF)" in poll.text
        assert "data-hx-trigger" not in poll.text
        public = client.get(url)
        assert public["Content-Type"] == "application/pdf"
        text = _text(public)
        assert "A property matter was decided." in text and "SECRET-NOTICE-TEXT" not in text

        login(client, world["people"], "member")
        full_file = notices.notice_name(
            notices.notice_key(notices.notice_input(decision, full=True))
        )
        assert full_file != public_file
        client.get(url)
        wait_until(lambda: files.exists(full_file))
        member = client.get(url)
        assert "SECRET-NOTICE-TEXT" in _text(member)
        assert member["Cache-Control"] == "private, no-store"
