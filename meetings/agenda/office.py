"""Office papers (issue 15): checked by content, converted by LibreOffice, read as HTML.

`sniff` is pure and fast (bytes in, the format or a `PaperError` out): it runs in the upload
request. `convert_to_pdf`, `convert_to_docx` and the HTML builders are slow and run only in the
Celery task `meetings.process_paper`.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings

from icp_secretariat.lib import pdf_text
from meetings.errors import PaperError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Extensions a paper may have; the format is still decided by content, never by the name.
ACCEPTED_EXTENSIONS = (".pdf", ".docx", ".odt", ".pptx", ".odp", ".xlsx", ".ods", ".doc", ".ppt")
ACCEPT_ATTR = ",".join(ACCEPTED_EXTENSIONS)

# A zip bomb must not fill the disk of the worker: caps on the unpacked package.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_ENTRIES = 20_000

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
_OOXML_MACRO = {
    "application/vnd.ms-word.document.macroenabled.main+xml": "Word (.docm)",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": "Word template (.dotm)",
    "application/vnd.ms-powerpoint.presentation.macroenabled.main+xml": "PowerPoint (.pptm)",
    "application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml": "PowerPoint (.ppsm)",
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": "Excel (.xlsm)",
    "application/vnd.ms-excel.sheet.binary.macroenabled.main": "Excel (.xlsb)",
}
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# LibreOffice's PDF export filter for each document family.
_FILTER = {
    "docx": "writer_pdf_Export",
    "odt": "writer_pdf_Export",
    "doc": "writer_pdf_Export",
    "pptx": "impress_pdf_Export",
    "odp": "impress_pdf_Export",
    "ppt": "impress_pdf_Export",
    "xlsx": "calc_pdf_Export",
    "ods": "calc_pdf_Export",
}
WORD_FORMATS = {"docx", "odt", "doc"}

MACRO_MESSAGE = (
    "The file contains macros ({what}). Macro-enabled documents are not accepted, because "
    "readers' computers could run them. Save it without macros (for example as .docx or PDF) "
    "and upload that."
)


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are: `pdf`, or an office format LibreOffice converts."""

    format: str

    @property
    def is_pdf(self) -> bool:
        return self.format == "pdf"


def _refuse_unknown() -> PaperError:
    return PaperError(
        "The file is not a PDF or an office document we can read. Upload a PDF, or a Word, "
        "PowerPoint, Excel or OpenDocument file (.docx, .odt, .pptx, .odp, .xlsx, .ods, .doc "
        "or .ppt)."
    )


def _sniff_zip(data: bytes) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PaperError(
            "The file looks like an office document but the package is damaged. Save it again "
            "and upload the new file."
        ) from exc
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise PaperError("The document unpacks to more than we can safely read. Reduce its size.")
    names = {i.filename for i in infos}
    lowered = {n.lower() for n in names}
    if "mimetype" in names:
        mimetype = zf.read("mimetype").decode("ascii", "replace").strip()
        if any(n.startswith(("basic/", "scripts/")) for n in lowered):
            raise PaperError(MACRO_MESSAGE.format(what="OpenDocument Basic or script macros"))
        if mimetype in _ODF and "content.xml" in names:
            return _ODF[mimetype]
        raise PaperError(
            "The file is an OpenDocument package of a kind we do not convert "
            f"({escape(mimetype[:80]) or 'unknown'}). Upload a text document, presentation or "
            "spreadsheet (.odt, .odp, .ods), or a PDF."
        )
    if "[Content_Types].xml" in names:
        if any(n.endswith("vbaproject.bin") or n.endswith("vbadata.xml") for n in lowered):
            raise PaperError(MACRO_MESSAGE.format(what="a VBA project"))
        try:
            root = ElementTree.fromstring(zf.read("[Content_Types].xml"))
        except ElementTree.ParseError as exc:
            raise PaperError("The document's package is damaged. Save it again.") from exc
        types = {(el.get("ContentType") or "").lower() for el in root}
        for ctype in types:
            if ctype in _OOXML_MACRO:
                raise PaperError(MACRO_MESSAGE.format(what=_OOXML_MACRO[ctype]))
            if "vbaproject" in ctype or "macroenabled" in ctype:
                raise PaperError(MACRO_MESSAGE.format(what="a VBA project"))
        for ctype, fmt in _OOXML_MAIN.items():
            if ctype in types:
                return fmt
        raise PaperError(
            "The file is an Office package of a kind we do not convert. Upload a Word, "
            "PowerPoint or Excel document (.docx, .pptx, .xlsx), or a PDF."
        )
    raise PaperError(
        "The file is a ZIP archive, not a document (renaming a ZIP does not make it one). "
        "Upload the paper itself: a PDF, or a Word, PowerPoint or OpenDocument file."
    )


def _sniff_ole(data: bytes, name: str) -> str:
    # The compound-file directory holds stream names in UTF-16: Word keeps macros in "Macros",
    # PowerPoint and Excel in "_VBA_PROJECT_CUR".
    if "_VBA_PROJECT".encode("utf-16-le") in data or b"M\x00a\x00c\x00r\x00o\x00s\x00\x00\x00" in (
        data
    ):
        raise PaperError(MACRO_MESSAGE.format(what="a VBA project"))
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "ppt"
    raise PaperError(
        "The file is an old-style Office file we do not convert. Save it as .docx, .pptx or PDF "
        "and upload that."
    )


