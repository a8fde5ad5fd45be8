"""Paper files: checked by content, stored under a system-chosen name outside any public URL.

`inspect_pdf` is pure (bytes in, facts or a `PaperError` out); `store_pdf` writes the file to the
private store (`icp_secretariat.lib.files`: PRIVATE_MEDIA_ROOT or an object store); `open_paper`
opens it for the download view after the access check.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from icp_secretariat.lib import files, pdf_text
from meetings.errors import PaperError

PDF_MAGIC = b"%PDF-"
# Extracted text is for search; a cap keeps one giant paper from bloating the row.
MAX_TEXT_CHARS = 500_000


@dataclass(frozen=True)
class PdfFacts:
    size: int
    sha256: str
    page_count: int
    text: str
    pages: tuple[str, ...] = ()


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def inspect_pdf(data: bytes, *, max_bytes: int | None = None) -> PdfFacts:
    """Check that `data` is a readable, unencrypted PDF within the size limit."""
    limit = settings.PAPER_MAX_BYTES if max_bytes is None else max_bytes
    if not data:
        raise PaperError("The file is empty. Choose the PDF of the paper.")
    if len(data) > limit:
        raise PaperError(
            f"The file is {_human_size(len(data))}; papers must be {_human_size(limit)} or "
            "smaller. Reduce the file size (for example, compress the images) and try again."
        )
    # The header must open the file: bytes in front of it are how HTML/PDF polyglots are made.
    if not data.startswith(PDF_MAGIC):
        if PDF_MAGIC in data[:1024]:
            raise PaperError(
                "The file does not start with the PDF header (%PDF-): something is in front of "
                "it. Save or export the PDF again and upload the new file."
            )
        raise PaperError("The file is not a PDF. Save the paper as PDF and upload that.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PaperError(
                "The PDF is password-protected or encrypted. Save a copy without a password "
                "and upload that, so members and the public can open it."
            )
        page_count = len(reader.pages)
        if page_count < 1:
            raise PaperError("The PDF has no pages.")
    except PaperError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PaperError(
            "The PDF is damaged or incomplete and cannot be read. Save or export it again "
            "and upload the new file."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure means "unreadable", not a 500
        raise PaperError(
            "The PDF could not be read. Save or export it again and upload the new file."
        ) from exc
    # The text is a search aid: a page that cannot be read gives none, and does not block upload.
    parts = pdf_text.page_texts(data, max_chars=MAX_TEXT_CHARS)
    return PdfFacts(
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
        text="\n".join(parts)[:MAX_TEXT_CHARS],
        pages=tuple(parts),
    )


def check_pdf(data: bytes, *, max_bytes: int | None = None) -> None:
    """The fast checks of the upload request: size, header, readable, not encrypted, has pages.
    Counting and reading every page is left to the worker (`inspect_pdf`)."""
    limit = settings.PAPER_MAX_BYTES if max_bytes is None else max_bytes
    if not data:
        raise PaperError("The file is empty. Choose the PDF of the paper.")
    if len(data) > limit:
        raise PaperError(
            f"The file is {_human_size(len(data))}; papers must be {_human_size(limit)} or "
            "smaller. Reduce the file size (for example, compress the images) and try again."
        )
    if not data.startswith(PDF_MAGIC):
        inspect_pdf(data, max_bytes=max_bytes)  # raises with the right message
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PaperError(
                "The PDF is password-protected or encrypted. Save a copy without a password "
                "and upload that, so members and the public can open it."
            )
        count = int(reader.trailer["/Root"]["/Pages"].get("/Count", 0))
        if count < 1:
            raise PaperError("The PDF has no pages.")
    except PaperError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means "unreadable", not a 500
        raise PaperError(
            "The PDF is damaged or incomplete and cannot be read. Save or export it again "
            "and upload the new file."
        ) from exc


# ---------------------------------------------------------------- hostile PDFs (issue 15)

_BAD_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "a launch action"}


def defuse_pdf(data: bytes) -> tuple[bytes, list[str]]:
    """Remove JavaScript, open actions, additional actions (/AA), launch actions and embedded
    files. Returns the bytes to store (unchanged when nothing was found) and what was removed,
    in words for the uploader."""
    import logging

    import pikepdf

    logging.getLogger("pikepdf._core").setLevel(logging.WARNING)  # no start-up chatter
    removed: dict[str, int] = {}

    def note(what: str) -> None:
        removed[what] = removed.get(what, 0) + 1

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parser failure means "unreadable"
        raise PaperError(
            "The PDF is damaged or incomplete and cannot be read. Save or export it again "
            "and upload the new file."
        ) from exc
    with pdf:
        root = pdf.Root
        if "/OpenAction" in root:
            opening = root["/OpenAction"]
            # A plain destination (open at page 1, fit width), as LibreOffice writes, is kept;
            # any action run on opening is removed.
            benign = isinstance(opening, pikepdf.Array) or (
                isinstance(opening, pikepdf.Dictionary)
                and str(opening.get("/S", "")) == "/GoTo"
                and "/Next" not in opening
            )
            if not benign:
                del root["/OpenAction"]
                note("an action run on opening (/OpenAction)")
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            if "/JavaScript" in names:
                del names["/JavaScript"]
                note("document JavaScript")
            if "/EmbeddedFiles" in names:
                del names["/EmbeddedFiles"]
                note("embedded files")
        if "/Collection" in root:
            del root["/Collection"]
            note("embedded files")

        def bad_action(action) -> str | None:
            if not isinstance(action, pikepdf.Dictionary):
                return None
            kind = str(action.get("/S", ""))
            if kind in _BAD_ACTIONS or "/JS" in action:
                return _BAD_ACTIONS.get(kind, "JavaScript")
            return bad_action(action.get("/Next"))

        seen: set[tuple[int, int]] = set()

        def walk(start) -> None:
            # Iterative: outlines chain thousands of siblings through /Next.
            stack = [start]
            while stack:
                obj = stack.pop()
                if not isinstance(obj, pikepdf.Dictionary | pikepdf.Array):
                    continue
                if obj.is_indirect:
                    if obj.objgen in seen:
                        continue
                    seen.add(obj.objgen)
                if isinstance(obj, pikepdf.Array):
                    stack.extend(obj)
                    continue
                if "/AA" in obj:
                    del obj["/AA"]
                    note("automatic actions (/AA)")
                if "/A" in obj and (what := bad_action(obj["/A"])):
                    del obj["/A"]
                    note(what)
                annots = obj.get("/Annots")
                if isinstance(annots, pikepdf.Array):
                    keep = [a for a in annots if str(a.get("/Subtype", "")) != "/FileAttachment"]
                    for _ in range(len(annots) - len(keep)):
                        note("embedded files")
                    if len(keep) != len(annots):
                        obj["/Annots"] = pikepdf.Array(keep)
                for key in obj.keys():
                    if key not in {"/Parent", "/P", "/ParentTree", "/Prev"}:
                        stack.append(obj[key])

        walk(root)
        if "/AcroForm" in root and "/XFA" in root["/AcroForm"]:
            del root["/AcroForm"]["/XFA"]
            note("an XFA form (scripted)")
        if not removed:
            return data, []
        out = io.BytesIO()
        pdf.save(out)
    words = [f"{what} ({n})" if n > 1 else what for what, n in removed.items()]
    return out.getvalue(), words


_UNSAFE = re.compile(r"[^\w .()+,&'-]+")


def display_name(name: str) -> str:
    """The uploader's file name made safe to show: no folders, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:200] or "paper.pdf"


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def store_pdf(data: bytes, suffix: str = "pdf") -> str:
    """Store the bytes under a new random name; return that name (in the private store)."""
    return files.save(f"papers/{uuid.uuid4().hex}.{suffix}", data)


