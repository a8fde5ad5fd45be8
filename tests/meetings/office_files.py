"""Office documents for tests (issue 15), built in memory: a Word paper with headings, a list, a
table and an image with alt text; macro-enabled and renamed packages; a hostile PDF."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

IMAGE_ALT = "Bar chart of spending by place"


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def word_paper(title: str = "Winter pressures plan", phrase: str = "WORD-PHRASE-OKAPI") -> bytes:
    import docx
    from docx.shared import Inches

    doc = docx.Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"This paper sets out the plan. {phrase}.")
    doc.add_heading("Recommendations", level=2)
    doc.add_paragraph("Agree the plan.", style="List Number")
    doc.add_paragraph("Note the risks.", style="List Number")
    doc.add_heading("Spending by place", level=2)
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Place", "Spend"), ("Dartford", "£1.2m"), ("Medway", "£0.9m")]):
        table.cell(r, 0).text = a
        table.cell(r, 1).text = b
    doc.add_picture(io.BytesIO(png_bytes()), width=Inches(2))
    doc.inline_shapes[0]._inline.docPr.set("descr", IMAGE_ALT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _rezip(data: bytes, extra: dict[str, bytes], content_types=None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml" and content_types:
                body = content_types(body)
            dst.writestr(info.filename, body)
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def macro_word_paper() -> bytes:
    """A .docm: the macro-enabled main part and a VBA project."""
    return _rezip(
        word_paper(),
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"},
        content_types=lambda b: b.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
    )


def odt_with_basic_macro() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("Basic/Standard/Module1.xml", "<script:module>Sub Main</script:module>")
    return out.getvalue()


def renamed_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("holiday.jpg", b"not really a photo")
        z.writestr("notes.txt", "hello")
    return out.getvalue()


def hostile_pdf(phrase: str = "HOSTILE-PHRASE-LYNX") -> bytes:
    """A real PDF with document JavaScript, an /OpenAction, page /AA, a launch link and an
    embedded file."""
    import pikepdf

    from tests.documents.conftest import make_pdf

    pdf = pikepdf.open(io.BytesIO(make_pdf("Hostile", phrase, 2)))
    js = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )
    pdf.Root.OpenAction = js
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), js])),
        EmbeddedFiles=pikepdf.Dictionary(
            Names=pikepdf.Array(
                [
                    pikepdf.String("evil.exe"),
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Filespec,
                        F=pikepdf.String("evil.exe"),
                        EF=pikepdf.Dictionary(F=pdf.make_stream(b"MZ payload")),
                    ),
                ]
            )
        ),
    )
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=js)
    launch = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(launch)]))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return out.getvalue()
