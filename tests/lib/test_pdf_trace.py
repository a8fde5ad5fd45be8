"""The download stamp of traceable Part 2 copies (issue 15, point 6), at the engine level:
an incremental update after the stored bytes for a classic file, a whole rewrite otherwise; the
text (any name, Unicode) extracts; upright along the left margin of turned pages too."""

from __future__ import annotations

import io
import re
import subprocess

import pikepdf
from pypdf import PdfReader

from icp_secretariat.lib import pdf_trace

TEXT = "Downloaded by Zoë Łukasz-O’Brien (zoe) on Sunday 6 December 2026 at 09:05 GMT."


def _texts(data: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_classic_file_gets_an_incremental_update_on_the_chosen_pages(papers, tmp_path):
    # Three pages with a classic cross-reference table, as the packs are saved.
    path = tmp_path / "classic.pdf"
    with pikepdf.open(papers["finance"]) as pdf:
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    stored = path.read_bytes()
    copy = pdf_trace.traced_copy(path, [0, 2], TEXT)
    data = copy.read()
    assert data.startswith(stored) and copy.prefix == len(stored)
    assert len(data) == copy.size
    texts = _texts(data)
    assert [TEXT in t for t in texts] == [True, False, True]
    assert all(f"ZEBRA-FINANCE page {n}" in texts[n - 1] for n in (1, 2, 3))
    with pikepdf.open(io.BytesIO(data)) as pdf:  # qpdf reads the update without repair
        assert len(pdf.pages) == 3
        assert pdf.check_pdf_syntax() == []
    assert path.read_bytes() == stored


def test_file_with_cross_reference_streams_is_rewritten_whole(papers, tmp_path):
    path = tmp_path / "xref-stream.pdf"
    with pikepdf.open(papers["quality"]) as pdf:
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    copy = pdf_trace.traced_copy(path, None, TEXT)
    assert copy.prefix == 0
    texts = _texts(copy.read())
    assert len(texts) == 2 and all(TEXT in t for t in texts)


def test_turned_pages_get_the_strip_along_the_left_edge_as_viewed(papers, tmp_path):
    out = tmp_path / "rotated.pdf"
    out.write_bytes(pdf_trace.traced_copy(papers["rotated"], None, TEXT).read())
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = bbox.split("<page ")[1:]
    assert len(pages) == 2
    for page in pages:
        found = re.search(r'<word xMin="([0-9.]+)"[^>]*>Downloaded</word>', page)
        assert found, page[:200]
        assert float(found.group(1)) < 25  # within the left margin of the page as shown


def test_no_pages_means_the_stored_bytes(papers):
    copy = pdf_trace.traced_copy(papers["plan"], [], TEXT)
    assert copy.read() == papers["plan"].read_bytes()
