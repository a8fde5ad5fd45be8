"""PDF rendering of the published documents: agenda, agenda pack, minutes, decision notices.

Pure functions over plain dataclasses, so the engine knows nothing of the database: a task
builds the inputs from the models, calls a function here and stores the bytes. WeasyPrint
renders the HTML templates under `templates/pdf/` with `static/css/print.css`; pypdf joins the
agenda and the papers into one pack with bookmarks and pack page numbers on every page.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Literal

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)
from weasyprint.text.fonts import FontConfiguration

Audience = Literal["public", "members"]

# Tagged PDF (structure tree, /MarkInfo, /Lang, XMP with the PDF/UA identifier). Measured on
# WeasyPrint 70: it works with our templates and costs little; see the benchmark.
PDF_OPTIONS: dict[str, object] = {"pdf_variant": "pdf/ua-1"}

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"

# Contents entries for papers point at pack pages outside the WeasyPrint document; they are
# rendered as links to this placeholder and rewritten into page destinations when merged.
_PAGE_LINK = "https://pack-page.invalid/"
_STAMP_NAME = NameObject("/ICPPackStamp")


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class PaperInput:
    """One paper of an item: a PDF on disk."""

    title: str
    path: Path
    confidential: bool = False
    note: str = ""  # "Late paper: reason" / "Revised 3 May 2026: reason"


@dataclass(frozen=True)
class ItemInput:
    """One agenda item. Part 2 items are shown to the public by description and ground only."""

    number: str
    title: str
    part: int = 1
    purpose: str = ""
    presenter: str = ""
    timing: str = ""
    public_description: str = ""
    ground: str = ""
    papers: list[PaperInput] = field(default_factory=list)
    # Extra trusted HTML (built by our own templates) shown inline, e.g. the register of
    # interests table. Never rendered for a Part 2 item in the public audience.
    body_html: str = ""


@dataclass(frozen=True)
class PackInput:
    """Everything the agenda and the agenda pack show."""

    committee_name: str
    meeting_title: str
    meeting_date: dt.date
    meeting_time: str
    venue: str
    audience: Audience
    language: str = "en-GB"
    items: list[ItemInput] = field(default_factory=list)


@dataclass(frozen=True)
class SectionInput:
    """One section of minutes or of a decision notice: a heading and trusted HTML."""

    heading: str
    html: str


@dataclass(frozen=True)
class DocumentInput:
    """Minutes or a decision notice."""

    title: str
    committee_name: str
    meeting_date: dt.date
    sections: list[SectionInput] = field(default_factory=list)
    meeting_title: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)  # extra (label, value) rows
    draft: bool = False
    language: str = "en-GB"


@dataclass(frozen=True)
class PackPaper:
    """Where one paper sits in a built pack (1-based pack page numbers)."""

    item_number: str
    title: str
    first_page: int
    page_count: int


@dataclass(frozen=True)
class PackLayout:
    """The page plan of a built pack, so the web page can quote the same page numbers."""

    front_pages: int
    total_pages: int
    item_pages: dict[str, int]  # item number -> pack page of the item in the agenda
    papers: list[PackPaper]


class PdfError(Exception):
    """A document cannot be built; the message says what to do."""


class PaperUnreadable(PdfError):
    """A paper is not a readable PDF (missing, truncated, password-protected, not a PDF)."""

    def __init__(self, paper_title: str, reason: str) -> None:
        self.paper_title = paper_title
        self.reason = reason
        super().__init__(
            f"The paper “{paper_title}” cannot be read: {reason}. "
            "Upload a readable PDF of it and build the pack again."
        )


# ---------------------------------------------------------------------------------------------
# Rendering helpers


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> weasyprint.CSS:
    return weasyprint.CSS(filename=str(PRINT_CSS), font_config=_font_config())


def _render(html: str, *, extra_css: str = "") -> weasyprint.Document:
    stylesheets = [_stylesheet()]
    if extra_css:
        stylesheets.append(weasyprint.CSS(string=extra_css, font_config=_font_config()))
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=stylesheets, font_config=_font_config(), **PDF_OPTIONS
    )


def _write(document: weasyprint.Document) -> bytes:
    return document.write_pdf(**PDF_OPTIONS)


def format_date(day: dt.date) -> str:
    """`Tuesday 12 May 2026`, independent of the process locale."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _base_context(
    *, committee_name: str, day: dt.date, language: str, title: str, kind: str
) -> dict[str, object]:
    return {
        "committee_name": committee_name,
        "date_text": format_date(day),
        "language": language,
        "document_title": title,
        "document_kind": kind,
        "document_description": f"{title}, {committee_name}, {format_date(day)}",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


# ---------------------------------------------------------------------------------------------
# Agenda


@dataclass
class _PaperEntry:
    input: PaperInput
    page: int | None = None
    link: str = ""


@dataclass
class _ItemEntry:
    item: ItemInput
    anchor: str
    heading: str
    redacted: bool
    papers: list[_PaperEntry]
    body_html: str


def _entries(pack: PackInput) -> list[_ItemEntry]:
    """The items as this audience may see them.

    Defence in depth: whatever the caller passed, a public reader never gets a Part 2 item's
    title, details, inline HTML or papers, nor any paper marked confidential.
    """
    if pack.audience not in ("public", "members"):
        raise ValueError(f"audience must be 'public' or 'members', not {pack.audience!r}")
    public = pack.audience == "public"
    entries = []
    for index, item in enumerate(pack.items):
        anchor = str(index + 1)
        if public and item.part == 2:
            entries.append(
                _ItemEntry(
                    item=ItemInput(
                        number=item.number,
                        title="",
                        part=2,
                        public_description=item.public_description,
                        ground=item.ground,
                    ),
                    anchor=anchor,
                    heading=item.public_description or "Confidential item",
                    redacted=True,
                    papers=[],
                    body_html="",
                )
            )
            continue
        papers = [_PaperEntry(p) for p in item.papers if not (public and p.confidential)]
        entries.append(
            _ItemEntry(
                item=item,
                anchor=anchor,
                heading=item.title,
                redacted=False,
                papers=papers,
                body_html=item.body_html,
            )
        )
    return entries


def _parts(entries: list[_ItemEntry]) -> list[dict[str, object]]:
    part1 = [e for e in entries if e.item.part != 2]
    part2 = [e for e in entries if e.item.part == 2]
    parts: list[dict[str, object]] = [
        {"number": 1, "label": "Part 1 – business in public", "items": part1}
    ]
    if part2:
        parts.append({"number": 2, "label": "Part 2 – business in private", "items": part2})
    return parts


def _agenda_context(pack: PackInput, entries: list[_ItemEntry], *, is_pack: bool) -> dict:
    kind = "Agenda pack" if is_pack else "Agenda"
    audience = "public" if pack.audience == "public" else "members"
    title = f"{kind}: {pack.meeting_title}, {format_date(pack.meeting_date)}"
    if is_pack:
        title += f" ({audience})"
    ctx = _base_context(
        committee_name=pack.committee_name,
        day=pack.meeting_date,
        language=pack.language,
        title=title,
        kind=kind.lower(),
    )
    ctx.update(
        pack=is_pack,
        audience=pack.audience,
        meeting_title=pack.meeting_title,
        meeting_time=pack.meeting_time,
        venue=pack.venue,
        parts=_parts(entries),
        part2_items=any(e.item.part == 2 for e in entries),
        has_confidential=any(
            e.item.part == 2 or any(p.input.confidential for p in e.papers) for e in entries
        ),
    )
    return ctx


def render_agenda_pdf(pack: PackInput) -> bytes:
    """The agenda on its own: details, contents with page numbers and links, the items."""
    entries = _entries(pack)
    html = render_to_string("pdf/agenda.html", _agenda_context(pack, entries, is_pack=False))
    return _write(_render(html))


# ---------------------------------------------------------------------------------------------
# Agenda pack


@dataclass
class _PageGeometry:
    """A paper page's visible size and the matrix that maps an upright overlay onto it."""

    width: float
    height: float
    matrix: tuple[float, float, float, float, float, float]


def _geometry(page: PageObject) -> _PageGeometry:
    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    rotation = (page.rotation or 0) % 360
    # A viewer turns the page clockwise by /Rotate; the overlay is drawn upright in the turned
    # view, so map its (u, v) into the page's user space accordingly.
    if rotation == 90:
        return _PageGeometry(h, w, (0, 1, -1, 0, x0 + w, y0))
    if rotation == 180:
        return _PageGeometry(w, h, (-1, 0, 0, -1, x0 + w, y0 + h))
    if rotation == 270:
        return _PageGeometry(h, w, (0, -1, 1, 0, x0, y0 + h))
    return _PageGeometry(w, h, (1, 0, 0, 1, x0, y0))


def _open_paper(paper: PaperInput) -> PdfReader:
    try:
        reader = PdfReader(paper.path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PaperUnreadable(paper.title, "it is protected by a password")
        if len(reader.pages) == 0:
            raise PaperUnreadable(paper.title, "it has no pages")
    except PaperUnreadable:
        raise
    except FileNotFoundError:
        raise PaperUnreadable(paper.title, "its file is missing") from None
    except Exception as exc:  # any failure to parse a user's file means the same to the reader
        raise PaperUnreadable(paper.title, f"it is not a readable PDF ({exc})") from exc
    return reader


def _probe(paper: PaperInput) -> list[_PageGeometry]:
    reader = _open_paper(paper)
    try:
        return [_geometry(page) for page in reader.pages]
    except Exception as exc:
        raise PaperUnreadable(paper.title, f"a page cannot be read ({exc})") from exc


def _pack_footer_css(total_pages: int) -> str:
    return f'@page {{ @bottom-right {{ content: "Page " counter(page) " of {total_pages}"; }} }}'


def _render_front(
    pack: PackInput, entries: list[_ItemEntry], paper_pages: dict[int, int], paper_total: int
) -> weasyprint.Document:
    """Lay out cover and agenda, iterating until their own length is stable.

    Paper page numbers depend on how many pages the front matter takes, which depends (a
    little) on the numbers printed in it; a second layout with the learnt length settles it.
    """
    front = 2
    for _ in range(6):
        offset = front
        for entry in entries:
            for paper in entry.papers:
                paper.page = offset + 1
                paper.link = f"{_PAGE_LINK}{paper.page}"
                offset += paper_pages[id(paper)]
        total = front + paper_total
        ctx = _agenda_context(pack, entries, is_pack=True)
        ctx["total_pages"] = total
        document = _render(render_to_string("pdf/agenda.html", ctx), extra_css=_pack_footer_css(total))
        if len(document.pages) == front:
            return document
        front = len(document.pages)
    raise PdfError("The agenda's length did not settle; shorten an item's text and try again.")


def _stamp_overlay(
    geometries: list[_PageGeometry], confidential: list[bool], first_page: int, total: int, lang: str
) -> PdfReader:
    """One WeasyPrint render of every stamp: a page per paper page, sized like it."""
    sizes: dict[tuple[float, float], str] = {}
    stamps = []
    for n, (geo, secret) in enumerate(zip(geometries, confidential, strict=True)):
        key = (round(geo.width, 2), round(geo.height, 2))
        name = sizes.setdefault(key, f"s{len(sizes)}")
        stamps.append({"size": name, "page": first_page + n, "confidential": secret})
    html = render_to_string(
        "pdf/stamps.html",
        {
            "language": lang,
            "total_pages": total,
            "stamps": stamps,
            "sizes": [
                {"name": name, "width": w, "height": h, "inner_height": max(h - 1, 1)}
                for (w, h), name in sizes.items()
            ],
        },
    )
    # Untagged: the stamps are drawn as artifacts on the paper pages.
    data = weasyprint.HTML(string=html).write_pdf(font_config=_font_config())
    return PdfReader(io.BytesIO(data))


def _add_stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _form_xobject(
    writer: PdfWriter, overlay_page: PageObject, resources: IndirectObject
) -> IndirectObject:
    content = overlay_page["/Contents"].get_object()
    box = overlay_page.mediabox
    form = DecodedStreamObject()
    form.set_data(content.get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)
            ),
            NameObject("/Resources"): resources,
        }
    )
    return writer._add_object(form.flate_encode())


