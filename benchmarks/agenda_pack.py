"""Benchmark of the agenda pack: 40 items, 120 five-page papers (600 pages of papers).

Prints the median pack build time (3 runs), the raw pypdf merge of the same papers for
comparison, the agenda render time, the time to fingerprint an unchanged pack (what a rebuild
check costs), peak memory (RSS of a fresh process doing one build), the output size, and the
time to serve the unchanged, published pack through the Django view (warm; full body and 304).

    .venv/bin/python benchmarks/agenda_pack.py [--papers-dir DIR]

Aim (issue 5): pack <= 2 x raw merge + agenda render, under 10 s, under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.settings")

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

from pypdf import PdfReader, PdfWriter  # noqa: E402

from icp_secretariat.lib import pdf  # noqa: E402

ITEMS = 40
PAPERS = 120
PAGES_PER_PAPER = 5


def make_papers(folder: Path) -> list[Path]:
    """120 five-page papers: one WeasyPrint render split into files (each keeps its fonts)."""
    paths = [folder / f"paper-{n:03}.pdf" for n in range(PAPERS)]
    if all(p.exists() for p in paths):
        return paths
    import weasyprint

    pages = []
    for n in range(PAPERS):
        for page in range(PAGES_PER_PAPER):
            paragraphs = "".join(
                f"<p>Paper {n} page {page + 1} paragraph {k}: the partnership notes the "
                "position on urgent and emergency care, discharge, and the winter plan, and "
                "asks officers to report back with costed options.</p>"
                for k in range(12)
            )
            pages.append(
                f'<section style="break-after: page"><h1>Paper {n}: report {n}</h1>'
                f"{paragraphs}</section>"
            )
    data = weasyprint.HTML(string="".join(pages)).write_pdf()
    reader = PdfReader(io.BytesIO(data))
    for n, path in enumerate(paths):
        writer = PdfWriter()
        for page in reader.pages[n * PAGES_PER_PAPER : (n + 1) * PAGES_PER_PAPER]:
            writer.add_page(page)
        writer.write(path)
    return paths


def make_pack(paths: list[Path], audience: str = "members") -> pdf.PackInput:
    items = []
    per_item = PAPERS // ITEMS
    for i in range(ITEMS):
        part = 2 if i >= ITEMS - 4 else 1
        items.append(
            pdf.ItemInput(
                number=str(i + 1),
                title=f"Item {i + 1}: performance, quality and finance report for the quarter",
                part=part,
                purpose="For decision",
                presenter="Director of Strategy",
                timing=f"{10 + i // 6}:{(i % 6) * 10:02}",
                public_description=f"Contract matter {i + 1}",
                ground="Paragraph 3: commercial information",
                papers=[
                    pdf.PaperInput(
                        title=f"Report {i * per_item + k + 1}",
                        path=paths[i * per_item + k],
                        confidential=part == 2,
                    )
                    for k in range(per_item)
                ],
            )
        )
    return pdf.PackInput(
        committee_name="Kent and Medway Integrated Care Partnership",
        meeting_title="Meeting of the Partnership",
        meeting_date=dt.date(2026, 5, 12),
        meeting_time="10:00 to 13:00",
        venue="Council Chamber, Sessions House, Maidstone",
        audience=audience,
        items=items,
    )


def raw_merge(paths: list[Path], out: Path) -> None:
    writer = PdfWriter()
    for path in paths:
        writer.append(path)
    with out.open("wb") as fh:
        writer.write(fh)


def child(mode: str, folder: Path) -> None:
    """One measurement in a fresh process, so its peak RSS is its own."""
    if mode == "serve":
        print(json.dumps(serve(folder)))
        return
    paths = make_papers(folder)
    out = folder / f"out-{mode}.pdf"
    start = time.perf_counter()
    if mode == "merge":
        raw_merge(paths, out)
    elif mode == "agenda":
        pdf.render_agenda_pdf(make_pack(paths))
    elif mode == "front":
        # The pack's own WeasyPrint part (cover, contents with pack page numbers, agenda): the
        # "agenda render" of the budget. Uses the engine's internals on purpose.
        pack = make_pack(paths)
        entries = pdf._entries(pack)
        pages = {id(p): len(pdf._probe(p.input)) for e in entries for p in e.papers}
        pdf._write(pdf._render_front(pack, entries, pages, sum(pages.values()), None))
    elif mode == "build":
        with out.open("wb") as fh:
            pdf.write_pack(make_pack(paths), fh)
    elif mode == "fingerprint":
        pdf.pack_fingerprint(make_pack(paths))
    seconds = time.perf_counter() - start
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = out.stat().st_size if out.exists() else 0
    print(json.dumps({"seconds": seconds, "maxrss_mb": maxrss_mb, "size": size}))


def serve(folder: Path) -> dict:
    """Publish the built pack for a dispatched meeting in a scratch SQLite database, then time
    GETs of its versioned URL through the real view (access checks, FileResponse) with the test
    client: the whole body, and a revalidation answered 304 by the ETag."""
    import shutil

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from committees.models import Committee, CommitteeRules
    from documents.models import PublishedDocument
    from meetings.models import Agenda, Meeting

    call_command("migrate", verbosity=0)
    pack = folder / "out-build.pdf"
    if not pack.exists():
        with pack.open("wb") as fh:
            pdf.write_pack(make_pack(make_papers(folder)), fh)
    committee = Committee.objects.create(name="Bench ICP", slug="bench-icp")
    CommitteeRules.objects.create(committee=committee)
    meeting = Meeting.objects.create(
        committee=committee, date=dt.date(2026, 5, 12), start_time=dt.time(10)
    )
    Agenda.objects.create(meeting=meeting, state="dispatched", dispatched_at=timezone.now())
    target = Path(os.environ["PRIVATE_MEDIA_ROOT"]) / "documents" / "bench.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pack, target)
    doc = PublishedDocument.objects.create(
        meeting=meeting,
        kind="pack",
        audience="public",
        version=1,
        content_hash="b" * 64,
        storage_name="documents/bench.pdf",
        page_count=len(PdfReader(target).pages),
        size=target.stat().st_size,
    )
    url = f"/meetings/{meeting.pk}/documents/{doc.file_name}"
    client = Client(HTTP_HOST="localhost")

    def get(**headers) -> tuple[float, int, int]:
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return time.perf_counter() - start, len(body), response.status_code

    get()  # warm: imports, URL resolver, template-free view, page cache
    full = [get() for _ in range(20)]
    assert all(status == 200 and n == doc.size for _, n, status in full), full[:1]
    revalidate = [get(**{"if-none-match": f'"{doc.content_hash}"'}) for _ in range(20)]
    assert all(status == 304 for _, _, status in revalidate)
    return {
        "seconds": statistics.median(t for t, _, _ in full),
        "seconds_304": statistics.median(t for t, _, _ in revalidate),
        "size": doc.size,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(mode: str, folder: Path) -> dict:
    env = dict(os.environ)
    if mode == "serve":
        scratch = Path(tempfile.mkdtemp(prefix="serve-", dir=folder))
        env |= {
            "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
            "PRIVATE_MEDIA_ROOT": str(scratch / "private"),
            "REDIS_URL": "",
            "DEBUG": "true",
        }
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--papers-dir", str(folder)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers-dir", type=Path)
    parser.add_argument("--child")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.papers_dir)
        return
    folder = args.papers_dir or Path(tempfile.mkdtemp(prefix="agenda-pack-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    make_papers(folder)
    print(
        f"papers: {PAPERS} x {PAGES_PER_PAPER} pages in {folder} ({time.perf_counter() - start:.1f} s)"
    )

    def median(mode: str) -> tuple[float, list[dict]]:
        results = [run(mode, folder) for _ in range(args.runs)]
        return statistics.median(r["seconds"] for r in results), results

    merge_s, _ = median("merge")
    agenda_s, _ = median("agenda")
    front_s, _ = median("front")
    build_s, builds = median("build")
    fingerprint_s, _ = median("fingerprint")
    peak = max(r["maxrss_mb"] for r in builds)
    size = builds[-1]["size"] / 1e6
    budget = 2 * merge_s + front_s
    print(f"raw pypdf merge (median of {args.runs}):  {merge_s:6.2f} s")
    print(f"agenda PDF alone (median):          {agenda_s:6.2f} s")
    print(f"pack front matter render (median):  {front_s:6.2f} s  (cover + contents + agenda)")
    print(f"pack build (median of {args.runs}):        {build_s:6.2f} s")
    print(
        f"  budget 2 x merge + front:          {budget:6.2f} s -> {'OK' if build_s <= budget else 'OVER'}"
    )
    print(f"  under 10 s:                        {'OK' if build_s < 10 else 'OVER'}")
    print(f"fingerprint of unchanged pack:       {fingerprint_s * 1000:6.1f} ms")
    print(
        f"peak RSS of a build process:         {peak:6.0f} MB -> {'OK' if peak < 500 else 'OVER'}"
    )
    print(f"pack size:                           {size:6.1f} MB")
    served = run("serve", folder)
    print(
        f"serve unchanged pack via Django view: {served['seconds'] * 1000:6.1f} ms "
        f"(median of 20, warm, {served['size'] / 1e6:.1f} MB body); "
        f"304 revalidation {served['seconds_304'] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
