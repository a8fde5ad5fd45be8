"""Packs that stay tagged (issue 15, point 3): the papers' structure trees survive the merge.

Tagged papers are made with WeasyPrint's PDF/UA-1 output (headings, a table, a link, several
pages); the pack is walked page by page: every page's /StructParents resolves in the parent
tree to structure elements on that page, every marked-content id drawn on the page is there,
and every element climbs by /P to the pack's structure tree root.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from icp_secretariat.lib.pdf import ItemInput, PackInput, PaperInput, build_pack, write_pack


def make_tagged_paper(path, title: str, phrase: str, pages: int):
    body = "".join(
        f'<section style="break-before: {"page" if n else "auto"}">'
        f"<h{1 if n == 0 else 2}>{title if n == 0 else f'{title}, part {n + 1}'}</h{1 if n == 0 else 2}>"
        f"<p>{phrase} page {n + 1}, with <a href='https://example.org/{n}'>a link</a>.</p>"
        "<table><tr><th scope='col'>Line</th><th scope='col'>Amount</th></tr>"
        f"<tr><td>Budget {n}</td><td>£{n}00</td></tr></table></section>"
        for n in range(pages)
    )
    html = f"<html lang='en-GB'><head><title>{title}</title></head><body>{body}</body></html>"
    weasyprint.HTML(string=html).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


@pytest.fixture(scope="module")
def tagged_papers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tagged")
    return {
        "budget": make_tagged_paper(folder / "budget.pdf", "Budget report", "TAG-BUDGET", 3),
        "plan": make_tagged_paper(folder / "plan.pdf", "Strategy plan", "TAG-PLAN", 2),
        "secret": make_tagged_paper(folder / "secret.pdf", "Land deal", "TAG-SECRET", 2),
    }


def _pack(papers, extra=()) -> PackInput:
    return PackInput(
        committee_name="Kent and Medway Integrated Care Partnership",
        meeting_title="Meeting of the Partnership",
        meeting_date=dt.date(2026, 5, 12),
        meeting_time="10:00 to 12:30",
        venue="Council Chamber, Sessions House, Maidstone",
        audience="members",
        items=[
            ItemInput(
                number="1",
                title="Budget and strategy",
                papers=[
                    PaperInput("Budget report", papers["budget"]),
                    PaperInput("Strategy plan", papers["plan"]),
                    *extra,
                ],
            ),
            ItemInput(
                number="2",
                title="Land deal",
                part=2,
                public_description="A land deal",
                ground="Paragraph 3",
                papers=[PaperInput("Land deal", papers["secret"], confidential=True)],
            ),
        ],
    )


def _nums(tree) -> dict[int, object]:
    """The parent tree as a dict (flat /Nums or one level of /Kids)."""
    out: dict[int, object] = {}
    nodes = [tree.ParentTree]
    while nodes:
        node = nodes.pop()
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums), 2):
                out[int(nums[i])] = nums[i + 1]
        nodes.extend(node.get("/Kids", []))
    return out


def _mcids(page) -> set[int]:
    found = set()
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) == 2:
            props = operands[1]
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                found.add(int(props.MCID))
    return found


def _reaches_root(element, root) -> bool:
    node = element
    for _ in range(200):
        parent = node.get("/P")
        if parent is None:
            return False
        if parent.objgen == root.objgen:
            return True
        node = parent
    return False


def _walk_every_page(pdf: pikepdf.Pdf) -> None:
    tree = pdf.Root.StructTreeRoot
    nums = _nums(tree)
    for number, page in enumerate(pdf.pages, start=1):
        assert "/StructParents" in page.obj, f"page {number} is not in the structure tree"
        entry = nums[int(page.obj.StructParents)]
        assert isinstance(entry, pikepdf.Array), f"page {number}"
        elements = [e for e in entry if isinstance(e, pikepdf.Dictionary)]
        assert elements, f"page {number} has no structure elements"
        for mcid in _mcids(page):
            assert mcid < len(entry) and isinstance(entry[mcid], pikepdf.Dictionary), (
                f"page {number}: marked content {mcid} has no structure element"
            )
        for element in elements:
            on_page = element.get("/Pg")
            mcr_pages = [
                k.Pg
                for k in (element.K if isinstance(element.K, pikepdf.Array) else [element.K])
                if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"
            ]
            assert (on_page is not None and on_page.objgen == page.obj.objgen) or any(
                p.objgen == page.obj.objgen for p in mcr_pages
            ), f"page {number}: an element of its parent tree entry is on another page"
            assert _reaches_root(element, tree), f"page {number}: element outside the tree"
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                owner = nums[int(annot.StructParent)]
                assert _reaches_root(owner, tree)


def _elements(tree):
    stack = list(tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K])
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])


def test_pack_of_tagged_papers_is_tagged_on_every_page(tagged_papers, tmp_path):
    out = tmp_path / "pack.pdf"
    with open(out, "wb") as fh:
        layout = write_pack(_pack(tagged_papers), fh)
    assert layout.tagged
    assert all(p.tagged for p in layout.papers)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == layout.total_pages
        _walk_every_page(pdf)
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        tree = pdf.Root.StructTreeRoot
        parts = {str(e.T): e for e in _elements(tree) if e.S == "/Part" and "/T" in e}
        assert {"Budget report", "Strategy plan", "Land deal"} <= set(parts)
        headings = [e for e in _elements(parts["Budget report"]) if e.S in ("/H1", "/H2")]
        assert len(headings) == 3
        tables = [e for e in _elements(parts["Budget report"]) if e.S == "/Table"]
        assert len(tables) == 3
        links = [e for e in _elements(parts["Budget report"]) if e.S == "/Link"]
        assert links and all(
            any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" for k in e.K)
            for e in links
        )


def test_stamps_are_artifacts_and_extract_as_text(tagged_papers, tmp_path):
    out = tmp_path / "pack.pdf"
    out.write_bytes(build_pack(_pack(tagged_papers)))
    with pikepdf.open(out) as pdf:
        total = len(pdf.pages)
        last = pdf.pages[-1]
        text = b"".join(
            pikepdf.unparse_content_stream([(o, op)])
            for o, op in pikepdf.parse_content_stream(last)
        )
        assert b"/Artifact" in text and b"/Pagination" in text
        fonts = last.obj.Resources.Font
        for key in ("/ICPStampR", "/ICPStampB"):
            assert "/ToUnicode" in fonts[key]
    for page in (1, total):
        extracted = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"Page {page} of {total}" in extracted
    extracted = subprocess.run(
        ["pdftotext", "-f", str(total), "-l", str(total), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Confidential – Part 2" in extracted
    assert "TAG-SECRET page 2" in extracted


def test_an_untagged_paper_drops_the_ua_claim_and_is_named(tagged_papers, papers, tmp_path):
    pack = _pack(tagged_papers, extra=[PaperInput("Scanned letter", papers["finance"])])
    out = tmp_path / "pack.pdf"
    with open(out, "wb") as fh:
        layout = write_pack(pack, fh)
    assert not layout.tagged
    assert [p.title for p in layout.papers if not p.tagged] == ["Scanned letter"]
    assert dataclasses.asdict(layout)["papers"][2]["tagged"] is False
    with pikepdf.open(out) as pdf:
        assert "pdfuaid:part" not in pdf.open_metadata()
        # The tagged papers are still in the tree; the untagged pages are simply not.
        scanned = next(p for p in layout.papers if p.title == "Scanned letter")
        for index in range(scanned.first_page - 1, scanned.first_page - 1 + scanned.page_count):
            assert "/StructParents" not in pdf.pages[index].obj
        budget = layout.papers[0]
        assert "/StructParents" in pdf.pages[budget.first_page - 1].obj


def test_papers_confidential_flag_in_layout(tagged_papers):
    layout_io = io.BytesIO()
    layout = write_pack(_pack(tagged_papers), layout_io)
    assert [p.confidential for p in layout.papers] == [False, False, True]


@pytest.mark.slow
def test_pack_of_libreoffice_tagged_papers_is_tagged_on_every_page(tagged_papers, tmp_path):
    """A paper converted by LibreOffice (headless, tagged PDF export) keeps its tags in a pack."""
    source = Path(__file__).resolve().parent.parent / "data" / "papers" / "converted_paper.fodt"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=240,
        check=True,
    )
    converted = tmp_path / "converted_paper.pdf"
    assert converted.exists()
    pack = _pack(tagged_papers, extra=[PaperInput("Converted report", converted)])
    out = tmp_path / "pack.pdf"
    with open(out, "wb") as fh:
        layout = write_pack(pack, fh)
    assert layout.tagged, [p.title for p in layout.papers if not p.tagged]
    with pikepdf.open(out) as pdf:
        _walk_every_page(pdf)
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        tree = pdf.Root.StructTreeRoot
        part = next(e for e in _elements(tree) if e.get("/T") == "Converted report")
        roles = tree.get("/RoleMap", pikepdf.Dictionary())
        kinds = {str(roles.get(e.S, e.S)) for e in _elements(part)}
        assert {"/H1", "/H2", "/Table"} <= kinds or {"/H1", "/Table"} <= kinds
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "LO-PHRASE page two" in text