def _apply_stamp(
    writer: PdfWriter,
    page: PageObject,
    form: IndirectObject,
    geo: _PageGeometry,
    opening: IndirectObject,
) -> None:
    """Draw the stamp form on top of the page without parsing its content stream.

    The page's own content is wrapped in q/Q (separate small streams) so its graphics state
    cannot leak into the stamp; the stamp is marked as an artifact for tagged papers.
    """
    resources = page.get("/Resources")
    resources = DictionaryObject(resources.get_object()) if resources is not None else None
    resources = resources if resources is not None else DictionaryObject()
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object()) if xobjects is not None else None
    xobjects = xobjects if xobjects is not None else DictionaryObject()
    xobjects[_STAMP_NAME] = form
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources

    contents = page.raw_get("/Contents") if "/Contents" in page else None
    streams: list = []
    if contents is not None:
        resolved = contents.get_object()
        if isinstance(resolved, ArrayObject):
            streams = list(resolved)
        elif isinstance(contents, IndirectObject):
            streams = [contents]
        else:
            streams = [writer._add_object(resolved)]
    a, b, c, d, e, f = geo.matrix
    closing = _add_stream(
        writer,
        f"\nQ\n/Artifact BMC q {a} {b} {c} {d} {e:.3f} {f:.3f} cm {_STAMP_NAME} Do Q EMC\n".encode(),
    )
    page[NameObject("/Contents")] = ArrayObject([opening, *streams, closing])


