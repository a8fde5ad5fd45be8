"""Benchmark of reading a paper's text (search and the reader's web version): PDFium, which the
worker and the reader use (`icp_secretariat/lib/pdf_text.py`), beside pypdf's extractor, which
they used before, on the same files in one run.

Renders papers of 3, 40 and 200 pages of dense prose with WeasyPrint (about 450 words a page),
then prints for each the median of --runs reads by each engine, and whether both read the same
words in the same order.

    .venv/bin/python benchmarks/pdf_text.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from icp_secretariat.lib.pdf_text import page_texts  # noqa: E402

SENTENCE = (
    "The partnership's Integrated Care Strategy sets out shared outcomes for the population, "
    "and this paper summarises progress against each priority, the risks to delivery and the "
    "actions proposed by partners. "
)


def paper(pages: int) -> bytes:
    body = "".join(
        f"<section style='break-after: page'><h2>Section {n}</h2><p>{SENTENCE * 14}</p>"
        f"<p>{SENTENCE * 1}</p></section>"
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html lang='en'><body>{body}</body></html>").write_pdf()


def pypdf_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def median_s(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| pages | words | pypdf | PDFium | faster | same words |")
    print("|---|---|---|---|---|---|")
    for pages in (3, 40, 200):
        data = paper(pages)
        old = pypdf_texts(data)
        new = page_texts(data, max_chars=10**9)
        words_old = re.findall(r"\w+", " ".join(old))
        words_new = re.findall(r"\w+", " ".join(new))
        runs = max(1, args.runs if pages < 200 else args.runs // 2)
        t_old = median_s(lambda d=data: pypdf_texts(d), runs)
        t_new = median_s(lambda d=data: page_texts(d, max_chars=10**9), runs)
        print(
            f"| {pages} | {len(words_new):,} | {t_old * 1000:.0f} ms | {t_new * 1000:.1f} ms "
            f"| {t_old / t_new:.0f}x | {'yes' if words_old == words_new else 'NO'} |"
        )


if __name__ == "__main__":
    main()
