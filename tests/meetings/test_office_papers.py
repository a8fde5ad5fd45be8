"""Issue 15: office papers converted by real LibreOffice to tagged PDF, every paper readable as
HTML behind the same access rules, hostile PDFs defused, and nothing slow in the request."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.agenda import services
from meetings.errors import AgendaError, PaperError
from meetings.models import Paper
from tests.conftest import PASSWORD
from tests.documents.conftest import make_pdf
from tests.meetings import office_files
from tests.meetings.conftest import SECRET_TITLE, pdf_bytes
from tests.meetings.processed import processed

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(name: str, data: bytes, ctype: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=ctype)


@pytest.fixture
def item(meeting):
    agenda = services.get_or_create_agenda(meeting=meeting)
    return agenda.items.get(standard_key="minutes")


def _dispatch(meeting, people):
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    agenda.refresh_from_db()
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def _login(client, who):
    client.logout()
    if who:
        assert client.login(username=who.username, password=PASSWORD)


# ---------------------------------------------------------------- refused by content, at once


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report.docm", office_files.macro_word_paper(), "macros"),
        ("report.docx", office_files.macro_word_paper(), "macros"),  # renamed .docm
        ("paper.odt", office_files.odt_with_basic_macro(), "macros"),
        ("paper.docx", office_files.renamed_zip(), "ZIP archive, not a document"),
        ("paper.pdf", b"<html><script>x</script></html>%PDF-1.7\n" + pdf_bytes(), "%PDF-"),
        ("paper.docx", b"just some text", "not a PDF or an office document"),
    ],
)
def test_macro_files_renamed_zips_and_polyglots_are_refused_with_a_message(
    item, personas, private_media, name, data, message
):
    with pytest.raises(PaperError, match=message):
        services.upload_paper(
            item=item, by=personas["secretariat"], uploaded=_file(name, data), title="T"
        )
    assert Paper.objects.count() == 0
    assert not [p for p in private_media.rglob("*") if p.is_file()]


def test_upload_view_shows_the_macro_refusal(client, personas, item):
    client.login(username="secretariat", password=PASSWORD)
    resp = client.post(
        reverse("agenda:paper_upload", args=[item.pk]),
        {"title": "T", "file": _file("plan.docm", office_files.macro_word_paper())},
    )
    assert resp.status_code == 200
    assert "Macro-enabled documents are not accepted" in resp.text
    assert not Paper.objects.exists()


# ---------------------------------------------------------------- Word through real LibreOffice


@pytest.mark.slow
def test_word_paper_becomes_a_tagged_pdf_and_an_html_version_with_its_headings(
    soffice, item, personas, private_media, client
):
    data = office_files.word_paper()
    paper = services.upload_paper(
        item=item,
        by=personas["secretariat"],
        uploaded=_file("Winter plan.docx", data, DOCX),
        title="Winter pressures plan",
    )
    # The request only checked and stored it: nothing converted, nobody can read it yet.
    assert paper.state == Paper.State.PROCESSING and not paper.is_current
    assert paper.source_format == "docx" and paper.storage_name == ""
    paper = processed(paper)
    assert paper.state == Paper.State.READY and paper.is_current, paper.failure

    with pikepdf.open(private_media / paper.storage_name) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert len(pdf.pages) == paper.page_count >= 1
    # The original is kept as uploaded, with its digest.
    assert (private_media / paper.source_name).read_bytes() == data
    assert paper.original_sha256 == hashlib.sha256(data).hexdigest()
    assert "WORD-PHRASE-OKAPI" in paper.text  # searched like any PDF
    assert paper.removed == ""  # LibreOffice's own PDF has nothing hostile to report

    html = paper.html
    assert "<h2>Winter pressures plan</h2>" in html  # h1 is the page's own title
    assert "<h3>Recommendations</h3>" in html and "<h3>Spending by place</h3>" in html
    assert "<ol>" in html and "<li>Agree the plan.</li>" in html
    assert "<table>" in html and "Dartford" in html
    assert f'alt="{office_files.IMAGE_ALT}"' in html and 'src="data:image/png;base64,' in html

    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("meetings_public:paper_read", args=[paper.public_id]))
    assert page.status_code == 200
    assert "<h3>Recommendations</h3>" in page.text
    original = client.get(reverse("meetings_public:paper_original", args=[paper.public_id]))
    assert original["Content-Type"] == DOCX
    assert b"".join(original.streaming_content) == data
    pdf = client.get(reverse("meetings_public:paper", args=[paper.public_id]))
    assert pdf["Content-Disposition"] == 'inline; filename="Winter plan.pdf"'


def test_failed_conversion_names_the_reason_and_the_previous_version_stays_current(
    item, personas, private_media, settings
):
    current = processed(
        services.upload_paper(
            item=item, by=personas["secretariat"], uploaded=_file("a.pdf", pdf_bytes(2)), title="R"
        )
    )
    first_file = private_media / current.storage_name
    # The worker's LibreOffice fails (here: a binary that exits with an error).
    settings.SOFFICE_BINARY = "/bin/false"
    pending = services.replace_paper(
        paper=current,
        by=personas["secretariat"],
        uploaded=_file("b.docx", office_files.word_paper(), DOCX),
    )
    failed = processed(pending)
    assert failed.state == Paper.State.FAILED
    assert "LibreOffice could not convert the file" in failed.failure
    current.refresh_from_db()
    assert current.is_current and current.page_count == 2 and first_file.exists()
    # The builder names the reason.
    from django.test import Client

    c = Client()
    c.login(username="secretariat", password=PASSWORD)
    builder = c.get(reverse("agenda:builder", args=[item.agenda.meeting_id]))
    assert "LibreOffice could not convert the file" in builder.text
    assert "The previous version stays current." in builder.text
    # Dismissing the failed upload removes it and its file, not the current paper.
    services.withdraw_paper(paper=failed, by=personas["secretariat"])
    assert list(Paper.objects.values_list("pk", flat=True)) == [current.pk]


# ---------------------------------------------------------------- hostile PDFs


def test_pdf_with_javascript_is_stored_without_it_and_the_uploader_is_told(
    item, personas, private_media, client
):
    data = office_files.hostile_pdf()
    assert b"/JavaScript" in data and b"/Launch" in data and b"/EmbeddedFiles" in data
    paper = processed(
        services.upload_paper(
            item=item,
            by=personas["secretariat"],
            uploaded=_file("hostile.pdf", data, "application/pdf"),
            title="Hostile",
        )
    )
    assert paper.state == Paper.State.READY
    stored = (private_media / paper.storage_name).read_bytes()
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.Names and "/EmbeddedFiles" not in pdf.Root.Names
        page = pdf.pages[0].obj
        assert "/AA" not in page
        assert all("/A" not in annot for annot in page.Annots)
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert "/JS" not in obj
                assert str(obj.get("/S", "")) not in {"/JavaScript", "/Launch"}
            if isinstance(obj, pikepdf.Stream):
                assert b"MZ payload" not in obj.read_bytes()
    assert paper.original_sha256 == hashlib.sha256(data).hexdigest() != paper.sha256
    assert paper.source_name == ""  # the hostile bytes are not kept, only their digest
    assert "HOSTILE-PHRASE-LYNX" in paper.text
    for what in ("/OpenAction", "document JavaScript", "embedded files", "launch action", "/AA"):
        assert what in paper.removed
    client.login(username="secretariat", password=PASSWORD)
    builder = client.get(reverse("agenda:builder", args=[item.agenda.meeting_id]))
    assert "Removed from the stored copy" in builder.text and "document JavaScript" in builder.text


def test_a_clean_pdf_is_stored_byte_for_byte(item, personas, private_media):
    data = make_pdf("Clean", "CLEAN-PHRASE", 2)
    paper = processed(
        services.upload_paper(
            item=item, by=personas["secretariat"], uploaded=_file("c.pdf", data), title="C"
        )
    )
    assert (private_media / paper.storage_name).read_bytes() == data
    assert paper.removed == "" and paper.sha256 == paper.original_sha256


# ---------------------------------------------------------------- HTML for every paper


def _processed_pdf(item, personas, data: bytes) -> Paper:
    uploaded = _file("p.pdf", data)
    return processed(
        services.upload_paper(
            item=item, by=personas["secretariat"], uploaded=uploaded, title="Plan"
        )
    )


def test_pdf_paper_reads_as_html_with_page_anchors(item, personas, client):
    paper = _processed_pdf(item, personas, make_pdf("Plan", "ANCHOR-PHRASE", 3))
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("meetings_public:paper_read", args=[paper.public_id]))
    assert page.status_code == 200
    for n in (1, 2, 3):
        assert f'<section id="page-{n}" aria-label="Page {n}">' in page.text
    assert "ANCHOR-PHRASE" in page.text


def test_a_paper_stored_without_a_web_version_reads_from_its_pdf_page_by_page(
    item, personas, client
):
    # Papers stored before papers had web versions (issue 15) have none: their web page is
    # made from the PDF's text, as processing would have made it, instead of an empty page.
    paper = _processed_pdf(item, personas, make_pdf("Plan", "LEGACY-PHRASE", 3))
    Paper.objects.filter(pk=paper.pk).update(html="")
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("meetings_public:paper_read", args=[paper.public_id])).text
    sections = page.split('<section id="page-')[1:]
    assert len(sections) == 3
    for n, section in enumerate(sections, start=1):
        assert section.startswith(f'{n}" aria-label="Page {n}">')
        assert f"<p>LEGACY-PHRASE page {n}</p>" in section


def test_a_pdf_papers_web_version_joins_its_lines_into_paragraphs(item, personas, client):
    first = (
        "Members are asked to note the progress, the risks to delivery, the actions proposed "
        "by partners and the assurance provided, and to consider whether it is sufficient."
    )
    second = "Partners will report again in the spring, with the figures for the winter."
    html = (
        f"<h1>Winter plan</h1><p style='width: 9cm'>{first}</p><p style='width: 9cm'>{second}</p>"
    )
    paper = _processed_pdf(item, personas, weasyprint.HTML(string=html).write_pdf())
    # Wrapped lines read as the paragraphs they were, not one block broken at every line.
    assert "<br>" not in paper.html
    assert "<p>Winter plan</p>" in paper.html
    assert f"<p>{first}</p><p>{second}</p>" in paper.html


def test_part2_html_and_original_reach_only_those_entitled(world, client):
    people = world["people"]
    p2 = world["pub_p2"]
    assert p2.item.title == SECRET_TITLE
    pending = services.replace_paper(
        paper=p2,
        by=people["secretariat"],
        uploaded=_file("v.pdf", make_pdf("Valuation", "PART2-HTML-SECRET", 1)),
    )
    p2 = processed(pending)
    _dispatch(world["meeting"], people)
    read = reverse("meetings_public:paper_read", args=[p2.public_id])
    entitled = ["secretariat", "chair", "member", "invited_observer"]
    refused = ["anonymous", "observer", "attendee", "other_member", "other_secretariat"]
    for who in entitled:
        _login(client, people[who])
        resp = client.get(read)
        assert resp.status_code == 200, who
        assert "PART2-HTML-SECRET" in resp.text
        assert resp["Cache-Control"] == "private, no-store"
    for who in refused:
        _login(client, people.get(who))
        # Signed out: asked to sign in first (then sent on); signed in but not entitled: 404.
        refused_status = 302 if who == "anonymous" else 404
        resp = client.get(read)
        assert resp.status_code == refused_status, who
        assert "PART2-HTML-SECRET" not in resp.text
        # A PDF paper has no separate original either way.
        assert (
            client.get(reverse("meetings_public:paper_original", args=[p2.public_id])).status_code
            == refused_status
        )


# ---------------------------------------------------------------- the pack waits


def test_dispatch_waits_for_papers_still_processing(meeting, people, item):
    pending = services.upload_paper(
        item=item, by=people["secretariat"], uploaded=_file("p.pdf", pdf_bytes()), title="Late one"
    )
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    agenda.refresh_from_db()
    with pytest.raises(AgendaError, match="Still being processed: 'Late one'"):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    processed(pending)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def test_builder_polls_while_a_paper_is_processing(item, personas, client):
    pending = services.upload_paper(
        item=item, by=personas["secretariat"], uploaded=_file("p.pdf", pdf_bytes()), title="Poll"
    )
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("agenda:item_papers", args=[item.pk])
    cell = client.get(url)
    assert "Processing" in cell.text and f'data-hx-get="{url}"' in cell.text
    assert 'data-hx-trigger="every' in cell.text
    processed(pending)
    cell = client.get(url)
    assert "Processing" not in cell.text and "data-hx-trigger" not in cell.text
    assert "Poll" in cell.text