def write_pack(pack: PackInput, target: str | Path | BinaryIO) -> PackLayout:
    """Build the agenda pack into `target`: cover, agenda, then every paper in agenda order.

    Bookmarks for every item and paper; "Page N of M" on every page (the papers' through one
    overlay render); "Confidential – Part 2" on Part 2 papers of the members' pack. Raises
    PaperUnreadable naming the first paper that cannot be read.
    """
    entries = _entries(pack)

    # Pass 1: page counts and page geometry of every paper (cheap: no content is parsed).
    geometries: dict[int, list[_PageGeometry]] = {}
    for entry in entries:
        for paper in entry.papers:
            geometries[id(paper)] = _probe(paper.input)
    paper_pages = {key: len(pages) for key, pages in geometries.items()}
    paper_total = sum(paper_pages.values())

    front_doc = _render_front(pack, entries, paper_pages, paper_total)
    front_count = len(front_doc.pages)
    total = front_count + paper_total
    item_pages = {}
    for index, page in enumerate(front_doc.pages):
        for anchor in page.anchors:
            if anchor.startswith("item-") and anchor.count("-") == 1:
                item_pages.setdefault(anchor, index)
    front_bytes = _write(front_doc)
    del front_doc

    ordered = [(entry, paper) for entry in entries for paper in entry.papers]
    all_geometries: list[_PageGeometry] = []
    confidential: list[bool] = []
    for entry, paper in ordered:
        secret = pack.audience == "members" and (entry.item.part == 2 or paper.input.confidential)
        all_geometries.extend(geometries[id(paper)])
        confidential.extend([secret] * paper_pages[id(paper)])

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(front_bytes)))
    if all_geometries:
        overlay = _stamp_overlay(
            all_geometries, confidential, front_count + 1, total, pack.language
        )
        overlay_resources = overlay.pages[0].raw_get("/Resources").clone(writer).indirect_reference
        opening = _add_stream(writer, b"q\n")

    # Pass 2: copy each paper's pages, one paper open at a time, stamping as we go.
    page_index = front_count
    layout_papers = []
    for entry, paper in ordered:
        reader = _open_paper(paper.input)
        layout_papers.append(
            PackPaper(entry.item.number, paper.input.title, page_index + 1, len(reader.pages))
        )
        try:
            for page in reader.pages:
                added = writer.add_page(page)
                form = _form_xobject(
                    writer, overlay.pages[page_index - front_count], overlay_resources
                )
                _apply_stamp(
                    writer, added, form, all_geometries[page_index - front_count], opening
                )
                page_index += 1
        except PaperUnreadable:
            raise
        except Exception as exc:
            raise PaperUnreadable(paper.input.title, f"a page cannot be copied ({exc})") from exc
        del reader

    _link_contents(writer, front_count, {p.first_page: p.title for p in layout_papers})
    _add_outline(writer, entries, item_pages, layout_papers)
    writer.write(target)
    return PackLayout(
        front_pages=front_count,
        total_pages=total,
        item_pages={
            e.item.number: item_pages[f"item-{e.anchor}"] + 1
            for e in entries
            if f"item-{e.anchor}" in item_pages
        },
        papers=layout_papers,
    )


