"""Paper uploads are checked by content, stored privately under a system name, and versioned."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.agenda import services
from meetings.agenda.papers import display_name, inspect_pdf
from meetings.errors import AgendaError, PaperError
from meetings.models import Paper
from tests.conftest import PASSWORD
from tests.meetings.conftest import pdf_bytes
from tests.meetings.processed import processed


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def item(meeting):
    agenda = services.get_or_create_agenda(meeting=meeting)
    return agenda.items.get(standard_key="minutes")


def test_real_pdf_is_stored_under_a_system_name_with_checksum_pages_and_text(
    item, personas, private_media, text_pdf
):
    paper = services.upload_paper(
        item=item,
        by=personas["secretariat"],
        uploaded=upload("../../Minutes draft.pdf", text_pdf),
        title="Draft minutes",
    )
    # Checked by content in the request; counted, read and made current by the worker.
    assert paper.state == Paper.State.PROCESSING and not paper.is_current
    paper = processed(paper)
    assert paper.state == Paper.State.READY and paper.is_current
    assert paper.page_count == 3
    assert paper.sha256 == hashlib.sha256(text_pdf).hexdigest()
    assert paper.size == len(text_pdf)
    assert paper.uploaded_by == personas["secretariat"]
    assert "PART2-SECRET-TEST-2" in paper.text
    assert paper.original_name == "Minutes draft.pdf"
    stored = private_media / paper.storage_name
    assert stored.read_bytes() == text_pdf
    assert "Minutes" not in paper.storage_name and paper.storage_name.startswith("papers/")


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("notes.pdf", b"This is just text pretending to be a PDF\n" * 20, "not a PDF"),
        ("locked.pdf", pdf_bytes(2, encrypt="secret"), "password"),
        ("cut.pdf", pdf_bytes(3)[:300], "damaged|could not be read|no pages"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    item, personas, private_media, name, data, message
):
    with pytest.raises(PaperError, match=message):
        services.upload_paper(
            item=item, by=personas["secretariat"], uploaded=upload(name, data), title="T"
        )
    assert Paper.objects.count() == 0
    assert not list(private_media.rglob("*.pdf"))


def test_oversized_file_is_refused(item, personas, settings):
    settings.PAPER_MAX_BYTES = 1000
    with pytest.raises(PaperError, match="must be 1 KB or smaller"):
        services.upload_paper(
            item=item,
            by=personas["secretariat"],
            uploaded=upload("big.pdf", pdf_bytes(30)),
            title="T",
        )


def test_inspect_truncated_pdf_in_the_middle_is_refused():
    data = pdf_bytes(5)
    with pytest.raises(PaperError):
        inspect_pdf(data[: len(data) // 2])


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Board paper.pdf", "Board paper.pdf"),
        ("evil\x00name<script>.pdf", "evilname_script_.pdf"),
        ("", "paper.pdf"),
        ("/", "paper.pdf"),
    ],
)
def test_file_names_are_sanitised_for_display_only(raw, shown):
    assert display_name(raw) == shown


def test_path_separators_in_the_name_never_reach_the_file_system(item, personas, private_media):
    paper = services.upload_paper(
        item=item,
        by=personas["secretariat"],
        uploaded=upload("../../../escape.pdf", pdf_bytes()),
        title="T",
    )
    files = list(private_media.rglob("*"))
    assert all(private_media in f.parents for f in files)
    assert paper.original_name == "escape.pdf"


def _dispatched(meeting, people):
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    return agenda


def test_replacing_after_dispatch_keeps_the_old_version_and_marks_the_new_revised(
    meeting, personas, item
):
    old = processed(
        services.upload_paper(
            item=item,
            by=personas["secretariat"],
            uploaded=upload("a.pdf", pdf_bytes(2)),
            title="Report",
        )
    )
    _dispatched(meeting, personas)
    with pytest.raises(AgendaError, match="why"):
        services.replace_paper(
            paper=old, by=personas["secretariat"], uploaded=upload("b.pdf", pdf_bytes(3))
        )
    new = services.replace_paper(
        paper=old,
        by=personas["secretariat"],
        uploaded=upload("b.pdf", pdf_bytes(3)),
        reason="Corrected table 2",
    )
    old.refresh_from_db()
    assert old.is_current  # until the new version is processed
    new = processed(new)
    old.refresh_from_db()
    assert not old.is_current and old.page_count == 2
    assert new.status == Paper.Status.REVISED and new.reason == "Corrected table 2"
    assert new.replaces == old and new.page_count == 3
    with pytest.raises(AgendaError, match="never deleted"):
        services.withdraw_paper(paper=new, by=personas["secretariat"])


def test_replacing_before_dispatch_swaps_the_file(
    meeting, personas, item, private_media, django_capture_on_commit_callbacks
):
    old = processed(
        services.upload_paper(
            item=item, by=personas["secretariat"], uploaded=upload("a.pdf", pdf_bytes(2)), title="R"
        )
    )
    first_file = private_media / old.storage_name
    pending = services.replace_paper(
        paper=old, by=personas["secretariat"], uploaded=upload("b.pdf", pdf_bytes(4))
    )
    with django_capture_on_commit_callbacks(execute=True):
        new = processed(pending)
    assert new.pk == old.pk and new.page_count == 4 and new.status == Paper.Status.ORIGINAL
    assert Paper.objects.count() == 1
    assert not first_file.exists()


def test_paper_added_after_dispatch_is_late_with_reason_shown_to_readers(
    meeting, personas, item, client
):
    _dispatched(meeting, personas)
    with pytest.raises(AgendaError, match="late paper"):
        services.upload_paper(
            item=item, by=personas["secretariat"], uploaded=upload("l.pdf", pdf_bytes()), title="L"
        )
    paper = processed(
        services.upload_paper(
            item=item,
            by=personas["secretariat"],
            uploaded=upload("l.pdf", pdf_bytes()),
            title="Finance update",
            reason="Figures confirmed after dispatch",
        )
    )
    assert paper.status == Paper.Status.LATE
    page = client.get(reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk]))
    assert "Late paper" in page.text and "Figures confirmed after dispatch" in page.text


def test_upload_view_shows_a_clear_error_for_a_fake_pdf(client, personas, item):
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("agenda:paper_upload", args=[item.pk])
    resp = client.post(url, {"title": "T", "file": upload("fake.pdf", b"hello world")})
    assert resp.status_code == 200
    assert "The file is not a PDF" in resp.text
    resp = client.post(url, {"title": "Minutes", "file": upload("ok.pdf", pdf_bytes(2))})
    assert resp.status_code == 302
    assert processed(Paper.objects.get()).page_count == 2


def test_paper_opens_inline_as_pdf(client, personas, item, meeting):
    paper = services.upload_paper(
        item=item,
        by=personas["secretariat"],
        uploaded=upload("Board paper.pdf", pdf_bytes()),
        title="R",
    )
    processing = client.get(reverse("meetings_public:paper", args=[paper.public_id]))
    assert processing.status_code == 404  # not readable until processed
    processed(paper)
    client.login(username="secretariat", password=PASSWORD)
    resp = client.get(reverse("meetings_public:paper", args=[paper.public_id]))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith("inline")
    assert b"".join(resp.streaming_content).startswith(b"%PDF-")
