"""Traceable Part 2 copies: the reader's name and the download time in the margin.

Stamped at download from the stored file (the cached pack or the paper as uploaded), never by a
rebuild. The margin line is rendered once per text by WeasyPrint (any name, any script, a font
that maps to Unicode) and becomes one form XObject that every stamped page draws, as an
artifact, along its left edge. A well-formed stored file with a classic cross-reference table
(every pack we build) gets an incremental update: the stored bytes are sent unchanged and
followed by the new objects (the overlay, one content stream per page geometry, the changed page
dictionaries) and a new cross-reference section, so the cost grows with the number of stamped
pages, not with the size of the pack. Any other file (an uploaded paper) is rewritten whole.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

import pikepdf
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from pikepdf import Array, Dictionary, Name, Pdf

logger = logging.getLogger(__name__)

MM = 72 / 25.4
_STRIP_LENGTH_MM = 180
_STRIP_HEIGHT_MM = 4.2
_XOBJECT = Name("/ICPTrace")


@lru_cache(maxsize=64)
def overlay_pdf(text: str) -> bytes:
    """One strip-sized page holding the margin text (cached per text)."""
    page = f"@page {{ size: {_STRIP_LENGTH_MM:.1f}mm {_STRIP_HEIGHT_MM:.1f}mm; margin: 0 }}"
    html = (
        f"<style>{page} body {{ margin: 0; font: bold 6.8pt 'Liberation Sans', 'DejaVu Sans',"
        f" sans-serif; color: #6f1d1b; line-height: {_STRIP_HEIGHT_MM:.1f}mm;"
        " white-space: nowrap; overflow: hidden; text-overflow: ellipsis }</style>"
        f"<body>{escape(text)}</body>"
    )
    import weasyprint  # imported when a strip is drawn: it slows every process's start

    return weasyprint.HTML(string=html).write_pdf()


def _inherited(page: Dictionary, key: str):
    node = page
    for _ in range(64):
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _placement(page: Dictionary) -> tuple[float, float, float, float, float, float]:
    """The matrix that draws the strip upright along the left edge of the page as viewed."""
    box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
    x0, y0, x1, y1 = (float(v) for v in box)
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    w, h = x1 - x0, y1 - y0
    rotation = int(_inherited(page, "/Rotate") or 0) % 360
    # The page as the reader sees it (turned clockwise by /Rotate) -> user space.
    if rotation == 90:
        view = (0, 1, -1, 0, x0 + w, y0)
    elif rotation == 180:
        view = (-1, 0, 0, -1, x0 + w, y0 + h)
    elif rotation == 270:
        view = (0, -1, 1, 0, x0, y0 + h)
    else:
        view = (1, 0, 0, 1, x0, y0)
    # In the view: text read bottom to top, 3 mm from the left edge, starting 12 mm up.
    strip = (0, 1, -1, 0, 3 * MM + _STRIP_HEIGHT_MM * MM, 12 * MM)
    return _multiply(strip, view)


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _stamp_ops(matrix) -> bytes:
    numbers = " ".join(f"{v:.4f}".rstrip("0").rstrip(".") or "0" for v in matrix)
    return (
        f"\nQ\n/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q {numbers} cm "
        f"/ICPTrace Do Q EMC\n"
    ).encode("ascii")


@dataclass
class TracedCopy:
    """The stamped file: `prefix` bytes of `path` (if any) followed by `data`."""

    data: bytes
    path: Path | None = None
    prefix: int = 0
    stamped_pages: list[int] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.prefix + len(self.data)

    def chunks(self, block: int = 1 << 16) -> Iterator[bytes]:
        if self.path is not None and self.prefix:
            with open(self.path, "rb") as fh:
                left = self.prefix
                while left > 0:
                    chunk = fh.read(min(block, left))
                    if not chunk:
                        break
                    left -= len(chunk)
                    yield chunk
        yield self.data

    def read(self) -> bytes:
        return b"".join(self.chunks())


def _classic_xref_offset(path: Path) -> int | None:
    """The offset of the last cross-reference section if it is a classic table, else None."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 1024))
        tail = fh.read()
        found = re.findall(rb"startxref\s+(\d+)\s+%%EOF", tail)
        if not found:
            return None
        offset = int(found[-1])
        if offset >= size:
            return None
        fh.seek(offset)
        return offset if fh.read(4) == b"xref" else None


def _serialize(obj) -> bytes:
    num, gen = obj.objgen
    if isinstance(obj, pikepdf.Stream):
        raw = obj.read_raw_bytes()
        head = Dictionary({k: v for k, v in obj.stream_dict.items()})
        head.Length = len(raw)
        return (
            f"{num} {gen} obj\n".encode()
            + head.unparse()
            + b"\nstream\n"
            + raw
            + b"\nendstream\nendobj\n"
        )
    return f"{num} {gen} obj\n".encode() + obj.unparse(resolved=True) + b"\nendobj\n"


def _new_objects(roots: Iterable, first_new: int) -> list:
    """Every indirect object reachable from `roots` whose number is `first_new` or above."""
    out, seen, stack = [], set(), []
    for root in roots:
        stack.extend(root.values())
    while stack:
        obj = stack.pop()
        if isinstance(obj, (Dictionary, Array, pikepdf.Stream)):
            if obj.is_indirect:
                key = obj.objgen
                if key in seen or key[0] < first_new:
                    continue
                seen.add(key)
                out.append(obj)
            items = obj.stream_dict.values() if isinstance(obj, pikepdf.Stream) else None
            if items is None:
                items = obj.values() if isinstance(obj, Dictionary) else list(obj)
            stack.extend(items)
    return out