def build_pack(pack: PackInput) -> bytes:
    """The agenda pack as bytes (see `write_pack`)."""
    buffer = io.BytesIO()
    write_pack(pack, buffer)
    return buffer.getvalue()


def _link_contents(writer: PdfWriter, front_count: int, titles: dict[int, str]) -> None:
    """Turn the placeholder links of the contents into destinations inside the pack."""
    for page in writer.pages[:front_count]:
        for annot_ref in page.get("/Annots", []) or []:
            annot = annot_ref.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if not (isinstance(uri, str) and uri.startswith(_PAGE_LINK)):
                continue
            number = int(uri[len(_PAGE_LINK) :])
            del annot["/A"]
            annot[NameObject("/Dest")] = ArrayObject(
                [writer.pages[number - 1].indirect_reference, NameObject("/Fit")]
            )
            annot[NameObject("/Contents")] = TextStringObject(
                f"Go to page {number}: {titles.get(number, '')}".strip(": ")
            )


def _add_outline(
    writer: PdfWriter,
    entries: list[_ItemEntry],
    item_pages: dict[str, int],
    papers: list[PackPaper],
) -> None:
    writer.add_outline_item(title="Cover", page_number=0)
    first_agenda = min(item_pages.values(), default=0)
    writer.add_outline_item(title="Contents", page_number=1 if first_agenda >= 1 else 0)
    remaining = iter(papers)
    for entry in entries:
        item_papers = [next(remaining) for _ in entry.papers]
        target = (
            item_papers[0].first_page - 1
            if item_papers
            else item_pages.get(f"item-{entry.anchor}", 0)
        )
        parent = writer.add_outline_item(
            title=f"{entry.item.number} {entry.heading}".strip(), page_number=target
        )
        for paper in item_papers:
            writer.add_outline_item(
                title=paper.title, page_number=paper.first_page - 1, parent=parent
            )


# ---------------------------------------------------------------------------------------------
# Minutes and decision notices


def _render_document(doc: DocumentInput, kind: str) -> bytes:
    ctx = _base_context(
        committee_name=doc.committee_name,
        day=doc.meeting_date,
        language=doc.language,
        title=doc.title,
        kind=kind,
    )
    ctx.update(
        meeting_title=doc.meeting_title,
        details=list(doc.details),
        sections=list(doc.sections),
        draft=doc.draft,
    )
    return _write(_render(render_to_string("pdf/document.html", ctx)))


def render_minutes_pdf(doc: DocumentInput) -> bytes:
    """Minutes; `doc.draft` adds a "Draft" watermark on every page."""
    return _render_document(doc, "minutes")


def render_decision_notice_pdf(doc: DocumentInput) -> bytes:
    """A decision notice; `doc.draft` adds a "Draft" watermark on every page."""
    return _render_document(doc, "decision notice")
