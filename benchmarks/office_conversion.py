"""Benchmark of office paper processing (issue 15): LibreOffice headless conversion to tagged PDF.

Builds Word papers of about 1, 10 and 40 pages with python-docx (headings, a table per section,
paragraphs), then for each prints the LibreOffice conversion time (private profile per call, as
the worker runs it: the cold start is included), the time per page, the mammoth HTML time, and
the rest of the worker's processing (defusing, page count, text). Also the hostile-PDF check
and text extraction of a 2,001-page PDF, which used to run inside the upload request.

    .venv/bin/python benchmarks/office_conversion.py [--runs 2]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.settings")

import django  # noqa: E402

django.setup()

from meetings.agenda import office  # noqa: E402
from meetings.agenda import papers as paper_files  # noqa: E402


def word_doc(sections: int) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_heading("Benchmark paper", level=1)
    for s in range(sections):
        doc.add_heading(f"Section {s + 1}", level=2)
        for _ in range(4):
            doc.add_paragraph(
                "The partnership notes the pressures on adult social care and agrees the "
                "actions set out below, to be reported at the next meeting. " * 4
            )
        table = doc.add_table(rows=6, cols=3)
        for r in range(6):
            for c in range(3):
                table.cell(r, c).text = f"R{r}C{c}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def big_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    w = PdfWriter()
    for n in range(pages):
        page = w.add_blank_page(595, 842)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td (Page {n + 1} of the big paper) Tj ET".encode())
        page[NameObject("/Contents")] = w._add_object(stream)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(f"LibreOffice: {office.soffice_binary()}")
    print(f"{'paper':>14} {'pages':>5} {'convert s':>9} {'s/page':>7} {'html s':>7} {'rest s':>7}")
    for sections in (1, 10, 40):
        data = word_doc(sections)
        times, pages = [], 0
        pdf = b""
        for _ in range(args.runs):
            t0 = time.perf_counter()
            pdf = office.convert_to_pdf(data, "docx")
            times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        office.docx_to_html(data)
        html_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        pdf, _ = paper_files.defuse_pdf(pdf)
        facts = paper_files.inspect_pdf(pdf, max_bytes=len(pdf))
        office.pdf_pages_to_html(list(facts.pages))
        rest_s = time.perf_counter() - t0
        pages = facts.page_count
        conv = statistics.median(times)
        print(
            f"{f'{sections} sections':>14} {pages:>5} {conv:>9.2f} {conv / pages:>7.3f} "
            f"{html_s:>7.3f} {rest_s:>7.3f}"
        )
    data = big_pdf(2001)
    t0 = time.perf_counter()
    paper_files.check_pdf(data, max_bytes=len(data))
    check_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    defused, _ = paper_files.defuse_pdf(data)
    facts = paper_files.inspect_pdf(defused, max_bytes=len(defused))
    office.pdf_pages_to_html(list(facts.pages))
    worker_s = time.perf_counter() - t0
    print(
        f"2,001-page PDF: upload request check {check_s:.3f} s; worker (defuse, count, text, "
        f"HTML) {worker_s:.2f} s"
    )


if __name__ == "__main__":
    main()
