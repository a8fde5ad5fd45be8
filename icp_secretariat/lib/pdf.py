"""PDF rendering of the published documents: agenda, agenda pack, minutes, decision notices.

Pure functions over plain dataclasses, so the engine knows nothing of the database: a task
builds the inputs from the models, calls a function here and stores the bytes. WeasyPrint
renders the HTML templates under `templates/pdf/` with `static/css/print.css`; pypdf joins the
agenda and the papers into one pack with bookmarks and pack page numbers on every page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import math
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

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
    NumberObject,
    TextStringObject,
)

from icp_secretariat.lib import files, pdf_tags

if TYPE_CHECKING:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

Audience = Literal["public", "members"]

# Tagged PDF (structure tree, /MarkInfo, /Lang, XMP with the PDF/UA identifier). Measured on
# WeasyPrint 70: it works with our templates and costs little; see the benchmark.
PDF_OPTIONS: dict[str, object] = {"pdf_variant": "pdf/ua-1"}

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"

# Contents entries for papers point at pack pages outside the WeasyPrint document; they are
# rendered as links to this placeholder and rewritten into page destinations when merged.
_PAGE_LINK = "https://pack-page.invalid/"


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class PaperInput:
    """One paper of an item: a PDF on disk, or in the object store (`files.pdf_source`)."""

    title: str
    path: Path | files.StoredFile
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
    # Part 2 business: its pages carry the "Confidential – Part 2" stamp, as pack pages do.
    confidential: bool = False


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
    # Who signs the document as a true record (approved minutes: "Chair"); empty for none.
    signature: str = ""


@dataclass(frozen=True)
class PackPaper:
    """Where one paper sits in a built pack (1-based pack page numbers)."""

    item_number: str
    title: str
    first_page: int
    page_count: int
    # Every page of it is in the pack's structure tree (False: an untagged paper to replace).
    tagged: bool = True
    # Its pages carry "Confidential – Part 2" (members' pack): stamped with the reader's name
    # at download.
    confidential: bool = False


@dataclass(frozen=True)
class PackLayout:
    """The page plan of a built pack, so the web page can quote the same page numbers."""

    front_pages: int
    total_pages: int
    item_pages: dict[str, int]  # item number -> pack page of the item in the agenda
    papers: list[PackPaper]
    # Every page is in the structure tree, so the pack claims PDF/UA.
    tagged: bool = True


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


# WeasyPrint (with fontTools) is imported where a document is rendered, not with the module:
# it costs about 1.5 s of start-up to every process (web, worker, manage.py) that never renders.
@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> weasyprint.CSS:
    import weasyprint  # here, not with the module: see _font_config

    return weasyprint.CSS(filename=str(PRINT_CSS), font_config=_font_config())


def _render(html: str, *, extra_css: str = "") -> weasyprint.Document:
    import weasyprint  # here, not with the module: see _font_config

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


def render_agenda(pack: PackInput) -> tuple[bytes, int]:
    """The agenda on its own (details, contents with page numbers and links, the items) and
    its number of pages, as WeasyPrint laid it out (not read back from the PDF)."""
    entries = _entries(pack)
    html = render_to_string("pdf/agenda.html", _agenda_context(pack, entries, is_pack=False))
    document = _render(html)
    return _write(document), len(document.pages)


def render_agenda_pdf(pack: PackInput) -> bytes:
    return render_agenda(pack)[0]


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


def _paper_source(path):
    """A path on disk, or a file in the object store (`files.StoredFile`) read into memory."""
    return path.source() if isinstance(path, files.StoredFile) else path


def _open_paper(paper: PaperInput) -> PdfReader:
    try:
        reader = PdfReader(_paper_source(paper.path))
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
    pack: PackInput,
    entries: list[_ItemEntry],
    paper_pages: dict[int, int],
    paper_total: int,
    hint: int | None,
) -> weasyprint.Document:
    """Lay out cover and agenda with the papers' pack page numbers in the contents.

    Those numbers depend on how many pages the front matter takes. Page numbers sit in a
    fixed-width slot, so the length does not depend on them: one layout suffices when the
    guess (the previous build's length, or an estimate) is right, a second one otherwise.
    """
    front = hint if hint and hint > 0 else _estimate_front_pages(entries)
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
        document = _render(
            render_to_string("pdf/agenda.html", ctx), extra_css=_pack_footer_css(total)
        )
        if len(document.pages) == front:
            return document
        front = len(document.pages)
    raise PdfError("The agenda's length did not settle; shorten an item's text and try again.")


@dataclass(frozen=True)
class _StampFont:
    """A small embedded subset of a system TrueType font, for the stamps drawn on papers."""

    base_name: str
    widths: dict[int, float]  # WinAnsi code -> width in 1/1000 em
    font_file: bytes
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int

    def width(self, text: str, size: float) -> float:
        return sum(self.widths.get(_win_ansi(ch), 500) for ch in text) * size / 1000

    def pdf_object(self, writer: PdfWriter) -> IndirectObject:
        file_stream = DecodedStreamObject()
        file_stream.set_data(self.font_file)
        file_stream[NameObject("/Length1")] = NumberObject(len(self.font_file))
        file_ref = writer._add_object(file_stream.flate_encode())
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): NameObject(f"/{self.base_name}"),
                NameObject("/Flags"): NumberObject(32),
                NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in self.bbox),
                NameObject("/ItalicAngle"): NumberObject(0),
                NameObject("/Ascent"): NumberObject(self.ascent),
                NameObject("/Descent"): NumberObject(self.descent),
                NameObject("/CapHeight"): NumberObject(self.cap_height),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile2"): file_ref,
            }
        )
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/TrueType"),
                NameObject("/BaseFont"): NameObject(f"/{self.base_name}"),
                NameObject("/FirstChar"): NumberObject(32),
                NameObject("/LastChar"): NumberObject(255),
                NameObject("/Widths"): ArrayObject(
                    FloatObject(round(self.widths.get(code, 0), 1)) for code in range(32, 256)
                ),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                NameObject("/FontDescriptor"): writer._add_object(descriptor),
                NameObject("/ToUnicode"): _to_unicode(writer),
            }
        )
        return writer._add_object(font)


# The stamps' text maps to Unicode (search, copy, screen readers): WinAnsi codes 32-126 are
# ASCII and 0x96 is the en dash of "Confidential – Part 2".
_TO_UNICODE_CMAP = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    b"/CMapName /ICPStamp-WinAnsi-UCS def /CMapType 2 def\n"
    b"1 begincodespacerange <00> <FF> endcodespacerange\n"
    b"2 beginbfrange <20> <7E> <0020> <96> <96> <2013> endbfrange\n"
    b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
)


def _to_unicode(writer: PdfWriter) -> IndirectObject:
    return _add_stream(writer, _TO_UNICODE_CMAP)


_STAMP_TEXT = "Page 0123456789 of Confidential – Part 2"


def _win_ansi(ch: str) -> int:
    return 0x96 if ch == "–" else ord(ch)


def _pdf_text(text: str) -> str:
    return "".join("\\226" if ch == "–" else ch for ch in text)


def front_pages_after(agenda_pages: int) -> int:
    """The pack's front matter is the agenda as `render_agenda_pdf` lays it out, after a cover
    page: the length of the agenda of the same content, plus one, is the best hint for
    `write_pack` (right for every pack of the demo, where the estimate below was right for
    none). A wrong hint costs one more layout of the front, nothing else."""
    return agenda_pages + 1


def _estimate_front_pages(entries: list[_ItemEntry]) -> int:
    # Calibrated on print.css: about 40 contents lines a page (a paper line is smaller than an
    # item line) and about 32 agenda detail rows a page. A wrong guess costs a second layout.
    papers = sum(len(e.papers) for e in entries)
    contents = len(entries) + 0.8 * papers + 2 * len(_parts(entries))
    detail = sum(4 + len(e.papers) + (8 if e.body_html else 0) for e in entries)
    return 1 + max(1, math.ceil(contents / 40)) + max(1, math.ceil(detail / 32))


@lru_cache(maxsize=2)
def _stamp_font(style: str) -> _StampFont | None:
    """Liberation Sans (or DejaVu Sans), subset to the few characters a stamp uses."""
    try:
        # Imported when a stamp font is first made, not with the module (see _font_config).
        from fontTools import subset
        from fontTools.ttLib import TTFont

        logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting chatters at INFO

        path = subprocess.run(
            ["fc-match", "-f", "%{file}", f"Liberation Sans,DejaVu Sans:style={style}"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        font = TTFont(path)
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(ch) for ch in _STAMP_TEXT})
        subsetter.subset(font)
        scale = 1000 / font["head"].unitsPerEm
        cmap = font.getBestCmap()
        widths = {
            _win_ansi(chr(u)): font["hmtx"][glyph][0] * scale
            for u, glyph in cmap.items()
            if u < 128 or chr(u) == "–"
        }
        buffer = io.BytesIO()
        font.save(buffer)
        head, os2 = font["head"], font["OS/2"]
        name = font["name"].getDebugName(6) or "LiberationSans"
        return _StampFont(
            base_name=f"ICPSTA+{name}",
            widths=widths,
            font_file=buffer.getvalue(),
            bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
            ascent=round(os2.sTypoAscender * scale),
            descent=round(os2.sTypoDescender * scale),
            cap_height=round(getattr(os2, "sCapHeight", 700 / scale) * scale),
        )
    except Exception:  # no fontconfig or font: fall back to a standard font below
        return None


class _Stamper:
    """Draws "Page N of M" (and the Part 2 marking) straight into a page's content.

    No overlay document: two tiny fonts are embedded once and each page gets one small content
    stream, so stamping 600 pages costs milliseconds and the papers' content is never parsed.
    """

    NUMBER_SIZE = 8.5
    MARK_SIZE = 9.0
    MM = 72 / 25.4

    def __init__(self, writer: PdfWriter, total: int) -> None:
        self.writer = writer
        self.total = total
        self.fonts: dict[str, IndirectObject] = {}
        self.metrics: dict[str, _StampFont | None] = {}
        for key, style in (("/ICPStampR", "Regular"), ("/ICPStampB", "Bold")):
            font = _stamp_font(style)
            self.metrics[key] = font
            if font is not None:
                self.fonts[key] = font.pdf_object(writer)
            else:
                base = "/Helvetica" if style == "Regular" else "/Helvetica-Bold"
                self.fonts[key] = writer._add_object(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Font"),
                            NameObject("/Subtype"): NameObject("/Type1"),
                            NameObject("/BaseFont"): NameObject(base),
                            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                            NameObject("/ToUnicode"): _to_unicode(writer),
                        }
                    )
                )
        self.opening = _add_stream(writer, b"q\n")

    def _width(self, key: str, text: str, size: float) -> float:
        font = self.metrics[key]
        return font.width(text, size) if font else len(text) * size * 0.55

    def _ops(self, geo: _PageGeometry, number: int, confidential: bool) -> str:
        mm = self.MM
        ops = []
        text = f"Page {number} of {self.total}"
        size = self.NUMBER_SIZE
        tw = self._width("/ICPStampR", text, size)
        w, h = tw + 4 * mm, size + 1.4 * mm
        x, y = geo.width - 7 * mm - w, 5 * mm
        ops.append(
            "/Artifact <</Type /Pagination /Subtype /Footer>> BDC "
            f"1 1 1 rg 0.682 0.718 0.741 RG 0.5 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re B "
            f"BT 0.129 0.169 0.196 rg /ICPStampR {size} Tf {x + 2 * mm:.2f} "
            f"{y + 0.7 * mm + 0.22 * size:.2f} Td ({_pdf_text(text)}) Tj ET EMC"
        )
        if confidential:
            text = "Confidential – Part 2"
            size = self.MARK_SIZE
            tw = self._width("/ICPStampB", text, size)
            w, h = tw + 6 * mm, size + 1.6 * mm
            x, y = (geo.width - w) / 2, geo.height - 4 * mm - h
            ops.append(
                "/Artifact <</Type /Pagination /Subtype /Header>> BDC "
                f"1 1 1 rg 0.835 0.157 0.106 RG 1 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re B "
                f"BT 0.835 0.157 0.106 rg /ICPStampB {size} Tf {x + 3 * mm:.2f} "
                f"{y + 0.8 * mm + 0.22 * size:.2f} Td ({_pdf_text(text)}) Tj ET EMC"
            )
        return " ".join(ops)

    def stamp(self, page: PageObject, geo: _PageGeometry, number: int, secret: bool) -> None:
        """Wrap the page's content in q/Q (small separate streams) and draw the stamp on top.

        The page's content is never parsed; its resources get a shallow copy with our fonts,
        and the stamp is marked as an artifact so tagged papers stay well-formed.
        """
        writer = self.writer
        resources = page.get("/Resources")
        resources = DictionaryObject(resources.get_object()) if resources is not None else None
        resources = resources if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = DictionaryObject(fonts.get_object()) if fonts is not None else DictionaryObject()
        fonts.update({NameObject(k): v for k, v in self.fonts.items()})
        resources[NameObject("/Font")] = fonts
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
            (
                f"\nQ\nq {a} {b} {c} {d} {e:.3f} {f:.3f} cm {self._ops(geo, number, secret)} Q\n"
            ).encode("latin-1"),
        )
        page[NameObject("/Contents")] = ArrayObject([self.opening, *streams, closing])


def _add_stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def write_pack(
    pack: PackInput, target: str | Path | BinaryIO, *, front_pages_hint: int | None = None
) -> PackLayout:
    """Build the agenda pack into `target`: cover, agenda, then every paper in agenda order.

    `front_pages_hint` (see `front_pages_after`, or the `front_pages` of this meeting's previous
    PackLayout) saves a second layout of the agenda when it is right. Bookmarks for every item and paper; "Page N of M" on every page (the papers' through one
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

    front_doc = _render_front(pack, entries, paper_pages, paper_total, front_pages_hint)
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
    stamper = _Stamper(writer, total)

    # Pass 2: copy each paper's pages, one paper open at a time, stamping as we go.
    page_index = front_count
    layout_papers = []
    for entry, paper in ordered:
        reader = _open_paper(paper.input)
        first = page_index - front_count
        layout_papers.append(
            PackPaper(
                entry.item.number,
                paper.input.title,
                page_index + 1,
                len(reader.pages),
                confidential=bool(confidential[first]) if reader.pages else False,
            )
        )
        try:
            for page in reader.pages:
                added = writer.add_page(page)
                n = page_index - front_count
                stamper.stamp(added, all_geometries[n], page_index + 1, confidential[n])
                page_index += 1
        except PaperUnreadable:
            raise
        except Exception as exc:
            raise PaperUnreadable(paper.input.title, f"a page cannot be copied ({exc})") from exc
        del reader

    _link_contents(writer, front_count, {p.first_page: p.title for p in layout_papers})
    _add_outline(writer, entries, item_pages, layout_papers)
    merged = io.BytesIO()
    writer.write(merged)
    del writer
    # Pass 3: graft each tagged paper's structure tree under the pack's (pikepdf).
    tagged, whole = pdf_tags.graft_structure(
        merged.getvalue(),
        [
            pdf_tags.PaperPlacement(
                _paper_source(p.input.path), lp.title, lp.first_page - 1, lp.page_count
            )
            for (_, p), lp in zip(ordered, layout_papers, strict=True)
        ],
        target,
    )
    layout_papers = [
        dataclasses.replace(lp, tagged=flag) for lp, flag in zip(layout_papers, tagged, strict=True)
    ]
    return PackLayout(
        front_pages=front_count,
        total_pages=total,
        item_pages={
            e.item.number: item_pages[f"item-{e.anchor}"] + 1
            for e in entries
            if f"item-{e.anchor}" in item_pages
        },
        papers=layout_papers,
        tagged=whole,
    )


def build_pack(pack: PackInput, *, front_pages_hint: int | None = None) -> bytes:
    """The agenda pack as bytes (see `write_pack`)."""
    buffer = io.BytesIO()
    write_pack(pack, buffer, front_pages_hint=front_pages_hint)
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
# Fingerprint

# Bump when the engine's output changes for the same input (layout, stamping, bookmarks).
ENGINE_VERSION = "2"  # 2: papers' structure trees grafted, stamp ToUnicode


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        source = _paper_source(path)
        with source if hasattr(source, "read") else open(source, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        return f"unreadable:{exc.__class__.__name__}"
    return digest.hexdigest()


def _engine_digest() -> str:
    digest = hashlib.sha256(ENGINE_VERSION.encode())
    for path in [PRINT_CSS, *sorted((Path(settings.BASE_DIR) / "templates" / "pdf").glob("*"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def pack_fingerprint(pack: PackInput) -> str:
    """A hash of everything that goes into the pack: the build key.

    Equal fingerprints mean an identical pack, so a rebuild can be skipped. Papers count by
    their bytes (not their path or mtime); templates, print CSS and ENGINE_VERSION count too.
    """

    def default(value: object) -> object:
        if isinstance(value, (Path, files.StoredFile)):
            return {"sha256": _file_digest(value)}
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(f"cannot fingerprint {type(value).__name__}")

    payload = json.dumps(
        {"engine": _engine_digest(), "pack": dataclasses.asdict(pack)},
        default=default,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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
        signature=doc.signature,
        # The PDF's own title (document metadata): what it is, whose, and when.
        meta_title=f"{doc.title}: {doc.committee_name}, {format_date(doc.meeting_date)}",
    )
    return _write(_render(render_to_string("pdf/document.html", ctx), extra_css=_PART2_PAGES))


# Part 2 sections run on their own pages, each stamped at its foot like a Part 2 pack page.
_PART2_PAGES = """
@page part2 {
  @bottom-left {
    content: "Confidential – Part 2";
    font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
    font-size: 9pt; font-weight: bold; color: #d5281b;
    vertical-align: top; padding-top: 3mm;
  }
}
.doc-section--part2 { page: part2; }
.signature { margin-top: 12mm; break-inside: avoid; }
.signature p { margin: 0 0 8mm; }
"""


def render_minutes_pdf(doc: DocumentInput) -> bytes:
    """Minutes; `doc.draft` adds a "Draft" watermark on every page."""
    return _render_document(doc, "minutes")


def render_decision_notice_pdf(doc: DocumentInput) -> bytes:
    """A decision notice; `doc.draft` adds a "Draft" watermark on every page."""
    return _render_document(doc, "decision notice")
