"""The access helpers (meetings/access.py) called directly, persona by persona: each predicate
and the list form (queryset) that must agree with it, against a table of what each persona may
see written out here (DOMAIN.md section 4). Part 2 confidentiality is absolute: a persona that
sees one row too many fails here, before any page shows it.

The world (tests/meetings/conftest.py `world`: a public and a private meeting, a Part 1 and a
Part 2 paper in each, 13 personas) is built once per session and restored for each test from its
snapshot (tests/snapshots.py), so these tests take seconds; `scripts/mutation.py` runs them for
the `access` module. The rows whose states a test varies (agenda state, minutes, decisions, key
messages) are set by the test itself with the ORM: these are rules about states, whichever
service reaches them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from committees.models import Committee
from meetings import access
from meetings.models import (
    Agenda,
    AgendaItem,
    Decision,
    KeyMessages,
    Meeting,
    MeetingInvitation,
    Minutes,
    Paper,
    PaperWithholding,
    Part,
)
from members.models import Person
from members.selectors import Capacity, Standing
from tests.meetings.test_access import EVERYONE

STAFF = {"secretariat", "admin", "chair", "leadership"}  # of the test committee
MEMBERS = {"member", "participant"}
INVITED = {"invited_observer"}  # to Part 2 of the public meeting only
NOBODY = set(EVERYONE) - STAFF - MEMBERS - INVITED
PAPERS = ("pub_p1", "pub_p2", "priv_p1", "priv_p2")


@pytest.fixture
def w(world_once):
    return world_once


def user(w, who):
    """A fresh user object (the helpers cache what they read on the object, per request)."""
    found = w["people"][who]
    if found is None:
        return AnonymousUser()
    return get_user_model().objects.get(pk=found.pk)


def set_agenda(meeting: Meeting, state: str) -> None:
    Agenda.objects.filter(meeting=meeting).update(state=state)


def fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("committee", "agenda").get(pk=meeting.pk)


def paper(w, key) -> Paper:
    return Paper.objects.select_related("item__agenda__meeting__committee").get(pk=w[key].pk)


def pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def deactivate(w) -> None:
    Committee.objects.filter(pk=w["meeting"].committee_id).update(is_active=False)


# ------------------------------------------------------------------------------ standing


def test_standing_is_nothing_for_the_signed_out_and_cached_per_user_and_day(
    w, django_assert_num_queries
):
    cid = w["meeting"].committee_id
    assert access.standing_of(None) == Standing()
    assert access.standing_of(AnonymousUser()) == Standing()
    assert access.committee_access(None, cid) == Capacity()
    assert access.committee_access(AnonymousUser(), cid) == Capacity()

    member = user(w, "member")
    person_id = Person.objects.get(user=member).pk
    now = access.committee_access(member, cid)
    assert now.member and not now.staff and now.person_id == person_id
    # Before the membership began (1 January 2024) the same person is no member.
    before = access.committee_access(member, cid, dt.date(2023, 6, 1))
    assert not before.member and before.person_id == person_id
    assert access.committee_access(member, cid).member  # each day cached on its own
    with django_assert_num_queries(0):
        assert access.standing_of(member) is access.standing_of(member)
        access.standing_of(member, dt.date(2023, 6, 1))
    # A superuser is secretariat of every committee, with no person behind it.
    admin = user(w, "admin")
    other = Committee.objects.get(slug="other")
    for committee_id in (cid, other.pk):
        assert access.committee_access(admin, committee_id) == Capacity(secretariat=True)
    assert access.is_secretariat(admin, other)


def test_who_serves_the_committee_and_who_agrees_its_agenda(w):
    committee = w["meeting"].committee
    other = Committee.objects.get(slug="other")
    for who in EVERYONE:
        u = user(w, who)
        assert access.is_secretariat(u, committee) == (who in {"secretariat", "admin"}), who
        assert access.can_agree_agenda(u, w["meeting"]) == (who in {"chair", "leadership"}), who
        assert access.is_secretariat(u, other) == (who in {"other_secretariat", "admin"}), who


# ------------------------------------------------------------------------ meetings and items


def test_a_meeting_is_dispatched_only_once_its_agenda_is(w):
    m = w["meeting"]
    for state in ("draft", "awaiting_chair", "returned", "agreed"):
        set_agenda(m, state)
        assert not access.is_dispatched(fresh(m)), state
    set_agenda(m, "dispatched")
    assert access.is_dispatched(fresh(m))
    Agenda.objects.filter(meeting=m).delete()
    assert not access.is_dispatched(fresh(m))


def test_the_parts_each_persona_reads_before_and_after_dispatch(w):
    pub, priv = w["meeting"], w["private"]
    both = frozenset({Part.PUBLIC, Part.PRIVATE})
    for m in (pub, priv):
        set_agenda(m, "agreed")  # agreed by the Chair, not yet sent: the staff's only
        for who in EVERYONE:
            parts = access.item_visible_parts(user(w, who), fresh(m))
            assert parts == (both if who in STAFF else frozenset()), (who, m)
            assert access.can_see_part2(user(w, who), fresh(m)) == (who in STAFF), who
        set_agenda(m, "dispatched")
    for who in EVERYONE:
        u = user(w, who)
        expected_pub = both if who in STAFF | MEMBERS | INVITED else frozenset({Part.PUBLIC})
        assert access.item_visible_parts(u, fresh(pub)) == expected_pub, who
        # Held wholly in private: nothing for those not entitled, not even Part 1; the observer
        # invited to the public meeting is not invited to this one.
        expected_priv = both if who in STAFF | MEMBERS else frozenset()
        assert access.item_visible_parts(u, fresh(priv)) == expected_priv, who
        assert access.can_see_part2(u, fresh(pub)) == (who in STAFF | MEMBERS | INVITED), who
        assert access.can_see_part2(u, fresh(priv)) == (who in STAFF | MEMBERS), who


def test_an_invitation_to_part1_only_or_to_another_meeting_admits_to_nothing_private(w):
    pub, priv = w["meeting"], w["private"]
    set_agenda(pub, "dispatched")
    set_agenda(priv, "dispatched")
    invitation = MeetingInvitation.objects.get(meeting=pub)
    assert access.item_visible_parts(user(w, "invited_observer"), fresh(pub)) == {1, 2}
    # The same observer asked again on the same request: the answer is cached.
    u = user(w, "invited_observer")
    assert access.can_see_part2(u, fresh(pub))
    invitation.part2 = False
    invitation.save()
    assert access.can_see_part2(u, fresh(pub))  # cached for this request
    assert not access.can_see_part2(user(w, "invited_observer"), fresh(pub))
    # Invited to Part 2 of the private meeting instead: that one, not the public one.
    MeetingInvitation.objects.create(meeting=priv, person=invitation.person, part2=True)
    u = user(w, "invited_observer")
    assert access.item_visible_parts(u, fresh(priv)) == {1, 2}
    assert access.item_visible_parts(u, fresh(pub)) == {1}


def test_item_lists_agree_with_the_parts_each_persona_reads(w):
    pub, priv = w["meeting"], w["private"]
    items = {
        (m.pk, part): pks(AgendaItem.objects.filter(agenda__meeting=m, part=part))
        for m in (pub, priv)
        for part in (1, 2)
    }
    assert all(items.values())

    def listed(qs):
        return pks(qs.filter(agenda__meeting__in=[pub, priv]))

    def union(*keys):
        return set().union(*(items[k] for k in keys))

    everything = union((pub.pk, 1), (pub.pk, 2), (priv.pk, 1), (priv.pk, 2))
    set_agenda(pub, "agreed")
    set_agenda(priv, "agreed")
    for who in EVERYONE:
        u = user(w, who)
        before = everything if who in STAFF else set()
        assert listed(access.visible_items_queryset(u)) == before, who
        assert listed(access.readable_items_queryset(u)) == before, who
        assert listed(access.redacted_items_queryset(u)) == set(), who

    set_agenda(pub, "dispatched")
    set_agenda(priv, "dispatched")
    for who in EVERYONE:
        u = user(w, who)
        if who in STAFF | MEMBERS:
            lines, readable = everything, everything
        elif who in INVITED:
            lines = readable = union((pub.pk, 1), (pub.pk, 2))
        else:  # the public meeting's lines, Part 2 only by its public description
            lines, readable = union((pub.pk, 1), (pub.pk, 2)), union((pub.pk, 1))
        assert listed(access.visible_items_queryset(u)) == lines, who
        assert listed(access.readable_items_queryset(u)) == readable, who
        assert listed(access.redacted_items_queryset(u)) == lines - readable, who
        # The list form agrees with the predicate the pages use.
        for m in (pub, priv):
            parts = access.item_visible_parts(user(w, who), fresh(m))
            from_parts = union(*[(m.pk, part) for part in parts])
            assert from_parts == readable & union((m.pk, 1), (m.pk, 2)), who


def test_a_committee_wound_up_is_listed_for_nobody_and_shown_to_its_secretariat_only(
    w, django_assert_num_queries
):
    pub = w["meeting"]
    # The list of meetings comes with each meeting's committee, in one query.
    with django_assert_num_queries(1):
        listed = {m.pk: m.committee.slug for m in access.visible_meetings(user(w, "anonymous"))}
    assert listed == {pub.pk: "test-jc", w["private"].pk: "test-jc"}
    set_agenda(pub, "dispatched")
    deactivate(w)
    for who in EVERYONE:
        u = user(w, who)
        assert access.meeting_visible_to(u, fresh(pub)) == (who in {"secretariat", "admin"}), who
        assert pub.pk not in pks(access.visible_meetings(u))
        assert not pks(access.visible_items_queryset(u).filter(agenda__meeting=pub)), who
        assert not pks(access.readable_items_queryset(u).filter(agenda__meeting=pub)), who
        assert not pks(access.visible_papers_queryset(u).filter(item__agenda__meeting=pub)), who
    Committee.objects.filter(pk=pub.committee_id).update(is_active=True)
    for who in EVERYONE:
        assert access.meeting_visible_to(user(w, who), fresh(pub))
        assert pub.pk in pks(access.visible_meetings(user(w, who)))


# ------------------------------------------------------------------------------------ papers


def _papers_seen(w, who, expected: set[str]) -> None:
    pub, priv = w["meeting"], w["private"]
    wanted = {w[k].pk for k in expected}
    ids = {w[k].pk for k in PAPERS}
    u = user(w, who)
    for key in PAPERS:
        assert access.paper_visible_to(u, paper(w, key)) == (key in expected), (who, key)
    per_meeting = pks(access.visible_papers(user(w, who), fresh(pub))) | pks(
        access.visible_papers(user(w, who), fresh(priv))
    )
    assert per_meeting & ids == wanted, who
    assert pks(access.visible_papers_queryset(user(w, who))) & ids == wanted, who


def test_papers_each_persona_opens(w):
    set_agenda(w["meeting"], "agreed")
    set_agenda(w["private"], "agreed")
    for who in EVERYONE:
        _papers_seen(w, who, set(PAPERS) if who in STAFF else set())
    set_agenda(w["meeting"], "dispatched")
    set_agenda(w["private"], "dispatched")
    for who in EVERYONE:
        if who in STAFF | MEMBERS:
            expected = set(PAPERS)
        elif who in INVITED:
            expected = {"pub_p1", "pub_p2"}
        else:
            expected = {"pub_p1"}
        _papers_seen(w, who, expected)


def test_a_withheld_paper_is_closed_to_that_member_only_and_a_taken_down_one_to_all_but_staff(
    w,
):
    set_agenda(w["meeting"], "dispatched")
    set_agenda(w["private"], "dispatched")
    # Withheld from the member, and (having no effect on an officer) from the Chair.
    for whom in ("member", "chair"):
        PaperWithholding.objects.create(
            paper=w["pub_p2"], person=Person.objects.get(user=w["people"][whom]), reason="Interest"
        )
    Paper.objects.filter(pk=w["priv_p1"].pk).update(taken_down_at=timezone.now())
    for who in EVERYONE:
        if who in STAFF:
            expected = set(PAPERS)
        elif who == "member":
            expected = {"pub_p1", "priv_p2"}
        elif who == "participant":
            expected = {"pub_p1", "pub_p2", "priv_p2"}
        elif who in INVITED:
            expected = {"pub_p1", "pub_p2"}
        else:
            expected = {"pub_p1"}
        _papers_seen(w, who, expected)


def test_a_paper_is_found_with_its_meeting_and_committee_in_one_query(w, django_assert_num_queries):
    admin = user(w, "admin")  # a superuser: no standing to look up
    with django_assert_num_queries(1):
        found = access.get_paper_for_user(admin, w["priv_p2"].public_id)
        assert found.item.agenda.meeting.committee.slug == "test-jc"
    # A meeting with its committee, the committee's rules and the agenda.
    with django_assert_num_queries(1):
        meeting = access.get_meeting_for_user(admin, w["meeting"].pk)
        assert meeting.committee.rules.committee_id == meeting.committee_id
        assert meeting.agenda.meeting_id == meeting.pk
    # A meeting's papers with their items.
    meeting = fresh(w["meeting"])
    with django_assert_num_queries(1):
        items = {p.item.part for p in access.visible_papers(admin, meeting)}
    assert items == {1, 2}


def test_what_is_withheld_is_looked_up_per_meeting(w):
    set_agenda(w["meeting"], "dispatched")
    set_agenda(w["private"], "dispatched")
    member = Person.objects.get(user=w["people"]["member"])
    PaperWithholding.objects.create(paper=w["priv_p2"], person=member, reason="Interest")
    u = user(w, "member")  # one request: nothing withheld in the public meeting, then ...
    assert w["pub_p2"].pk in pks(access.visible_papers(u, fresh(w["meeting"])))
    assert not access.paper_visible_to(u, paper(w, "priv_p2"))  # ... this one in the private
    assert w["priv_p2"].pk not in pks(access.visible_papers(u, fresh(w["private"])))


def test_a_paper_being_processed_is_nobodys_to_open(w):
    set_agenda(w["meeting"], "dispatched")
    Paper.objects.filter(pk=w["pub_p1"].pk).update(state=Paper.State.PROCESSING)
    for who in ("secretariat", "admin", "member"):
        u = user(w, who)
        assert w["pub_p1"].pk not in pks(access.visible_papers(u, fresh(w["meeting"])))
        assert w["pub_p1"].pk not in pks(access.visible_papers_queryset(u))
        with pytest.raises(Http404):
            access.get_paper_for_user(u, w["pub_p1"].public_id)


# ------------------------------------------------------------- the 404s callers raise


def _refusal(call) -> Http404:
    with pytest.raises(Http404) as raised:
        call()
    return raised.value


def test_refusals_ask_the_signed_out_to_sign_in_and_tell_the_signed_in_not_found(w):
    pub, priv = w["meeting"], w["private"]
    set_agenda(pub, "dispatched")
    set_agenda(priv, "dispatched")
    anonymous, outsider = user(w, "anonymous"), user(w, "outsider")
    member = user(w, "member")
    p2 = w["pub_p2"].public_id

    assert access.get_paper_for_user(member, p2).pk == w["pub_p2"].pk
    assert access.get_paper_for_user(anonymous, w["pub_p1"].public_id).pk == w["pub_p1"].pk
    refused = _refusal(lambda: access.get_paper_for_user(anonymous, p2))
    assert type(refused) is access.SignInFirst and str(refused) == "No such paper"
    refused = _refusal(lambda: access.get_paper_for_user(None, p2))
    assert type(refused) is access.SignInFirst
    refused = _refusal(lambda: access.get_paper_for_user(outsider, p2))
    assert type(refused) is Http404 and str(refused) == "No such paper"
    # What does not exist is not found for everyone: no sign-in page to probe addresses with.
    for u in (anonymous, outsider):
        missing = _refusal(
            lambda u=u: access.get_paper_for_user(u, "00000000-0000-0000-0000-000000000000")
        )
        assert type(missing) is Http404 and str(missing) == "No such paper"
        missing = _refusal(lambda u=u: access.get_meeting_for_user(u, priv.pk + 1000))
        assert type(missing) is Http404 and str(missing) == "No such meeting"

    # A meeting's existence is public: a private meeting is found by everyone, with its
    # committee and agenda loaded in the same query.
    got = access.get_meeting_for_user(anonymous, priv.pk)
    assert got.pk == priv.pk and got.committee.slug == "test-jc"
    deactivate(w)
    refused = _refusal(lambda: access.get_meeting_for_user(anonymous, pub.pk))
    assert type(refused) is access.SignInFirst and str(refused) == "No such meeting"
    refused = _refusal(lambda: access.get_meeting_for_user(user(w, "member"), pub.pk))
    assert type(refused) is Http404 and str(refused) == "No such meeting"
    assert access.get_meeting_for_user(user(w, "secretariat"), pub.pk).pk == pub.pk


def test_the_secretariat_and_officer_screens_find_the_meeting_for_their_people_only(w):
    pub = w["meeting"]
    for who in EVERYONE:
        u = user(w, who)
        if who in {"secretariat", "admin"}:
            assert access.get_meeting_for_secretariat(u, pub.pk).pk == pub.pk
        else:
            refused = _refusal(lambda u=u: access.get_meeting_for_secretariat(u, pub.pk))
            assert str(refused) == "No such meeting", who
            sign_in = who == "anonymous"
            assert (type(refused) is access.SignInFirst) == sign_in, who
        if who in STAFF:
            assert access.get_meeting_for_officer(user(w, who), pub.pk).pk == pub.pk
        else:
            u = user(w, who)
            refused = _refusal(lambda u=u: access.get_meeting_for_officer(u, pub.pk))
            assert str(refused) == "No such meeting", who
    assert _refusal(lambda: access.get_meeting_for_secretariat(None, pub.pk)).__class__ is (
        access.SignInFirst
    )
    # A committee wound up: still its secretariat's to manage; to its Chair, signed in, not found.
    deactivate(w)
    for who in ("secretariat", "admin"):
        assert access.get_meeting_for_secretariat(user(w, who), pub.pk).pk == pub.pk
        assert access.get_meeting_for_officer(user(w, who), pub.pk).pk == pub.pk
    refused = _refusal(lambda: access.get_meeting_for_officer(user(w, "chair"), pub.pk))
    assert type(refused) is Http404


# ----------------------------------------------------------------- minutes and decisions


def _minutes(w) -> dict[str, Minutes]:
    """Versions of the minutes of both meetings in every state, and one taken down."""
    rows = {}
    version = 0
    for key, m in (("pub", w["meeting"]), ("priv", w["private"])):
        for state in ("draft", "circulated", "approved", "published", "down"):
            version += 1
            rows[f"{key}_{state}"] = Minutes.objects.create(
                meeting=m,
                version=version,
                state="published" if state == "down" else state,
                taken_down_at=timezone.now() if state == "down" else None,
            )
    return rows


def _expected_minutes(who: str, part: int) -> set[str]:
    if who in STAFF:
        return {
            f"{k}_{s}"
            for k in ("pub", "priv")
            for s in ("draft", "circulated", "approved", "published", "down")
        }
    if who in MEMBERS:
        return {
            f"{k}_{s}" for k in ("pub", "priv") for s in ("circulated", "approved", "published")
        }
    # Observers, invited or not, attendees and the public: published Part 1 of a public meeting.
    return {"pub_published"} if part == Part.PUBLIC else set()


def test_minutes_each_persona_reads(w):
    rows = _minutes(w)
    for who in EVERYONE:
        _minutes_read(w, who, rows)


def _minutes_read(w, who, rows):
    for part in (Part.PUBLIC, Part.PRIVATE):
        expected = _expected_minutes(who, part)
        u = user(w, who)
        for key, row in rows.items():
            row = Minutes.objects.select_related("meeting__committee").get(pk=row.pk)
            assert access.minutes_visible_to(u, row, part) == (key in expected), (who, part, key)
        listed = pks(access.minutes_visible_queryset(user(w, who), part))
        assert listed == {rows[k].pk for k in expected}, (who, part)
        listed = pks(access.minutes_visible_queryset(user(w, who), str(int(part))))
        assert listed == {rows[k].pk for k in expected}, (who, part)
    cid = w["meeting"].committee_id
    assert access.sees_part2_record(user(w, who), cid) == (who in STAFF | MEMBERS)


def test_minutes_of_a_committee_wound_up_are_its_staffs_only(w):
    rows = _minutes(w)
    deactivate(w)
    for who in EVERYONE:
        expected = _expected_minutes(who, Part.PUBLIC) if who in STAFF else set()
        for key, row in rows.items():
            row = Minutes.objects.select_related("meeting__committee").get(pk=row.pk)
            assert access.minutes_visible_to(user(w, who), row, 1) == (key in expected), (who, key)
        assert pks(access.minutes_visible_queryset(user(w, who), 1)) == {
            rows[k].pk for k in expected
        }


def _decisions(w) -> dict[str, Decision]:
    rows = {}
    for n, (key, m, part, down) in enumerate(
        (
            ("pub_1", w["meeting"], 1, False),
            ("pub_2", w["meeting"], 2, False),
            ("priv_1", w["private"], 1, False),
            ("pub_1_down", w["meeting"], 1, True),
        ),
        start=1,
    ):
        rows[key] = Decision.objects.create(
            item=AgendaItem.objects.filter(agenda__meeting=m, part=part).first(),
            meeting=m,
            committee=m.committee,
            year=2030,
            sequence=n,
            number=f"TJC/2030/{n:02}",
            part=part,
            text=f"Decision {key}",
            notice_taken_down_at=timezone.now() if down else None,
        )
    return rows


def test_decisions_each_persona_reads_in_full_or_finds_at_all(w):
    rows = _decisions(w)
    for who in EVERYONE:
        _decisions_read(w, who, rows)
    deactivate(w)
    for who in EVERYONE:
        listed = pks(access.listed_decisions_queryset(user(w, who)))
        assert listed == ({r.pk for r in rows.values()} if who in STAFF else set()), who


def _decisions_read(w, who, rows):
    if who in STAFF:
        full = set(rows)
    elif who in MEMBERS:
        full = {"pub_1", "pub_2", "priv_1"}
    else:  # Part 1 of a public meeting; the invited observer reads no Part 2 decision in full
        full = {"pub_1"}
    notice = set(rows) if who in STAFF else set(rows) - {"pub_1_down"}
    for key, row in rows.items():
        row = Decision.objects.select_related("meeting").get(pk=row.pk)
        assert access.decision_full_text_visible_to(user(w, who), row) == (key in full), key
        assert access.decision_notice_visible_to(user(w, who), row) == (key in notice), key
    assert pks(access.decisions_full_text_queryset(user(w, who))) == {rows[k].pk for k in full}
    assert pks(access.listed_decisions_queryset(user(w, who))) == {rows[k].pk for k in notice}


def _key_messages(w) -> dict[str, KeyMessages]:
    rows = {}
    for key, m in (("pub", w["meeting"]), ("priv", w["private"])):
        for version, state in enumerate(("draft", "approved", "published"), start=1):
            rows[f"{key}_{state}"] = KeyMessages.objects.create(
                meeting=m, version=version, state=state, text="Key messages"
            )
    return rows


def test_key_messages_each_persona_reads(w):
    rows = _key_messages(w)
    for who in EVERYONE:
        _key_messages_read(w, who, rows, active=True)
    deactivate(w)
    for who in EVERYONE:
        _key_messages_read(w, who, rows, active=False)


def _key_messages_read(w, who, rows, *, active):
    if who in STAFF:
        expected = set(rows)
    elif who in MEMBERS:
        expected = {"pub_published", "priv_published"}
    else:
        expected = {"pub_published"}

    def check(expected):
        for key, row in rows.items():
            row = KeyMessages.objects.select_related("meeting__committee").get(pk=row.pk)
            assert access.key_messages_visible_to(user(w, who), row) == (key in expected), key
        assert pks(access.key_messages_visible_queryset(user(w, who))) == {
            rows[k].pk for k in expected
        }

    check(expected if active or who in STAFF else set())
