"""A PDF's text page by page (icp_secretariat/lib/pdf_text.py): what search stores for a paper
and the reader shows, read with PDFium."""

from __future__ import annotations

import io
import threading

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import HTML

from icp_secretariat.lib.pdf_text import page_texts


def _pdf(marker: str, pages: int, words: int = 12) -> bytes:
    sections = "".join(
        f"<section style='break-after: page'><h1>{marker} page {n}</h1>"
        f"<p style='width: 8cm; text-align: justify'>{' '.join(['Partnership'] * words)} "
        f"“£2.5m” — naïve ﬁnal {marker}-{n}</p></section>"
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html lang='en'><body>{sections}</body></html>").write_pdf()


@pytest.fixture(scope="module")
def pdfs() -> list[bytes]:
    return [_pdf(f"DOC{k}", pages=2 + k % 3) for k in range(6)]


def test_each_page_gives_its_own_text_in_order_with_plain_line_ends():
    pages = page_texts(_pdf("ORCA", 3), max_chars=100_000)
    assert len(pages) == 3
    for n, text in enumerate(pages, start=1):
        assert f"ORCA page {n}" in text and f"ORCA-{n}" in text
        assert not any(f"ORCA-{other}" in text for other in {1, 2, 3} - {n})
        # Non-ASCII and a ligature read as the characters a search would be typed with.
        assert "“£2.5m” — naïve final" in text
        assert "\r" not in text and "\x00" not in text
        # Justified lines read with one space between words, not the stretched gaps.
        assert "Partnership Partnership" in text and "  " not in text


def test_reading_stops_after_the_page_that_passes_the_limit():
    data = _pdf("LIMIT", 5, words=40)
    every = page_texts(data, max_chars=10**6)
    assert len(every) == 5
    limit = len(every[0]) + 1  # passed by the second page
    assert page_texts(data, max_chars=limit) == every[:2]


def test_text_drawn_outside_the_page_is_not_read():
    # Search and the web version hold what a reader of the PDF sees: words an author moved off
    # the page to hide them (pypdf read them) are neither indexed nor shown in a headline.
    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    content = DecodedStreamObject()
    content.set_data(
        b"BT /F1 12 Tf 20 150 Td (SHOWN) Tj ET BT /F1 12 Tf -900 150 Td (HIDDEN) Tj ET"
    )
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "HIDDEN" in PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert page_texts(buffer.getvalue(), max_chars=1000) == ["SHOWN"]


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\nnot really a PDF", b"plain text"])
def test_a_file_pdfium_cannot_open_gives_no_pages_rather_than_an_error(data):
    assert page_texts(data, max_chars=1000) == []


def test_threads_reading_at_once_each_get_their_own_files_text(pdfs):
    # PDFium keeps global state: without the module's lock, threads of one web process reading
    # at once get other files' text or "Data format error" (seen: 171 of 240 reads wrong).
    expected = [page_texts(data, max_chars=10**6) for data in pdfs]
    wrong: list[int] = []

    def read(start: int) -> None:
        for i in range(30):
            k = (start + i) % len(pdfs)
            if page_texts(pdfs[k], max_chars=10**6) != expected[k]:
                wrong.append(k)

    threads = [threading.Thread(target=read, args=(s,)) for s in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
