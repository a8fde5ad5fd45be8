"""An observer invited to Part 1 only (issue 16): they read what the public reads and no Part 2,
through every access helper, the meeting page and the paper download."""

from __future__ import annotations

from django.urls import reverse

from meetings import access
from meetings.models import MeetingInvitation
from tests.meetings.conftest import SECRET_DESCRIPTION, SECRET_TITLE
from tests.meetings.test_access import dispatch, login, paper_url


def test_an_observer_invited_to_part1_only_never_reads_part2(client, world_once):
    people = world_once["people"]
    meeting = world_once["meeting"]
    MeetingInvitation.objects.filter(meeting=meeting).update(part2=False)
    dispatch(meeting, people)
    user = people["invited_observer"]

    assert access.item_visible_parts(user, meeting) == frozenset({1})
    assert not access.can_see_part2(user, meeting)
    assert not access.paper_visible_to(user, world_once["pub_p2"])
    assert access.paper_visible_to(user, world_once["pub_p1"])
    visible = set(access.visible_papers(user, meeting).values_list("pk", flat=True))
    assert visible == {world_once["pub_p1"].pk}
    listed = set(access.visible_papers_queryset(user).values_list("pk", flat=True))
    assert world_once["pub_p2"].pk not in listed and world_once["pub_p1"].pk in listed
    readable = access.readable_items_queryset(user).filter(agenda__meeting=meeting)
    assert set(readable.values_list("part", flat=True)) == {1}

    login(client, people, "invited_observer")
    assert client.get(paper_url(world_once["pub_p2"])).status_code == 404
    assert client.get(paper_url(world_once["pub_p1"])).status_code == 200
    page = client.get(reverse("meetings_public:meeting", args=["test-jc", meeting.pk]))
    assert SECRET_DESCRIPTION in page.text and SECRET_TITLE not in page.text
    assert "Valuation report" not in page.text

    # Invited to Part 2 after all: now they read it.
    MeetingInvitation.objects.filter(meeting=meeting).update(part2=True)
    login(client, people, "invited_observer")
    assert client.get(paper_url(world_once["pub_p2"])).status_code == 200
    user = type(user).objects.get(pk=user.pk)  # the helpers cache per user object
    assert access.can_see_part2(user, meeting)
    assert world_once["pub_p2"].pk in set(
        access.visible_papers_queryset(user).values_list("pk", flat=True)
    )


def test_an_invitation_withdrawn_closes_part2_to_the_observer_at_once(client, world_once):
    # An invitation could be made but never withdrawn: one made by mistake, or to Part 2 by
    # mistake, stood (re-inviting to Part 1 only was the one way out, and nothing said so).
    people = world_once["people"]
    meeting = world_once["meeting"]
    dispatch(meeting, people)
    invitation = MeetingInvitation.objects.get(
        meeting=meeting, person__user=people["invited_observer"]
    )
    assert invitation.part2
    url = reverse("agenda:invitation_withdraw", args=[meeting.pk, invitation.pk])
    page = reverse("agenda:invitations", args=[meeting.pk])

    login(client, people, "invited_observer")
    assert client.get(paper_url(world_once["pub_p2"])).status_code == 200
    # Nobody but the meeting's secretariat may withdraw it, nor through another meeting.
    for who in ("invited_observer", "member", "chair"):
        login(client, people, who)
        assert client.post(url).status_code == 404, who
    login(client, people, "secretariat")
    other = reverse("agenda:invitation_withdraw", args=[world_once["private"].pk, invitation.pk])
    assert client.post(other).status_code == 404
    assert client.get(url).status_code == 405  # a withdrawal is a POST from the page's button
    listed = client.get(page).content.decode()
    assert f'action="{url}"' in listed and "Part 1 and Part 2" in listed

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == page
    assert "is no longer invited" in response.content.decode()
    assert not MeetingInvitation.objects.filter(pk=invitation.pk).exists()
    assert "Nobody is invited yet." in response.content.decode()
    # Its history keeps who withdrew it.
    last = MeetingInvitation.history.filter(id=invitation.pk).latest("history_date")
    assert last.history_type == "-" and last.history_user == people["secretariat"]

    login(client, people, "invited_observer")
    assert client.get(paper_url(world_once["pub_p2"])).status_code == 404
    assert client.get(paper_url(world_once["pub_p1"])).status_code == 200
    user = type(people["invited_observer"]).objects.get(pk=people["invited_observer"].pk)
    assert not access.can_see_part2(user, meeting)
