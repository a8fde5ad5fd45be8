"""Serving published documents: who gets which pack (404 for anyone not entitled), versioned
URLs, ETag and 304, cache headers, progress while building, and the register of interests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from documents.models import DocumentBuild, PublishedDocument
from members import interests
from tests.conftest import PASSWORD
from tests.documents.conftest import (
    agree_and_dispatch,
    make_pdf,
    pdf_text,
    person_of,
    prepare,
    upload,
)
from tests.documents.test_build import doc, file_url, read, run_queued

pytestmark = pytest.mark.django_db


def login(client, who):
    client.logout()
    if who is not None:
        assert client.login(username=who, password=PASSWORD)


@pytest.mark.parametrize(
    "who, public_pack, members_pack",
    [
        (None, 200, 302),  # signed out: asked to sign in, then sent on
        ("outsider", 200, 404),
        ("observer", 200, 404),  # an observer not invited to Part 2
        ("attendee", 200, 404),
        ("othermember", 200, 404),  # a member of another committee
        ("othersec", 200, 404),
        ("member", 200, 200),
        ("participant", 200, 200),
        ("chair", 200, 200),
        ("secretariat", 200, 200),
        ("invited", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_who_gets_which_pack(built, client, who, public_pack, members_pack):
    meeting = built["world"]["meeting"]
    login(client, who)
    for kind in ("agenda", "pack"):
        assert client.get(file_url(doc(meeting, kind, "public"))).status_code == public_pack
        assert client.get(file_url(doc(meeting, kind, "members"))).status_code == members_pack
    page = client.get(meeting.get_absolute_url()).content.decode()
    expected = "pack-members-v1.pdf" if members_pack == 200 else "pack-public-v1.pdf"
    other = "pack-public-v1.pdf" if members_pack == 200 else "pack-members-v1.pdf"
    assert expected in page and other not in page


def test_a_meeting_held_in_private_has_no_public_pack(
    private_meeting, people, grounds, paper_bytes, client
):
    prepare(private_meeting, people, grounds, paper_bytes)
    agree_and_dispatch(private_meeting, people)
    (build,) = run_queued(private_meeting)
    assert build.state == "done"
    assert not PublishedDocument.objects.filter(meeting=private_meeting, audience="public")
    url = reverse("documents:file", args=[private_meeting.pk, "pack", "public", 1])
    assert client.get(url).status_code == 404
    members = doc(private_meeting, "pack", "members")
    signed_out = client.get(file_url(members))  # signed out: sign in, then sent on
    assert signed_out.status_code == 302
    assert signed_out["Location"] == f"/accounts/login/?next={file_url(members)}"
    page = client.get(private_meeting.get_absolute_url()).content.decode()
    assert "documents/pack" not in page
    login(client, "member")
    assert client.get(file_url(members)).status_code == 200


def test_unknown_versions_and_meetings_are_404(built, client):
    meeting = built["world"]["meeting"]
    assert (
        client.get(reverse("documents:file", args=[meeting.pk, "pack", "public", 9])).status_code
        == 404
    )
    assert (
        client.get(reverse("documents:file", args=[99999, "pack", "public", 1])).status_code == 404
    )
    assert client.get(f"/meetings/{meeting.pk}/documents/pack-secret-v1.pdf").status_code == 404


def test_served_inline_with_etag_and_304_and_private_cache_for_members(built, client):
    meeting = built["world"]["meeting"]
    public = doc(meeting, "pack", "public")
    r = client.get(file_url(public))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("inline")
    assert r["ETag"] == f'"{public.content_hash}"'
    assert r["Cache-Control"].startswith("public")
    assert b"".join(r.streaming_content) == read(public)
    again = client.get(file_url(public), headers={"if-none-match": f'"{public.content_hash}"'})
    assert again.status_code == 304
    assert again["ETag"] == f'"{public.content_hash}"'
    stale = client.get(file_url(public), headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200

    login(client, "member")
    members = doc(meeting, "pack", "members")
    r = client.get(file_url(members))
    assert r.status_code == 200
    assert "private" in r["Cache-Control"]
    # A 304 is never an answer to someone who may not read it.
    login(client, "outsider")
    r = client.get(file_url(members), headers={"if-none-match": f'"{members.content_hash}"'})
    assert r.status_code == 404


def test_page_shows_progress_while_building_then_the_links(world, client):
    meeting = world["meeting"]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Preparing the agenda pack…" in page
    status_url = reverse("documents:status", args=[meeting.pk])
    assert f'hx-get="{status_url}"' in page
    assert "Refresh the page" in page  # works without JavaScript
    assert "documents/pack-" not in page
    # The page asked for nothing new: the dispatch's build is on its way.
    assert DocumentBuild.objects.filter(meeting=meeting).count() == 1

    r = client.get(status_url, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Preparing the agenda pack" in r.content.decode()
    run_queued(meeting)
    r = client.get(status_url, headers={"HX-Request": "true"})
    fragment = r.content.decode()
    assert "pack-public-v1.pdf" in fragment and "agenda-public-v1.pdf" in fragment
    assert "hx-trigger" not in fragment  # polling stops
    assert client.get(status_url).status_code == 302  # without htmx: back to the page


def test_a_meeting_without_its_documents_asks_for_a_build_when_polled(built, client):
    meeting = built["world"]["meeting"]
    PublishedDocument.objects.filter(meeting=meeting, kind="pack").delete()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Preparing the agenda pack" in page
    assert not DocumentBuild.objects.filter(meeting=meeting, state="queued")  # page is read-only
    status_url = reverse("documents:status", args=[meeting.pk])
    client.get(status_url, headers={"HX-Request": "true"})
    lazy = DocumentBuild.objects.filter(meeting=meeting, state="queued").get()
    assert lazy.reason == "first request"
    # The no-JavaScript refresh link: asks for nothing more while one is on its way.
    assert client.get(status_url).status_code == 302
    assert DocumentBuild.objects.filter(meeting=meeting, state="queued").count() == 1
    run_queued(meeting)
    assert "pack-public-v" in client.get(meeting.get_absolute_url()).content.decode()


def test_the_register_as_at_dispatch_is_in_the_pack_and_on_the_page(
    meeting, people, grounds, paper_bytes, client
):
    prepare(meeting, people, grounds, paper_bytes)
    member = person_of(people["member"])
    staff = people["secretariat"]
    shown = interests.declare_interest(
        person=member,
        category="financial",
        involved="Acme Health Ltd",
        description="Shareholding PublishedIbex",
        start_date=dt.date(2024, 2, 1),
        by=people["member"],
    )
    interests.publish_interest(interest=shown, by=staff)
    hidden = interests.declare_interest(
        person=member,
        category="nf_personal",
        involved="A relative",
        description="Sensitive WithheldLemur",
        start_date=dt.date(2024, 3, 1),
        by=people["member"],
    )
    interests.withhold_interest(interest=hidden, reason="Safety", by=staff)
    # Before dispatch (the Chair reading the agenda to agree it) there are no papers sent yet:
    # the register shown is today's, and says so.
    client.login(username="chair", password=PASSWORD)
    before = client.get(reverse("portal_meetings:meeting", args=[meeting.pk])).content.decode()
    assert "The register as it stands today" in before and "PublishedIbex" in before
    assert "when the papers were sent" not in before
    client.logout()
    agree_and_dispatch(meeting, people)
    # Published after dispatch: not in the register "as it stood at dispatch".
    later = interests.declare_interest(
        person=member,
        category="financial",
        involved="Later Ltd",
        description="Later AfterDispatchYak",
        start_date=dt.date(2024, 4, 1),
        by=people["member"],
    )
    interests.publish_interest(interest=later, by=staff)
    run_queued(meeting)

    register_item = meeting.agenda.items.get(standard_key="register")
    for audience in ("public", "members"):
        for kind in ("agenda", "pack"):
            text = "\n".join(pdf_text(read(doc(meeting, kind, audience))))
            assert "PublishedIbex" in text, (kind, audience)
            assert "WithheldLemur" not in text
            assert "AfterDispatchYak" not in text
    pages = pdf_text(read(doc(meeting, "pack", "public")))
    item_page = doc(meeting, "pack", "public").layout["item_pages"][str(register_item.number)]
    assert "PublishedIbex" in "".join(pages[item_page - 1 : item_page + 1])

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "PublishedIbex" in page
    assert "WithheldLemur" not in page
    assert "AfterDispatchYak" not in page
    assert "The register as it stood when the papers were sent" in page


def test_meeting_page_cost_does_not_grow_with_the_documents(
    built, client, django_assert_max_num_queries
):
    world = built["world"]
    meeting = world["meeting"]
    login(client, "member")
    url = reverse("portal_meetings:meeting", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as ctx:
        client.get(url)
    before = len(ctx.captured_queries)
    # More versions and more builds (three of each instead of one) do not cost more queries.
    for n in range(2):
        upload(
            world["items"]["business"],
            world["people"]["secretariat"],
            make_pdf(f"Extra {n}", f"EXTRA-{n}", 1),
            f"Extra {n}",
            reason="late",
        )
        run_queued(meeting)
    # Warmed again as before the first count: what a kept value costs to rebuild (after its
    # expiry, however long the builds above took) is not what this compares.
    client.get(url)
    with django_assert_max_num_queries(before):
        client.get(url)


def test_secretariat_can_ask_for_a_rebuild(built, client):
    meeting = built["world"]["meeting"]
    url = reverse("documents:rebuild", args=[meeting.pk])
    login(client, "member")
    assert client.post(url).status_code == 404
    assert client.get(url).status_code in (404, 405)
    login(client, "secretariat")
    r = client.post(url)
    assert r.status_code == 302
    assert DocumentBuild.objects.filter(meeting=meeting, state="queued").count() == 1
    (build,) = run_queued(meeting)
    assert build.state == "done" and build.documents_made == 0
    builder = client.get(reverse("agenda:builder", args=[meeting.pk])).content.decode()
    assert "Up to date" in builder and "pack-members-v1.pdf" in builder
