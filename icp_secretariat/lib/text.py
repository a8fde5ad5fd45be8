"""Plain text as safe HTML: light Markdown (headings, bullets, bold) for published texts such as
the Terms of Reference, and paragraphs and bullets for minutes. Everything is escaped; only the
few tags made here are emitted."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*$")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def _plain(text: str) -> str:
    return text.replace("**", "").strip()


def render_light_markdown(text: str) -> SafeString:
    """`#` lines become h2 headings (the page has its own h1; source documents use heading
    levels loosely, so one level keeps the outline valid), `- ` lines list items, other lines
    paragraphs."""
    out: list[str] = []
    in_list = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        bullet = line.startswith(("- ", "* "))
        if in_list and not bullet:
            out.append("</ul>")
            in_list = False
        if heading:
            words = _plain(heading.group(2))
            if not words:
                continue
            out.append(f'<h2 class="govuk-heading-m">{escape(words)}</h2>')
        elif bullet:
            if not in_list:
                out.append('<ul class="govuk-list govuk-list--bullet">')
                in_list = True
            out.append(f"<li>{_inline(line[2:].strip())}</li>")
        else:
            out.append(f'<p class="govuk-body">{_inline(line)}</p>')
    if in_list:
        out.append("</ul>")
    return mark_safe("\n".join(out))


def text_to_html(text: str) -> SafeString:
    """The minutes' plain text as accessible HTML: blank lines split paragraphs, lines starting
    "- " make a bulleted list. Everything is escaped first."""
    blocks = [b for b in re.split(r"\n\s*\n", (text or "").strip()) if b.strip()]
    out = []
    for block in blocks:
        lines = [ln.rstrip() for ln in block.strip().splitlines()]
        if all(ln.lstrip().startswith("- ") for ln in lines):
            li = "".join(f"<li>{escape(ln.lstrip()[2:])}</li>" for ln in lines)
            out.append(f'<ul class="govuk-list govuk-list--bullet">{li}</ul>')
        else:
            out.append('<p class="govuk-body">' + "<br>".join(escape(ln) for ln in lines) + "</p>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above