def sniff(data: bytes, name: str = "") -> Sniffed:
    """Decide by content what the upload is; refuse anything else with a message."""
    if not data:
        raise PaperError("The file is empty. Choose the file of the paper.")
    if data.startswith(PDF_MAGIC):
        return Sniffed("pdf")
    if data.startswith(ZIP_MAGIC):
        return Sniffed(_sniff_zip(data))
    if data.startswith(OLE_MAGIC):
        return Sniffed(_sniff_ole(data, name))
    if PDF_MAGIC in data[:1024]:
        raise PaperError(
            "The file does not start with the PDF header (%PDF-): something is in front of it, "
            "which is how files that are both a web page and a PDF are made. Save or export "
            "the PDF again and upload the new file."
        )
    raise _refuse_unknown()


# ---------------------------------------------------------------- LibreOffice (worker only)


class ConversionError(Exception):
    """LibreOffice could not convert the file; the message says why in words."""


def soffice_binary() -> str:
    return getattr(settings, "SOFFICE_BINARY", "") or shutil.which("soffice") or "soffice"


def _run_soffice(src: Path, fmt: str, target: str, timeout: int) -> Path:
    """One conversion with a private profile, so concurrent conversions never share one."""
    out_dir = src.parent / "out"
    out_dir.mkdir()
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        cmd = [
            soffice_binary(),
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(src),
        ]
        try:
            proc = subprocess.run(
                cmd,
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "HOME": str(profile)},
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(
                f"LibreOffice did not finish converting the file within {timeout} seconds. "
                "Simplify the document (or save it as PDF yourself) and upload it again."
            ) from exc
        except FileNotFoundError as exc:
            raise ConversionError(
                "LibreOffice is not installed on the conversion worker. Ask the administrator."
            ) from exc
        produced = sorted(out_dir.iterdir())
        if proc.returncode != 0 or not produced or produced[0].stat().st_size == 0:
            detail = (proc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
            detail = [line for line in detail if "javaldx" not in line]
            why = f" (LibreOffice said: {detail[-1][:200]})" if detail else ""
            raise ConversionError(
                "LibreOffice could not convert the file: it may be damaged, password-protected "
                f"or in a form it does not read{why}. Open it, save it again, and upload it."
            )
        return produced[0]
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _convert(data: bytes, fmt: str, target: str, timeout: int | None) -> bytes:
    timeout = timeout or settings.PAPER_CONVERSION_TIMEOUT
    work = Path(tempfile.mkdtemp(prefix="lo-convert-"))
    try:
        src = work / f"paper.{fmt}"
        src.write_bytes(data)
        return _run_soffice(src, fmt, target, timeout).read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def convert_to_pdf(data: bytes, fmt: str, *, timeout: int | None = None) -> bytes:
    """A tagged PDF (PDF/UA structure tree) of an office file, by LibreOffice headless."""
    options = '{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    pdf = _convert(data, fmt, f"pdf:{_FILTER[fmt]}:{options}", timeout)
    if not pdf.startswith(PDF_MAGIC):
        raise ConversionError("LibreOffice produced something that is not a PDF.")
    return pdf


def convert_to_docx(data: bytes, fmt: str, *, timeout: int | None = None) -> bytes:
    """OpenDocument text and old Word files become .docx, for mammoth's HTML."""
    return _convert(data, fmt, "docx:MS Word 2007 XML", timeout)


# ---------------------------------------------------------------- the HTML reading version

_ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "thead", "tbody",
    "tfoot", "tr", "th", "td", "caption", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "br", "img", "a", "blockquote", "section", "span", "pre", "code", "hr",
}  # fmt: skip
_ALLOWED_ATTRS = {
    "img": {"src", "alt"},
    "a": {"href", "id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "section": {"id", "aria-label"},
    "h2": {"id"},
}


def sanitise(html: str) -> str:
    """Only structure survives: no scripts, styles, event handlers or remote images."""
    import nh3

    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_DEMOTE = re.compile(r"<(/?)h([1-6])\b")


def _demote_headings(html: str) -> str:
    """The page has its own h1 (the paper's title): the document's headings start at h2."""
    return _DEMOTE.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", html)


def docx_to_html(docx: bytes) -> str:
    """Word via mammoth: headings, lists, tables, images (inline, with their alt text)."""
    import mammoth

    def image(img):
        with img.open() as fh:
            raw = fh.read()
        ctype = img.content_type or ""
        if ctype not in {"image/png", "image/jpeg", "image/gif"}:
            return {"alt": img.alt_text or ""}  # no src: dropped by the sanitiser's img rule
        import base64

        return {
            "src": f"data:{ctype};base64,{base64.b64encode(raw).decode('ascii')}",
            "alt": img.alt_text or "",
        }

    result = mammoth.convert_to_html(
        io.BytesIO(docx), convert_image=mammoth.images.img_element(image)
    )
    html = sanitise(_demote_headings(result.value))
    # An image that had no description: screen readers skip it instead of reading the file name.
    return html


def pdf_pages_to_html(pages: list[str]) -> str:
    """A PDF's text layer as HTML, one section per page with an anchor (#page-N)."""
    out = []
    for n, text in enumerate(pages, start=1):
        # The page's lines joined into paragraphs, as the members' reader shows them.
        body = "".join(f"<p>{escape(p)}</p>" for p in pdf_text.paragraphs(text))
        out.append(
            f'<section id="page-{n}" aria-label="Page {n}"><h2 id="page-{n}-heading">Page {n}</h2>'
            f"{body or '<p>(No text on this page.)</p>'}</section>"
        )
    return sanitise("".join(out))
