"""From the models to published PDFs: dispatch requests a build; the build publishes the public
and members' agenda and pack; the PDFs read back right; unchanged content is never rendered again;
a change makes a new version and old versions keep serving; an unreadable paper stops the build
with a message naming it while the last good pack stays available."""

from __future__ import annotations

import hashlib

import pytest
import weasyprint
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentBuild, PublishedDocument
from documents.services import request_build, run_build
from meetings.agenda import services
from meetings.agenda.papers import paper_path
from meetings.models import AgendaItem
from tests import snapshots
from tests.conftest import PASSWORD
from tests.documents.conftest import (
    PART2_PUBLIC,
    PART2_TITLE,
    PUBLIC_PHRASE,
    SECRET_PHRASES,
    outline_titles,
    pdf_text,
    upload,
)

pytestmark = pytest.mark.django_db


def run_queued(meeting) -> list[DocumentBuild]:
    """What the worker does: run every queued request in order (earlier ones are superseded)."""
    ids = list(
        DocumentBuild.objects.filter(meeting=meeting, state="queued")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [run_build(build_id=pk) for pk in ids]


def doc(meeting, kind, audience, version=None) -> PublishedDocument:
    qs = PublishedDocument.objects.filter(meeting=meeting, kind=kind, audience=audience)
    return qs.get(version=version) if version else qs.order_by("-version").first()


def read(document: PublishedDocument) -> bytes:
    return paper_path(document.storage_name).read_bytes()


def file_url(document: PublishedDocument) -> str:
    return reverse(
        "documents:file",
        args=[document.meeting_id, document.kind, document.audience, document.version],
    )


@pytest.fixture
def render_count(monkeypatch) -> list[int]:
    """Counts WeasyPrint layouts (the expensive part) by wrapping the library's own method."""
    calls = [0]
    original = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    return calls


@pytest.fixture
def world_v1(request, db) -> dict:
    """The world after its first build (version 1 of each agenda and pack, both audiences):
    built once per session and restored for each test that starts from it."""

    def build() -> dict:
        world = request.getfixturevalue("world")
        (first,) = run_queued(world["meeting"])
        assert first.state == "done", first.error
        return world

    return snapshots.restore(("documents-build-v1", timezone.localdate()), build)


def test_dispatch_requests_one_build_which_publishes_agenda_and_pack_for_both_audiences(world):
    meeting = world["meeting"]
    builds = list(DocumentBuild.objects.filter(meeting=meeting))
    assert [b.state for b in builds] == ["queued"]
    assert builds[0].reason == "agenda dispatched"
    (build,) = run_queued(meeting)
    assert build.state == "done", build.error
    assert build.documents_made == 4
    got = set(
        PublishedDocument.objects.filter(meeting=meeting).values_list("kind", "audience", "version")
    )
    assert got == {
        ("agenda", "public", 1),
        ("pack", "public", 1),
        ("agenda", "members", 1),
        ("pack", "members", 1),
    }


def test_members_pack_pages_add_up_and_every_item_and_paper_has_a_bookmark(world_v1):
    world = world_v1  # version 1 of every document already built
    meeting = world["meeting"]
    pack = doc(meeting, "pack", "members")
    data = read(pack)
    papers = [world[k] for k in ("finance", "strategy", "valuation", "incident")]
    assert pack.page_count == pack.layout["front_pages"] + sum(p.page_count for p in papers)
    assert len(pdf_text(data)) == pack.page_count
    titles = outline_titles(data)
    for item in world["agenda"].items.all():
        assert any(t.startswith(f"{item.number} {item.title}") for t in titles), item.title
    for paper in papers:
        assert paper.title in titles
    # The layout records where each paper starts, and that page is the paper's first page.
    pages = pdf_text(data)
    for placed in pack.layout["papers"]:
        first = pages[placed["first_page"] - 1]
        assert placed["title"].split()[0] in first


def test_public_pack_holds_no_part2_text_and_members_pack_marks_part2_pages(world_v1):
    world = world_v1  # version 1 of every document already built
    meeting = world["meeting"]
    public = "\n".join(pdf_text(read(doc(meeting, "pack", "public"))))
    public_agenda = "\n".join(pdf_text(read(doc(meeting, "agenda", "public"))))
    for text in (public, public_agenda):
        for phrase in SECRET_PHRASES.values():
            assert phrase not in text
        assert PART2_TITLE not in text
        assert "Valuation report" not in text
        assert PART2_PUBLIC in text
    assert PUBLIC_PHRASE in public

    members = read(doc(meeting, "pack", "members"))
    pages = pdf_text(members)
    secret_pages = [t for t in pages if any(p in t for p in SECRET_PHRASES.values())]
    assert len(secret_pages) == 3  # valuation (2) + incident (1)
    assert all("Confidential – Part 2" in t for t in secret_pages)
    public_pages = [t for t in pages if PUBLIC_PHRASE in t]
    assert public_pages and not any("Confidential – Part 2" in t for t in public_pages)


def test_an_unchanged_rebuild_renders_nothing_and_writes_no_file(world, render_count):
    meeting = world["meeting"]
    run_queued(meeting)
    assert render_count[0] >= 4  # the first build did render
    files = sorted(p.name for p in paper_path("documents/x").parent.iterdir())
    render_count[0] = 0
    request_build(meeting_id=meeting.pk, reason="test")
    (build,) = run_queued(meeting)
    assert build.state == "done"
    assert build.documents_made == 0
    assert render_count[0] == 0
    assert sorted(p.name for p in paper_path("documents/x").parent.iterdir()) == files
    assert PublishedDocument.objects.filter(meeting=meeting).count() == 4


def test_a_first_build_lays_out_each_document_once(world, render_count):
    """The pack's front is its agenda after a cover page: the agenda just built tells its
    length, so the front is laid out once, not once on a guess and again at the right length."""
    meeting = world["meeting"]
    # An item described at length: its agenda runs to more pages than an estimate from the
    # number of items and papers gives (as every agenda of the demo did).
    long = "\n\n".join(
        f"Paragraph {n}: " + "the strategy's aims and measures " * 30 for n in range(30)
    )
    AgendaItem.objects.filter(pk=world["items"]["business"].pk).update(description=long)
    (build,) = run_queued(meeting)
    assert build.state == "done" and build.documents_made == 4
    assert render_count[0] == 4  # two agendas, two packs
    for audience in ("public", "members"):
        agenda, pack = doc(meeting, "agenda", audience), doc(meeting, "pack", audience)
        assert pack.layout["front_pages"] == agenda.page_count + 1
        assert agenda.page_count == len(pdf_text(read(agenda))) > 1  # the PDF as written


def test_changes_close_together_cause_one_rebuild(world_v1, render_count):
    world = world_v1  # version 1 of every document already built
    meeting = world["meeting"]
    sec = world["people"]["secretariat"]
    item = world["items"]["business"]
    for n in range(3):
        upload(item, sec, _late_bytes(n), f"Late paper {n}", reason="Data arrived late")
    render_count[0] = 0
    builds = run_queued(meeting)
    assert [b.state for b in builds] == ["superseded", "superseded", "done"]
    assert doc(meeting, "pack", "public").version == 2
    assert doc(meeting, "pack", "members").version == 2
    # One build's worth of rendering: two agendas and two packs, each laid out once.
    assert render_count[0] == 4


def _late_bytes(n: int) -> bytes:
    from tests.documents.conftest import make_pdf

    return make_pdf(f"Late {n}", f"PUBLIC-LATE-{n}", 1)


def test_a_late_paper_makes_version_2_and_version_1_still_serves_its_own_bytes(
    world_v1, paper_bytes, client
):
    world = world_v1  # version 1 of every document already built
    meeting = world["meeting"]
    v1 = doc(meeting, "pack", "public")
    v1_bytes = read(v1)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "pack-public-v1.pdf" in page

    upload(
        world["items"]["business"],
        world["people"]["secretariat"],
        paper_bytes["late"],
        "Late report",
        reason="The figures arrived after dispatch",
    )
    # Until the rebuild runs, the page does not offer the outdated pack.
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "pack-public-v1.pdf" not in page
    assert "Preparing the agenda pack" in page

    run_queued(meeting)
    v2 = doc(meeting, "pack", "public")
    assert v2.version == 2
    assert v2.page_count == v1.page_count + 2
    assert v2.storage_name != v1.storage_name
    assert "Late paper: The figures arrived after dispatch" in "\n".join(pdf_text(read(v2)))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "pack-public-v2.pdf" in page and "pack-public-v1.pdf" not in page

    old = client.get(file_url(v1))
    assert old.status_code == 200
    assert hashlib.sha256(b"".join(old.streaming_content)).digest() == (
        hashlib.sha256(v1_bytes).digest()
    )


def test_an_unreadable_paper_fails_the_build_naming_it_and_the_last_good_pack_stays(
    world_v1, paper_bytes, client
):
    world = world_v1  # version 1 of every document already built
    meeting = world["meeting"]
    v1 = doc(meeting, "pack", "public")
    # The stored file of the finance paper gets damaged on disk; then a late paper arrives.
    path = paper_path(world["finance"].storage_name)
    path.write_bytes(path.read_bytes()[:300])
    upload(
        world["items"]["business"],
        world["people"]["secretariat"],
        paper_bytes["late"],
        "Late report",
        reason="Late figures",
    )
    (build,) = run_queued(meeting)
    assert build.state == "failed"
    minutes_number = world["items"]["minutes"].number
    assert f"Item {minutes_number}" in build.error
    assert "“Finance report” cannot be read" in build.error
    # No new pack was published; the agenda (which reads no paper) was.
    assert doc(meeting, "pack", "public").version == 1
    assert doc(meeting, "agenda", "public").version == 2
    assert not list(paper_path("documents/x").parent.glob("*.part"))

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "pack-public-v1.pdf" in page
    assert "does not include the latest changes" in page
    assert client.get(file_url(v1)).status_code == 200

    client.login(username="secretariat", password=PASSWORD)
    builder = client.get(reverse("agenda:builder", args=[meeting.pk])).content.decode()
    assert "The agenda pack could not be built" in builder
    assert "“Finance report” cannot be read" in builder


def test_a_withheld_paper_gives_that_member_their_own_variant(world_v1, client):
    world = world_v1  # version 1 of every document already built
    meeting = world["meeting"]
    people = world["people"]
    full = doc(meeting, "pack", "members")
    from tests.documents.conftest import person_of

    services.withhold_paper(
        paper=world["valuation"],
        person=person_of(people["member"]),
        reason="Declared interest in the site",
        by=people["chair"],
    )
    (build,) = run_queued(meeting)
    assert build.state == "done"
    variant = doc(meeting, "pack", "members")
    assert variant.version == 2 and variant.content_hash != full.content_hash
    text = "\n".join(pdf_text(read(variant)))
    assert SECRET_PHRASES["valuation"] not in text
    assert SECRET_PHRASES["incident"] in text
    assert world["valuation"].pk not in variant.paper_ids

    client.login(username="member", password=PASSWORD)
    page = client.get(reverse("portal_meetings:meeting", args=[meeting.pk])).content.decode()
    assert "pack-members-v2.pdf" in page
    assert client.get(file_url(full)).status_code == 404  # it holds the withheld paper
    assert client.get(file_url(variant)).status_code == 200

    # Everyone else entitled still shares the full variant.
    client.login(username="participant", password=PASSWORD)
    page = client.get(reverse("portal_meetings:meeting", args=[meeting.pk])).content.decode()
    assert "pack-members-v1.pdf" in page
    assert client.get(file_url(full)).status_code == 200
