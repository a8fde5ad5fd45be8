"""The text of a PDF, page by page: what search stores for a paper, what the members' reader
shows, and what a PDF paper's web version is made of (its lines joined into paragraphs).

Read with PDFium (pypdfium2), the engine Chromium shows PDFs with. pypdf's extractor, used
before, is pure Python: on the demo's 150 PDFs PDFium took 5 s where pypdf took 108 s, and
gave the same words in the same order in every file (7 December 2026), so a 40-page paper's
text costs the worker, or the first member to open it in the reader, a tenth of a second
rather than three (benchmarks/pdf_text.py).

PDFium is not thread-safe and the web server may run threads, so one call reads at a time.
"""

from __future__ import annotations

import logging
import re
import threading

logger = logging.getLogger(__name__)

_lock = threading.Lock()


def page_texts(data: bytes, *, max_chars: int) -> list[str]:
    """The text of each page, in order, until `max_chars` characters have been read (the page
    that passes the limit is the last one read). Lines end with "\\n"; NULs are dropped. A page
    whose text cannot be read gives ""; a file PDFium cannot open gives no pages (the text is
    a search and reading aid: the caller has already checked the file)."""
    # Imported when first used, not with the module: loading PDFium costs every process that
    # imports the paper code (each web and worker process) a tenth of a second at start.
    import pypdfium2

    with _lock:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            logger.warning("PDF text not read: %s", exc)
            return []
        try:
            pages, total = [], 0
            for index in range(len(document)):
                text = _page_text(document, index)
                pages.append(text)
                total += len(text)
                if total > max_chars:
                    break
            return pages
        finally:
            document.close()


def _page_text(document, index: int) -> str:
    import pypdfium2

    page = textpage = None
    try:
        page = document[index]
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
    except pypdfium2.PdfiumError as exc:
        logger.warning("PDF page %d text not read: %s", index + 1, exc)
        return ""
    finally:
        for handle in (textpage, page):
            if handle is not None:
                handle.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def squash(text: str) -> str:
    """Whitespace folded to single spaces: how the reader shows text and how quotes compare."""
    return " ".join((text or "").split())


_SENTENCE_END = re.compile(r"[.:;!?]\s*$")


def paragraphs(page_text: str) -> list[str]:
    """A page's extracted lines joined into paragraphs: a blank line, a line that ends a
    sentence or a short line ends a paragraph."""
    lines = [ln.strip() for ln in (page_text or "").splitlines()]
    longest = max((len(ln) for ln in lines), default=0)
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                out.append(squash(" ".join(current)))
                current = []
            continue
        current.append(line)
        if _SENTENCE_END.search(line) or len(line) < 0.6 * longest:
            out.append(squash(" ".join(current)))
            current = []
    if current:
        out.append(squash(" ".join(current)))
    return [p for p in out if p]