def _stamp(pdf: Pdf, pages: list[int], text: str) -> list:
    """Draw the strip on the given pages (0-based); returns the changed page dictionaries."""
    with Pdf.open(io.BytesIO(overlay_pdf(text))) as overlay:
        form = pdf.copy_foreign(overlay.pages[0].as_form_xobject())
    opening = pdf.make_stream(b"q\n")
    streams: dict[tuple, pikepdf.Stream] = {}
    changed = []
    for index in pages:
        page = pdf.pages[index].obj
        matrix = _placement(page)
        key = tuple(round(v, 3) for v in matrix)
        if key not in streams:
            streams[key] = pdf.make_stream(_stamp_ops(matrix))
        resources = _inherited(page, "/Resources")
        new_resources = Dictionary({k: v for k, v in resources.items()}) if resources else None
        new_resources = new_resources if new_resources is not None else Dictionary()
        xobjects = new_resources.get("/XObject")
        new_x = Dictionary({k: v for k, v in xobjects.items()}) if xobjects else Dictionary()
        new_x[_XOBJECT] = form
        new_resources.XObject = new_x
        page.Resources = new_resources
        contents = page.get("/Contents")
        if contents is None:
            old = []
        elif isinstance(contents, Array):
            old = list(contents)
        else:
            old = [contents]
        page.Contents = Array([opening, *old, streams[key]])
        changed.append(page)
    return changed


def traced_copy(path: Path, pages: Iterable[int] | None, text: str) -> TracedCopy:
    """`path` with `text` in the margin of each page in `pages` (0-based; others unchanged;
    None: every page)."""
    offset = _classic_xref_offset(path)
    with Pdf.open(path) as pdf:
        count = len(pdf.pages)
        wanted = sorted({i for i in (range(count) if pages is None else pages) if 0 <= i < count})
        if not wanted:
            return TracedCopy(data=b"", path=path, prefix=os.path.getsize(path))
        if offset is not None and not pdf.is_encrypted and "/Size" in pdf.trailer:
            update = _incremental(pdf, path, offset, wanted, text)
            if update is not None:
                return TracedCopy(
                    data=update, path=path, prefix=os.path.getsize(path), stamped_pages=wanted
                )
        _stamp(pdf, wanted, text)
        buffer = io.BytesIO()
        pdf.save(buffer)
        return TracedCopy(data=buffer.getvalue(), stamped_pages=wanted)


def _incremental(pdf: Pdf, path: Path, prev: int, pages: list[int], text: str) -> bytes | None:
    first_new = int(pdf.trailer.Size)
    changed = _stamp(pdf, pages, text)
    new = _new_objects(changed, first_new)
    if any(obj.objgen[0] < first_new for obj in new):
        return None
    start = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(start - 1)
        needs_newline = fh.read(1) not in (b"\n", b"\r")
    out = io.BytesIO()
    if needs_newline:
        out.write(b"\n")
    offsets: dict[int, tuple[int, int]] = {}
    for obj in [*changed, *new]:
        num, gen = obj.objgen
        if num in offsets:
            continue
        offsets[num] = (start + out.tell(), gen)
        out.write(_serialize(obj))
    xref_at = start + out.tell()
    out.write(b"xref\n")
    numbers = sorted(offsets)
    run: list[int] = []
    for num in numbers:
        if run and num != run[-1] + 1:
            _write_run(out, run, offsets)
            run = []
        run.append(num)
    if run:
        _write_run(out, run, offsets)
    size = max(first_new, numbers[-1] + 1)
    trailer = Dictionary(Size=size, Root=pdf.Root, Prev=prev)
    if "/Info" in pdf.trailer:
        trailer.Info = pdf.trailer.Info
    if "/ID" in pdf.trailer:
        trailer.ID = pdf.trailer.ID
    out.write(b"trailer\n" + trailer.unparse() + f"\nstartxref\n{xref_at}\n%%EOF\n".encode())
    return out.getvalue()


def _write_run(out: io.BytesIO, run: list[int], offsets: dict[int, tuple[int, int]]) -> None:
    out.write(f"{run[0]} {len(run)}\n".encode())
    for num in run:
        at, gen = offsets[num]
        out.write(f"{at:010d} {gen:05d} n\r\n".encode())


def margin_text(reader: str, when: dt.datetime) -> str:
    """`Downloaded by Jane Smith (jsmith) on Sunday 6 December 2026 at 09:05 GMT. …`"""
    return (
        f"Downloaded by {reader} on {when:%A} {when.day} {when:%B %Y} at {when:%H:%M %Z}. "
        "Confidential – Part 2: do not copy or forward."
    )


def reader_label(user) -> str:
    full = (user.get_full_name() or "").strip()
    username = user.get_username()
    return f"{full} ({username})" if full else username


def traced_response(request, path: Path, pages: Iterable[int] | None, filename: str):
    """The stored PDF with the reader's name and the time on `pages`: private, never stored.

    The caller has done the access check. A file that cannot be stamped is not served at all
    (a Part 2 copy never leaves without its mark): the reader gets a short message.
    """
    text = margin_text(reader_label(request.user), timezone.localtime())
    try:
        copy = traced_copy(path, pages, text)
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    except pikepdf.PdfError:
        logger.exception("Could not stamp %s for download", path)
        response = HttpResponse(
            "This confidential document could not be prepared for download. "
            "Please tell the secretariat.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    response = StreamingHttpResponse(copy.chunks(), content_type="application/pdf")
    response["Content-Length"] = str(copy.size)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
