"""The list forms of the access rules that search filters by (`meetings.access`): each row once
without DISTINCT (invitations and withholdings are EXISTS checks, so a search can apply them row
by row under its GIN index scan), and the same answer as the per-object predicates for every
persona, including an observer invited to Part 2, other people's invitations and a withheld
paper."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from meetings import access
from meetings.models import AgendaItem, MeetingInvitation, Paper, PaperWithholding
from members.models import Person
from tests.meetings.test_access import dispatch

PERSONAS = [
    "secretariat",
    "admin",
    "chair",
    "leadership",
    "member",
    "other_member",
    "participant",
    "observer",
    "attendee",
    "invited_observer",
    "other_secretariat",
    "outsider",
    "anonymous",
]


@pytest.fixture
def lists_world(world):
    people = world["people"]
    for m in (world["meeting"], world["private"]):
        dispatch(m, people)
    # More invitations to the same meetings, none of them the reader's: a join through the
    # invitations would list each row once per invitation.
    for who in ("observer", "attendee"):
        person = Person.objects.get(user=people[who])
        for m in (world["meeting"], world["private"]):
            MeetingInvitation.objects.get_or_create(meeting=m, person=person, part2=True)
    member = Person.objects.get(user=people["member"])
    PaperWithholding.objects.create(paper=world["pub_p2"], person=member)
    return world


def _ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


@pytest.mark.parametrize("who", PERSONAS)
def test_list_forms_list_each_row_once_and_agree_with_the_predicates(lists_world, who):
    people = lists_world["people"]
    user = people[who] or AnonymousUser()

    papers = access.visible_papers_queryset(user)
    assert "DISTINCT" not in str(papers.query)
    listed = _ids(papers)
    assert len(listed) == len(set(listed))
    expected = {p.pk for p in Paper.objects.all() if access.paper_visible_to(user, p)}
    assert set(listed) == expected

    readable = _ids(access.readable_items_queryset(user))
    lines = _ids(access.visible_items_queryset(user))
    redacted = _ids(access.redacted_items_queryset(user))
    for rows in (readable, lines, redacted):
        assert len(rows) == len(set(rows))
    for item in AgendaItem.objects.select_related("agenda__meeting"):
        parts = access.item_visible_parts(user, item.agenda.meeting)
        assert (item.pk in readable) == (item.part in parts), (who, item.title)
    assert set(redacted) == {
        pk for pk in set(lines) - set(readable) if AgendaItem.objects.get(pk=pk).part == 2
    }


def test_a_withheld_paper_is_off_the_members_list_only(lists_world):
    people = lists_world["people"]
    withheld = lists_world["pub_p2"].pk
    assert withheld not in _ids(access.visible_papers_queryset(people["member"]))
    assert withheld in _ids(access.visible_papers_queryset(people["chair"]))
    assert withheld in _ids(access.visible_papers_queryset(people["secretariat"]))
