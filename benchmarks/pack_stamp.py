"""Benchmark of traceable Part 2 copies: stamping a 600-page members' pack at download.

Side by side in one run, on the same 120 five-page papers as benchmarks/agenda_pack.py:
the raw pypdf merge of the 600 pages (what the issue compares against), and the download stamp
of a built members' pack whose every paper is Part 2 (600 stamped pages, the worst case) and of
the agenda_pack benchmark's own members' pack (4 Part 2 items). Medians of 5 runs; the first
stamp of a new text (overlay rendered) and a repeat (overlay cached) separately. Each stamped
copy is read back with pypdf to check its page count and the name on a stamped page.

    .venv/bin/python benchmarks/pack_stamp.py [--papers-dir DIR]

Aim (issue 15): the stamp takes no longer than the raw merge.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import agenda_pack  # noqa: E402  (sets up Django)
from pypdf import PdfReader  # noqa: E402

from icp_secretariat.lib import pdf, pdf_trace  # noqa: E402

RUNS = 5


def median_time(fn) -> float:
    times = []
    for n in range(RUNS):
        start = time.perf_counter()
        fn(n)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def all_part2(pack: pdf.PackInput) -> pdf.PackInput:
    items = [
        dataclasses.replace(
            item,
            part=2,
            papers=[dataclasses.replace(p, confidential=True) for p in item.papers],
        )
        for item in pack.items
    ]
    return dataclasses.replace(pack, items=items)


def part2_pages(layout: pdf.PackLayout) -> list[int]:
    return [
        i
        for p in layout.papers
        if p.confidential
        for i in range(p.first_page - 1, p.first_page - 1 + p.page_count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers-dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.papers_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        paths = agenda_pack.make_papers(folder)
        merged = Path(tmp) / "raw.pdf"
        raw = median_time(lambda n: agenda_pack.raw_merge(paths, merged))
        print(f"raw pypdf merge of {len(paths)} papers ({len(paths) * 5} pages): {raw:.2f} s")

        for label, pack in (
            ("every paper Part 2", all_part2(agenda_pack.make_pack(paths))),
            ("agenda_pack's members' pack", agenda_pack.make_pack(paths)),
        ):
            out = Path(tmp) / "pack.pdf"
            with out.open("wb") as fh:
                layout = pdf.write_pack(pack, fh)
            pages = part2_pages(layout)
            texts = [f"Downloaded by Reader {n} (reader{n}) on a day" for n in range(RUNS)]

            def stamp_new(n: int, pages=pages, out=out, texts=texts) -> None:
                pdf_trace.traced_copy(out, pages, texts[n]).read()

            def stamp_cached(n: int, pages=pages, out=out, texts=texts) -> None:
                pdf_trace.traced_copy(out, pages, texts[0]).read()

            cold = median_time(stamp_new)
            warm = median_time(stamp_cached)
            copy = pdf_trace.traced_copy(out, pages, texts[0])
            reader = PdfReader(io.BytesIO(copy.read()))
            assert len(reader.pages) == layout.total_pages
            if pages:
                assert "Reader 0" in reader.pages[pages[-1]].extract_text()
            size = out.stat().st_size
            print(
                f"{label}: {layout.total_pages} pages, {len(pages)} stamped; "
                f"stamp {cold:.3f} s (new text), {warm:.3f} s (overlay cached); "
                f"{size / 1e6:.1f} MB + {len(copy.data) / 1e3:.0f} kB update; "
                f"stamp / raw merge = {cold / raw:.2f}"
            )


if __name__ == "__main__":
    main()