def paper_path(storage_name: str) -> Path:
    """The file's path on disk when files are on the filesystem (see `icp_secretariat.lib.files`)."""
    return files.local_path(storage_name)


def delete_file(storage_name: str) -> None:
    files.delete(storage_name)


def read_stored(storage_name: str) -> bytes:
    """A stored file's bytes (papers, originals), wherever the store is."""
    return files.read_bytes(storage_name)


def stored_size(storage_name: str) -> int:
    return files.size(storage_name)


def open_paper(paper):
    return files.open_file(paper.storage_name)


def page_texts(paper) -> list[str]:
    """The stored paper's text page by page (the members' reader, and the web version of a
    paper stored without one), read from its PDF once per file (cached by its digest); the
    stored search text as one page if the file cannot be read."""
    key = f"papers:pages:{paper.sha256}"
    pages = cache.get(key)
    if pages is not None:
        return pages
    try:
        with open_paper(paper) as fh:
            pages = pdf_text.page_texts(fh.read(), max_chars=2_000_000)
    except Exception:  # noqa: BLE001 - a file the store cannot give: the stored text is the fallback
        pages = []
    if not pages:  # nor could any page be read
        pages = [paper.text or ""]
    cache.set(key, pages, 24 * 3600)
    return pages


def open_original(paper):
    """The office file as uploaded (issue 15); FileNotFoundError when the paper has none."""
    if not paper.source_name:
        raise FileNotFoundError("no original")
    return files.open_file(paper.source_name)


def read_upload(uploaded, *, max_bytes: int | None = None) -> bytes:
    """Read an UploadedFile, refusing to read past the limit."""
    limit = settings.PAPER_MAX_BYTES if max_bytes is None else max_bytes
    if uploaded.size is not None and uploaded.size > limit:
        raise PaperError(
            f"The file is {_human_size(uploaded.size)}; papers must be {_human_size(limit)} or "
            "smaller. Reduce the file size and try again."
        )
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    return data
