"""Proof that nothing confidential leaks: crawl the whole public site on the demo data.

Starting from the home page (and the sitemap), follow every same-site link, feed, API link,
search result and PDF, first anonymously and then signed in with no role, and look for the
unique phrases the demo puts in Part 2 papers, Part 2 minutes and decisions, and withheld
register entries, and for the titles of the demo's Part 2 items. Part 2 paper addresses are
also requested directly: their 404 pages must not leak either.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from demo.agenda import PRIVATE
from meetings.models import Paper, Part
from members.models import Interest
from tests.conftest import load_demo_once, make_user

pytestmark = pytest.mark.django_db

PHRASES = [
    "WITHHELD-INTEREST-",
    "PART2-SECRET-",
    "PART2-MINUTES-SECRET-",
    "PART2-DECISION-SECRET-",
    *[title for title, _, _ in PRIVATE],
]
SEARCHES = [
    "procurement",
    "serious incident",
    "individual",
    "confidential",
    "strategy",
    "workforce",
    "PART2",
    "secret",
    "withheld",
    "budget",
]
SKIP_PREFIXES = ("/static/", "/admin/", "/accounts/logout", "/media/")
MAX_PAGES = 4000


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        if tag == "form" and (a.get("method") or "get").lower() == "get" and a.get("action"):
            self.links.append(a["action"])


def _same_site(url: str, base: str) -> str | None:
    """The path?query of a same-site URL, or None for another site."""
    full = urljoin(base, url)
    parts = urlsplit(full)
    site = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https"):
        return None
    if parts.netloc not in ("testserver", site.netloc):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links_in(body: str, content_type: str) -> list[str]:
    if "html" in content_type:
        parser = _Links()
        parser.feed(body)
        return parser.links
    if "calendar" in content_type:
        return re.findall(r"^URL:(\S+)", body.replace("\r\n ", ""), flags=re.M)
    # XML (sitemap, Atom) and JSON (API): every URL-looking string.
    found = re.findall(r"https?://[^\s\"'<>]+", body)
    found += re.findall(r"<loc>([^<]+)</loc>", body)
    return found


_PDF_TEXTS: dict[bytes, str] = {}


def pdf_text(data: bytes) -> str:
    """The text of a PDF as Poppler's pdftotext reads it (a reader's view, as pypdf gives, at a
    fraction of the time: the crawl reads hundreds of pack pages), then its raw bytes (metadata,
    uncompressed streams). Kept by digest: both crawls fetch the same public PDFs."""
    key = hashlib.sha256(data).digest()
    if key not in _PDF_TEXTS:
        _PDF_TEXTS[key] = _read_pdf(data) + "\n" + data.decode("latin-1")
    return _PDF_TEXTS[key]


def _read_pdf(data: bytes) -> str:
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-q", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout.decode("utf-8", errors="replace")
    else:  # no Poppler (CI installs it): pypdf reads the same text, slowly
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    return text


def _text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in content_type:
        return pdf_text(data)
    return data.decode("utf-8", errors="replace")


def crawl(client: Client, extra: list[str]) -> dict:
    seen: set[str] = set()
    queue = deque(["/", "/sitemap.xml", *[f"/search/?q={q}" for q in SEARCHES], *extra])
    kinds: dict[str, int] = {}
    ok: set[str] = set()
    leaks = []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(path)
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        kind = content_type.split(";")[0] or str(response.status_code)
        kinds[kind] = kinds.get(kind, 0) + 1
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_site(response["Location"], "http://testserver" + path)
            if target:
                queue.append(target)
            continue
        text = _text_of(response)
        for phrase in PHRASES:
            if phrase in text:
                leaks.append((path, response.status_code, phrase))
        if response.status_code != 200:
            continue
        ok.add(path)
        for link in _links_in(text, content_type):
            target = _same_site(link.split("#")[0], "http://testserver" + path)
            if target and target not in seen:
                queue.append(target)
    return {"seen": seen, "ok": ok, "kinds": kinds, "leaks": leaks}


def test_no_part2_or_withheld_content_reaches_the_public_or_a_user_without_a_role():
    # The demo as the worker leaves it (tests/conftest.py): documents built, the minutes' PDFs
    # made, and the next meetings' agendas and packs rebuilt to carry the published minutes.
    load_demo_once(documents=True)
    from documents.models import DocumentBuild
    from meetings.models import Minutes, MinutesDocument

    assert Minutes.objects.filter(state=Minutes.State.PUBLISHED).exists()
    assert MinutesDocument.objects.filter(audience="public").exists()
    assert not DocumentBuild.objects.filter(state=DocumentBuild.State.QUEUED).exists()
    # The demo's Part 2 decisions and minutes must carry their phrases, or this proves nothing.
    from meetings.models import Decision

    assert Decision.objects.filter(part=Part.PRIVATE, text__contains="PART2-DECISION-SECRET-")
    assert any(
        "PART2-MINUTES-SECRET-" in s["text"]
        for m in Minutes.objects.filter(state=Minutes.State.PUBLISHED)
        for s in m.sections_for(Part.PRIVATE)
    )

    # The demo must really contain the secrets, or this test proves nothing.
    part2 = list(Paper.objects.filter(item__part=Part.PRIVATE).select_related("item"))
    assert part2 and all("PART2-SECRET-" in p.text for p in part2)
    assert Interest.objects.filter(involved__startswith="WITHHELD-INTEREST-").exists()
    direct = [f"/papers/{p.public_id}/" for p in part2]
    direct += [f"/papers/{p.public_id}/confidential.pdf" for p in part2[:3]]
    # The members' minutes PDFs (with Part 2) and the Part 2 decision notices, asked directly.
    from django.urls import reverse

    for m in Minutes.objects.filter(state=Minutes.State.PUBLISHED).select_related(
        "meeting__committee"
    ):
        args = [m.meeting.committee.slug, m.meeting_id, m.version, "members"]
        direct.append(reverse("record:minutes_pdf", args=args))
    direct += [
        reverse("record:decision_notice", args=[d.committee.slug, d.pk])
        for d in Decision.objects.filter(part=Part.PRIVATE).select_related("committee")
    ]

    # A member of K&M may open a Part 2 paper (positive control for the access check).
    dispatched = next(p for p in part2 if p.item.agenda.state == "dispatched")
    member_user = (
        dispatched.item.agenda.meeting.committee.memberships.filter(
            role="member", person__user__isnull=False
        )
        .first()
        .person.user
    )
    member = Client()
    member.force_login(member_user)
    response = member.get(f"/papers/{dispatched.public_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"  # the PDF reader finds the phrase
    assert "PART2-SECRET-" in _text_of(response)

    anonymous = crawl(Client(), direct)
    nobody = Client()
    nobody.force_login(make_user("no-role-at-all"))
    signed_in = crawl(nobody, direct)

    for result in (anonymous, signed_in):
        assert result["leaks"] == []
        kinds = result["kinds"]
        # The crawl really went everywhere: pages, PDFs, calendars, Atom, sitemap, API.
        assert kinds.get("text/html", 0) > 40, kinds
        assert kinds.get("application/pdf", 0) > 10, kinds
        assert kinds.get("text/calendar", 0) >= 2, kinds
        assert kinds.get("application/atom+xml", 0) >= 2, kinds
        assert kinds.get("application/xml", 0) >= 1, kinds
        assert kinds.get("application/json", 0) >= 1, kinds
        assert any(p.startswith("/search/?q=") for p in result["seen"])
        # The record and the documents were reached by following links: the minutes pages and
        # their PDFs, the decisions registers and notices, and the public packs.
        seen = result["ok"]
        assert any(re.search(r"/meetings/\d+/minutes/$", p) for p in seen), "minutes page"
        assert any(re.search(r"/minutes/\d+/public\.pdf$", p) for p in seen), "minutes PDF"
        assert any(re.search(r"/committees/[^/]+/decisions/$", p) for p in seen), "register"
        assert any(p.endswith("/notice.pdf") for p in seen), "decision notice"
        assert any(re.search(r"/documents/pack-public-v\d+\.pdf$", p) for p in seen), "pack"
        # Nothing for members only was served (a members' PDF answers 404 to these readers).
        assert not [p for p in result["ok"] if "members.pdf" in p or "-members-v" in p]
