"""End to end with a real Celery worker on Redis: dispatching the agenda (committed) enqueues the
build after commit; the worker publishes the documents; a late paper makes version 2."""

from __future__ import annotations

import pytest

from documents.models import DocumentBuild, PublishedDocument
from tests.celery_worker import use_redis_broker, wait_until, worker
from tests.documents.conftest import agree_and_dispatch, make_pdf, prepare, upload

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_app(redis_url, settings):
    settings.DOCUMENT_BUILD_DELAY_SECONDS = 2
    app = use_redis_broker(redis_url)
    yield app
    app.control.purge()


def test_dispatch_builds_through_a_real_worker(
    celery_app, django_db_blocker, meeting, people, grounds, paper_bytes
):
    prepare(meeting, people, grounds, paper_bytes)
    with worker(django_db_blocker, shutdown_timeout=30):
        agree_and_dispatch(meeting, people)
        wait_until(lambda: PublishedDocument.objects.filter(meeting=meeting).count() == 4)
        wait_until(lambda: not DocumentBuild.objects.filter(state__in=["queued", "running"]))
        assert list(DocumentBuild.objects.values_list("state", flat=True)) == ["done"]

        # Two late papers close together: the first request is superseded, one rebuild runs.
        item = meeting.agenda.items.get(standard_key="minutes")
        late = [make_pdf(f"L{n}", f"LATE-{n}", 1) for n in range(2)]
        for n, data in enumerate(late):
            upload(item, people["secretariat"], data, f"L{n}", "late")
        wait_until(
            lambda: PublishedDocument.objects.filter(meeting=meeting, version=2).count() == 4
        )
        wait_until(lambda: not DocumentBuild.objects.filter(state__in=["queued", "running"]))
    states = sorted(DocumentBuild.objects.values_list("state", flat=True))
    assert states == ["done", "done", "superseded"]
    assert not PublishedDocument.objects.filter(version=3).exists()
