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
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from icp_secretariat.lib import files
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
    # Some PDF writers put a few bytes before the header; readers accept it within 1 KB.
    if PDF_MAGIC not in data[:1024]:
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
        parts = []
        total = 0
        for page in reader.pages:
            try:
                chunk = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - text is a search aid; a bad page must not block upload
                chunk = ""
            parts.append(chunk)
            total += len(chunk)
            if total > MAX_TEXT_CHARS:
                break
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
    text = "\n".join(parts)[:MAX_TEXT_CHARS].replace("\x00", "")
    return PdfFacts(
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
        text=text,
    )


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


def store_pdf(data: bytes) -> str:
    """Store the bytes under a new random name; return that name (in the private store)."""
    return files.save(f"papers/{uuid.uuid4().hex}.pdf", data)


def paper_path(storage_name: str) -> Path:
    """The file's path on disk when files are on the filesystem (see `icp_secretariat.lib.files`)."""
    return files.local_path(storage_name)


def delete_file(storage_name: str) -> None:
    files.delete(storage_name)


def open_paper(paper):
    return files.open_file(paper.storage_name)


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
