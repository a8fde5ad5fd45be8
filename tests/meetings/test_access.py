"""The permissions matrix: each persona against each page and file, before and after dispatch,
for a public meeting with Part 2 business and for a meeting held wholly in private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings import access
from meetings.agenda import services
from meetings.models import Paper, PaperDownload
from members.models import Person
from tests.conftest import PASSWORD
from tests.meetings.conftest import SECRET_DESCRIPTION, SECRET_TITLE

EVERYONE = [
    "secretariat",
    "admin",
    "chair",
    "leadership",
    "member",
    "participant",
    "observer",
    "invited_observer",
    "attendee",
    "outsider",
    "other_member",
    "other_secretariat",
    "anonymous",
]
STAFF = {"secretariat", "admin", "chair", "leadership"}
ENTITLED_PART2 = STAFF | {"member", "participant", "invited_observer"}


def dispatch(m, people):
    agenda = m.agenda
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()


def login(client, people, who):
    client.logout()
    if people[who] is not None:
        assert client.login(username=people[who].username, password=PASSWORD)


def paper_url(paper: Paper) -> str:
    return reverse("meetings_public:paper", args=[paper.public_id])


def status_of(client, url: str, who: str) -> int:
    """The status a persona gets; a refusal to someone signed out is "sign in, then come back"
    (404 once signed in if still not entitled), reported here as 404 after checking it."""
    response = client.get(url)
    if who == "anonymous" and response.status_code == 302:
        assert response["Location"] == f"/accounts/login/?next={url}", response["Location"]
        return 404
    return response.status_code


@pytest.mark.parametrize("who", EVERYONE)
def test_before_dispatch_only_staff_see_papers(client, world_once, who):
    login(client, world_once["people"], who)
    for key in ("pub_p1", "pub_p2", "priv_p1", "priv_p2"):
        expected = 200 if who in STAFF else 404
        assert status_of(client, paper_url(world_once[key]), who) == expected, key
    page = client.get(
        reverse("meetings_public:meeting", args=["test-jc", world_once["meeting"].pk])
    )
    assert page.status_code == 200
    assert ("Declarations of interest" in page.text) == (who in STAFF)


@pytest.mark.parametrize("who", EVERYONE)
def test_after_dispatch_part1_is_public_and_part2_is_for_the_entitled(client, world_once, who):
    people = world_once["people"]
    dispatch(world_once["meeting"], people)
    dispatch(world_once["private"], people)
    login(client, people, who)
    assert client.get(paper_url(world_once["pub_p1"])).status_code == 200
    part2 = status_of(client, paper_url(world_once["pub_p2"]), who)
    assert part2 == (200 if who in ENTITLED_PART2 else 404)
    page = client.get(
        reverse("meetings_public:meeting", args=["test-jc", world_once["meeting"].pk])
    )
    assert page.status_code == 200
    assert SECRET_DESCRIPTION in page.text  # the public agenda still lists Part 2 by description
    assert (SECRET_TITLE in page.text) == (who in ENTITLED_PART2)
    assert ("Valuation report" in page.text) == (who in ENTITLED_PART2)
    # A meeting held wholly in private: only its existence and date for the others. The invited
    # observer was invited to the public meeting, not this one.
    entitled_private = ENTITLED_PART2 - {"invited_observer"}
    priv = client.get(
        reverse("meetings_public:meeting", args=["test-jc", world_once["private"].pk])
    )
    assert priv.status_code == 200
    assert ("Declarations of interest" in priv.text) == (who in entitled_private)
    assert (SECRET_DESCRIPTION in priv.text) == (who in entitled_private)
    for key in ("priv_p1", "priv_p2"):
        assert status_of(client, paper_url(world_once[key]), who) == (
            200 if who in entitled_private else 404
        )


@pytest.mark.parametrize("who", EVERYONE)
def test_secretariat_screens_are_404_for_everyone_else(client, world_once, who):
    people = world_once["people"]
    login(client, people, who)
    m = world_once["meeting"]
    item = m.agenda.items.first()
    urls = [
        reverse("agenda:builder", args=[m.pk]),
        reverse("agenda:item_add", args=[m.pk]),
        reverse("agenda:item_edit", args=[item.pk]),
        reverse("agenda:paper_upload", args=[item.pk]),
        reverse("agenda:paper_replace", args=[world_once["pub_p1"].pk]),
        reverse("agenda:requests", args=[m.pk]),
        reverse("agenda:downloads", args=[m.pk]),
        reverse("agenda:invitations", args=[m.pk]),
    ]
    for url in urls:
        resp = client.get(url)
        if who == "anonymous":
            assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
        else:
            assert resp.status_code == (200 if who in {"secretariat", "admin"} else 404), url
    posts = [
        reverse("agenda:item_move", args=[item.pk]),
        reverse("agenda:item_delete", args=[item.pk]),
        reverse("agenda:send_to_chair", args=[m.pk]),
        reverse("agenda:dispatch", args=[m.pk]),
    ]
    for url in posts:
        resp = client.post(url, {"direction": "down"})
        if who == "anonymous":
            assert resp.status_code == 302
        elif who not in {"secretariat", "admin"}:
            assert resp.status_code == 404, url


@pytest.mark.parametrize("who", EVERYONE)
def test_chair_and_member_pages(client, world_once, who):
    people = world_once["people"]
    login(client, people, who)
    m = world_once["meeting"]
    agree = client.get(reverse("portal_meetings:agenda_agreement", args=[m.pk]))
    req = client.get(reverse("portal_meetings:request_item", args=[m.pk]))
    decide = client.get(reverse("portal_meetings:chair_requests", args=[m.pk]))
    if who == "anonymous":
        assert {agree.status_code, req.status_code, decide.status_code} == {302}
        return
    officer_or_sec = {"chair", "leadership", "secretariat", "admin"}
    assert agree.status_code == (200 if who in officer_or_sec else 404)
    assert decide.status_code == (200 if who in officer_or_sec else 404)
    assert req.status_code == (
        200 if who in {"chair", "leadership", "member", "participant"} else 404
    )
    post = client.post(reverse("portal_meetings:agenda_agree", args=[m.pk]), {"version": "1"})
    if who not in officer_or_sec:
        assert post.status_code == 404


def test_wrong_committee_slug_is_404(client, world_once):
    assert (
        client.get(
            reverse("meetings_public:meeting", args=["other", world_once["meeting"].pk])
        ).status_code
        == 404
    )


def test_part2_downloads_are_logged_and_shown_to_the_secretariat(client, world_once):
    people = world_once["people"]
    dispatch(world_once["meeting"], people)
    login(client, people, "member")
    client.get(paper_url(world_once["pub_p2"]))
    client.get(paper_url(world_once["pub_p1"]))
    login(client, people, "outsider")
    client.get(paper_url(world_once["pub_p2"]))  # 404: not logged
    rows = list(PaperDownload.objects.all())
    assert [(r.user.username, r.paper_id) for r in rows] == [("member", world_once["pub_p2"].pk)]
    login(client, people, "secretariat")
    log = client.get(reverse("agenda:downloads", args=[world_once["meeting"].pk]))
    assert "member" in log.text.lower() and "Valuation report" in log.text
    resp = client.get(paper_url(world_once["pub_p2"]))
    assert resp["Cache-Control"] == "private, no-store"


def test_chair_may_withhold_a_part2_paper_from_a_conflicted_member(client, world_once):
    people = world_once["people"]
    dispatch(world_once["meeting"], people)
    member = Person.objects.get(user=people["member"])
    services.withhold_paper(
        paper=world_once["pub_p2"],
        person=member,
        reason="Declared interest in the site",
        by=people["chair"],
    )
    login(client, people, "member")
    assert client.get(paper_url(world_once["pub_p2"])).status_code == 404
    page = client.get(reverse("portal_meetings:meeting", args=[world_once["meeting"].pk]))
    assert "Valuation report" not in page.text
    login(client, people, "participant")
    assert client.get(paper_url(world_once["pub_p2"])).status_code == 200


def test_access_helpers_agree_with_each_other(world_once):
    people = world_once["people"]
    m = world_once["meeting"]
    dispatch(m, people)
    for who in EVERYONE:
        user = people[who]
        from django.contrib.auth.models import AnonymousUser

        user = user or AnonymousUser()
        visible = set(access.visible_papers(user, m).values_list("pk", flat=True))
        for key in ("pub_p1", "pub_p2"):
            assert (world_once[key].pk in visible) == access.paper_visible_to(
                user, world_once[key]
            ), (
                who,
                key,
            )
        assert access.can_see_part2(user, m) == (who in ENTITLED_PART2)


def test_withholding_screen_is_for_the_chair_and_takes_effect(client, world_once):
    people = world_once["people"]
    dispatch(world_once["meeting"], people)
    url = reverse("portal_meetings:withhold", args=[world_once["meeting"].pk])
    login(client, people, "member")
    assert client.get(url).status_code == 404
    login(client, people, "chair")
    member = Person.objects.get(user=people["member"])
    resp = client.post(
        url,
        {"paper": world_once["pub_p2"].pk, "person": member.pk, "reason": "Interest in the site"},
    )
    assert resp.status_code == 302
    assert "Interest in the site" in client.get(url).text
    login(client, people, "member")
    assert client.get(paper_url(world_once["pub_p2"])).status_code == 404
    # A Part 1 paper cannot be offered for withholding.
    login(client, people, "chair")
    resp = client.post(url, {"paper": world_once["pub_p1"].pk, "person": member.pk, "reason": "x"})
    assert resp.status_code == 200 and "Select a valid choice" in resp.text


def test_a_signed_out_member_following_a_part2_link_signs_in_and_is_sent_on(client, world_once):
    people = world_once["people"]
    dispatch(world_once["meeting"], people)
    url = paper_url(world_once["pub_p2"])
    client.logout()
    asked = client.get(url)
    assert asked.status_code == 302
    login_url = asked["Location"]
    assert login_url == f"/accounts/login/?next={url}"
    assert "Valuation report" not in asked.text
    form = client.get(login_url)
    assert form.status_code == 200 and f'value="{url}"' in form.text
    signed_in = client.post(
        login_url, {"login": "member", "password": PASSWORD, "next": url}, follow=False
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == url
    assert client.get(url).status_code == 200
    # Signed in but not entitled: still 404, never a sign-in loop.
    login(client, people, "outsider")
    assert client.get(url).status_code == 404
    # A `next` to another site is not followed after sign-in.
    client.logout()
    evil = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"login": "member", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert "evil.example" not in evil.get("Location", "")


def test_a_signed_out_person_asking_for_the_members_meeting_page_is_asked_to_sign_in(
    client, world_once
):
    url = reverse("portal_meetings:meeting", args=[world_once["meeting"].pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"
    # Something that does not exist is 404 for everyone, not a sign-in page.
    assert client.get("/papers/00000000-0000-0000-0000-000000000000/").status_code == 404
