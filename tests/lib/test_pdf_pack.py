"""The agenda pack read back with pypdf: pages, contents, bookmarks, stamps, Part 2 secrecy."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader, PdfWriter

from icp_secretariat.lib.pdf import (
    ItemInput,
    PaperInput,
    PaperUnreadable,
    build_pack,
    pack_fingerprint,
    write_pack,
)

from .conftest import SECRET_PHRASES

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def members(members_pack):
    buffer = io.BytesIO()
    layout = write_pack(members_pack, buffer)
    return layout, PdfReader(io.BytesIO(buffer.getvalue()))


@pytest.fixture(scope="module")
def public(members_pack):
    # The caller hands over Part 2 papers too: the renderer must drop them itself.
    pack = dataclasses.replace(members_pack, audience="public")
    buffer = io.BytesIO()
    layout = write_pack(pack, buffer)
    return layout, PdfReader(io.BytesIO(buffer.getvalue()))


def texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def pages_of(path) -> int:
    return len(PdfReader(path).pages)


def contents_numbers(reader: PdfReader, front_pages: int) -> dict[str, int]:
    """`title -> page` from the contents lines ("Finance report 7") of the front matter."""
    found: dict[str, int] = {}
    for text in texts(reader)[1:front_pages]:
        if "Contents" not in text:
            continue
        for line in text.splitlines():
            match = re.match(r"^\s*(?:\d+\s+)?(.+?)\s+(\d+)\s*$", line)
            if match:
                found.setdefault(match.group(1).strip(), int(match.group(2)))
    return found


def test_page_count_is_front_matter_plus_every_paper(members, members_pack):
    layout, reader = members
    paper_pages = sum(pages_of(p.path) for item in members_pack.items for p in item.papers)
    assert layout.front_pages >= 2  # cover + agenda
    assert len(reader.pages) == layout.front_pages + paper_pages == layout.total_pages


def test_contents_page_numbers_point_at_the_papers_first_pages(members):
    layout, reader = members
    numbers = contents_numbers(reader, layout.front_pages)
    all_text = texts(reader)
    phrases = {
        "Finance report": "ZEBRA-FINANCE page 1",
        "Quality report": "ZEBRA-QUALITY page 1",
        "Winter plan": "ZEBRA-WINTER page 1",
        "Contract award": "SECRET-OTTER-CONTRACT page 1",
        "Estates sale": "SECRET-HERON-ESTATES page 1",
    }
    for title, phrase in phrases.items():
        assert title in numbers, f"{title} missing from contents: {numbers}"
        assert phrase in all_text[numbers[title] - 1], title
        assert phrase not in all_text[numbers[title] - 2]
    # Items point at their place in the agenda.
    assert "Welcome and apologies" in all_text[numbers["Welcome and apologies"] - 1]
    assert layout.item_pages["1"] == numbers["Welcome and apologies"]


def test_contents_links_go_to_the_papers(members):
    layout, reader = members
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    targets = set()
    for page in reader.pages[: layout.front_pages]:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            dest = annot.get("/Dest")
            if isinstance(dest, list):
                targets.add(page_numbers[dest[0].idnum] + 1)
    assert {p.first_page for p in layout.papers} <= targets


def test_bookmarks_for_every_item_and_paper(members, members_pack):
    layout, reader = members
    outline = reader.outline
    flat = []
    for entry in outline:
        if isinstance(entry, list):
            flat.extend((e.title, reader.get_destination_page_number(e) + 1, True) for e in entry)
        else:
            flat.append((entry.title, reader.get_destination_page_number(entry) + 1, False))
    titles = {title: page for title, page, _ in flat}
    for item in members_pack.items:
        key = f"{item.number} {item.title}"
        assert key in titles, key
    for paper in layout.papers:
        assert titles[paper.title] == paper.first_page
    assert titles["2 Finance and quality"] == layout.papers[0].first_page
    assert titles["1 Welcome and apologies"] == layout.item_pages["1"]
    assert sum(1 for _, _, child in flat if child) == len(layout.papers)


def test_every_page_carries_its_pack_page_number(members):
    layout, reader = members
    for n, text in enumerate(texts(reader), start=1):
        assert f"Page {n} of {layout.total_pages}" in text, n


def test_part2_marking_only_on_part2_papers_of_members_pack(members):
    layout, reader = members
    all_text = texts(reader)
    secret = set()
    for paper in layout.papers:
        if paper.title in {"Contract award", "Estates sale", "Staff matter"}:
            secret |= set(range(paper.first_page, paper.first_page + paper.page_count))
    for n in range(layout.front_pages + 1, layout.total_pages + 1):
        marked = "Confidential – Part 2" in all_text[n - 1]
        assert marked == (n in secret), n


def test_public_pack_has_no_part2_text_and_no_confidential_paper(public):
    layout, reader = public
    everything = "\n".join(texts(reader))
    for phrase in [*SECRET_PHRASES, "SECRET-INLINE-BODY", "Otter Health", "Heron Road"]:
        assert phrase not in everything
    assert "Confidential – Part 2" not in everything
    # Part 2 items appear by description and ground.
    assert "Community services contract" in everything
    assert "Paragraph 3: information about financial or business affairs" in everything
    assert [p.title for p in layout.papers] == ["Finance report", "Quality report", "Winter plan"]


def test_public_pack_bookmarks_show_descriptions_not_titles(public):
    _, reader = public
    titles = [e.title for e in reader.outline if not isinstance(e, list)]
    assert "4 Community services contract" in titles
    assert not any("Otter" in t or "Heron" in t for t in titles)


def test_pack_metadata_title_language_and_tags(members):
    _, reader = members
    assert reader.metadata.title.startswith("Agenda pack: Meeting of the Partnership")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_fingerprint_is_stable_and_follows_paper_bytes(members_pack, tmp_path, papers):
    assert pack_fingerprint(members_pack) == pack_fingerprint(members_pack)
    copy = tmp_path / "finance.pdf"
    copy.write_bytes(papers["finance"].read_bytes())
    items = list(members_pack.items)
    items[1] = dataclasses.replace(
        items[1], papers=[PaperInput("Finance report", copy), *items[1].papers[1:]]
    )
    moved = dataclasses.replace(members_pack, items=items)
    assert pack_fingerprint(moved) == pack_fingerprint(members_pack)  # same bytes, new path
    writer = PdfWriter(clone_from=copy)
    writer.add_blank_page()
    writer.write(copy)
    assert pack_fingerprint(moved) != pack_fingerprint(members_pack)


def _pack_with(members_pack, paper: PaperInput):
    return dataclasses.replace(
        members_pack,
        items=[
            *members_pack.items,
            ItemInput(number="6", title="Any other business", papers=[paper]),
        ],
    )


@pytest.mark.parametrize("kind", ["truncated", "not_pdf", "encrypted", "missing"])
def test_unreadable_paper_is_named(members_pack, papers, tmp_path, kind):
    path = tmp_path / f"{kind}.pdf"
    if kind == "truncated":
        path.write_bytes(papers["finance"].read_bytes()[:400])
    elif kind == "not_pdf":
        path.write_bytes(b"PK\x03\x04 this is a Word document, not a PDF")
    elif kind == "encrypted":
        writer = PdfWriter(clone_from=papers["finance"])
        writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
        writer.write(path)
    with pytest.raises(PaperUnreadable) as caught:
        build_pack(_pack_with(members_pack, PaperInput("Broken budget paper", path)))
    assert caught.value.paper_title == "Broken budget paper"
    assert "Broken budget paper" in str(caught.value)


def test_paper_encrypted_without_user_password_is_accepted(members_pack, papers, tmp_path):
    # Owner-password-only PDFs (print/copy restrictions) are common and open without a password.
    path = tmp_path / "restricted.pdf"
    writer = PdfWriter(clone_from=papers["finance"])
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    writer.write(path)
    data = build_pack(_pack_with(members_pack, PaperInput("Restricted paper", path)))
    assert "ZEBRA-FINANCE page 3" in PdfReader(io.BytesIO(data)).pages[-1].extract_text()


def test_front_pages_hint_gives_the_same_pack(members_pack, members):
    layout, reader = members
    for hint in (2, layout.front_pages, layout.front_pages + 3):
        again = PdfReader(io.BytesIO(build_pack(members_pack, front_pages_hint=hint)))
        assert len(again.pages) == len(reader.pages)
        assert again.pages[1].extract_text() == reader.pages[1].extract_text()
