"""Traceable Part 2 copies (issue 15, point 6): every Part 2 page of a downloaded paper or
members' pack carries the reader's name and the download time in the margin, stamped at download
from the stored pack (no rebuild, the stored file untouched); Part 1 and public copies are the
stored bytes, cacheable as before; the stamped response is private and never stored."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentBuild, PublishedDocument
from icp_secretariat.lib.pdf_trace import reader_label
from meetings.agenda.papers import paper_path
from tests.documents.conftest import PUBLIC_PHRASE, SECRET_PHRASES, pdf_text
from tests.documents.test_build import doc, file_url, read
from tests.documents.test_views import login

pytestmark = pytest.mark.django_db


def paper_url(paper) -> str:
    return reverse("meetings_public:paper", args=[paper.public_id])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_members_pack_part2_pages_carry_the_readers_name_and_time(built, client):
    world = built["world"]
    meeting = world["meeting"]
    members = doc(meeting, "pack", "members")
    stored = read(members)
    stored_digest = hashlib.sha256(stored).hexdigest()
    builds = DocumentBuild.objects.count()

    login(client, "member")
    user = world["people"]["member"]
    before = timezone.localtime().replace(second=0, microsecond=0)
    response = client.get(file_url(members))
    after = timezone.localtime()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    # Stamped from the stored pack: its bytes, then an incremental update; nothing rebuilt.
    assert data.startswith(stored) and len(data) > len(stored)
    assert DocumentBuild.objects.count() == builds
    assert PublishedDocument.objects.filter(meeting=meeting).count() == 4
    assert hashlib.sha256(read(members)).hexdigest() == stored_digest

    pages = pdf_text(data)
    assert len(pages) == members.page_count
    label = f"Downloaded by {reader_label(user)}"
    times = {f"{t:%H:%M}" for t in (before, after)}
    part2 = [
        range(p["first_page"] - 1, p["first_page"] - 1 + p["page_count"])
        for p in members.layout["papers"]
        if p["confidential"]
    ]
    part2_pages = {i for r in part2 for i in r}
    assert part2_pages, "the world has Part 2 papers"
    for index, text in enumerate(pages):
        flat = " ".join(text.split())
        if index in part2_pages:
            assert label in flat, f"page {index + 1}"
            assert any(f"at {t}" in flat for t in times), f"page {index + 1}"
            assert "Confidential – Part 2" in flat
        else:
            assert "Downloaded by" not in flat, f"page {index + 1} is not Part 2"
    secret_pages = [i for i, t in enumerate(pages) if any(s in t for s in SECRET_PHRASES.values())]
    assert secret_pages and set(secret_pages) <= part2_pages

    # Another reader gets their own name; a 304 is never the answer to a stamped copy.
    login(client, "chair")
    again = client.get(file_url(members), headers={"if-none-match": f'"{members.content_hash}"'})
    assert again.status_code == 200
    other = " ".join(pdf_text(body(again))[min(part2_pages)].split())
    assert f"Downloaded by {reader_label(world['people']['chair'])}" in other
    assert reader_label(user) not in other


def test_public_pack_and_part1_papers_are_the_stored_bytes_and_cacheable(built, client):
    world = built["world"]
    meeting = world["meeting"]
    public = doc(meeting, "pack", "public")
    # Cacheable publicly when asked for anonymously (a signed-in user's responses are private).
    response = client.get(file_url(public))
    assert body(response) == read(public)
    assert response["Cache-Control"].startswith("public")
    assert response["ETag"] == f'"{public.content_hash}"'
    login(client, "member")
    response = client.get(file_url(public))
    assert body(response) == read(public)
    assert "private" in response["Cache-Control"]
    assert response["ETag"] == f'"{public.content_hash}"'

    part1 = client.get(paper_url(world["finance"]))
    assert part1.status_code == 200
    data = body(part1)
    assert data == read_paper(world["finance"])
    assert part1["Cache-Control"] == "private, max-age=0"
    assert "Downloaded by" not in " ".join(pdf_text(data))
    assert PUBLIC_PHRASE in " ".join(pdf_text(data))


def read_paper(paper) -> bytes:
    return paper_path(paper.storage_name).read_bytes()


def test_part2_paper_download_is_stamped_on_every_page_for_the_reader_only(built, client):
    world = built["world"]
    valuation = world["valuation"]
    stored = read_paper(valuation)
    login(client, "member")
    response = client.get(paper_url(valuation))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    pages = pdf_text(body(response))
    assert len(pages) == valuation.page_count == 2
    label = f"Downloaded by {reader_label(world['people']['member'])}"
    for text in pages:
        flat = " ".join(text.split())
        assert label in flat
        assert SECRET_PHRASES["valuation"] in flat
    assert read_paper(valuation) == stored  # the stored paper is untouched
    # Through the same access helpers: anyone not entitled still gets a 404, stamped or not.
    login(client, "outsider")
    assert client.get(paper_url(valuation)).status_code == 404
    # Signed out: asked to sign in first, nothing of the paper sent.
    login(client, None)
    response = client.get(paper_url(valuation))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert SECRET_PHRASES["valuation"].encode() not in response.content


def test_a_pack_built_before_the_layout_recorded_part2_is_stamped_by_its_items(built, client):
    world = built["world"]
    meeting = world["meeting"]
    members = doc(meeting, "pack", "members")
    expected = [p["confidential"] for p in members.layout["papers"]]
    layout = dict(members.layout)
    layout["papers"] = [
        {k: v for k, v in p.items() if k not in ("confidential", "tagged")}
        for p in members.layout["papers"]
    ]
    PublishedDocument.objects.filter(pk=members.pk).update(layout=layout)
    members.refresh_from_db()
    login(client, "member")
    pages = pdf_text(body(client.get(file_url(members))))
    for paper, confidential in zip(members.layout["papers"], expected, strict=True):
        text = " ".join(pages[paper["first_page"] - 1].split())
        assert ("Downloaded by" in text) == confidential, paper["title"]
