"""Issue 15 end to end with a real Celery worker on Redis: an uploaded Word paper (committed)
is queued after commit as `meetings.process_paper`; the worker converts it with LibreOffice and
makes it current; the builder's papers cell stops polling; a revised version replaces it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.agenda import services
from meetings.models import Paper
from tests.celery_worker import use_redis_broker, wait_until, worker
from tests.conftest import PASSWORD
from tests.meetings import office_files

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_app(redis_url):
    app = use_redis_broker(redis_url)
    yield app
    app.control.purge()


def test_worker_converts_an_uploaded_word_paper(
    soffice, celery_app, django_db_blocker, meeting, personas, private_media, client
):
    item = services.get_or_create_agenda(meeting=meeting).items.get(standard_key="minutes")
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with worker(django_db_blocker):
        paper = services.upload_paper(
            item=item,
            by=personas["secretariat"],
            uploaded=SimpleUploadedFile("plan.docx", office_files.word_paper(), docx),
            title="Winter pressures plan",
        )
        client.login(username="secretariat", password=PASSWORD)
        cell = reverse("agenda:item_papers", args=[item.pk])
        assert "Processing" in client.get(cell).text

        def state():
            return Paper.objects.get(pk=paper.pk).state

        wait_until(lambda: state() != Paper.State.PROCESSING)
        paper.refresh_from_db()
        assert paper.state == Paper.State.READY, paper.failure
        assert paper.is_current and paper.page_count >= 1
        assert "<h3>Recommendations</h3>" in paper.html
        assert "data-hx-trigger" not in client.get(cell).text

        # A revision before dispatch: the worker swaps it in place once converted.
        pending = services.replace_paper(
            paper=paper,
            by=personas["secretariat"],
            uploaded=SimpleUploadedFile(
                "plan2.docx", office_files.word_paper(phrase="REVISED-PHRASE-IBEX"), docx
            ),
        )
        wait_until(lambda: not Paper.objects.filter(pk=pending.pk).exists())
    paper.refresh_from_db()
    assert paper.is_current and "REVISED-PHRASE-IBEX" in paper.text
    assert Paper.objects.count() == 1
