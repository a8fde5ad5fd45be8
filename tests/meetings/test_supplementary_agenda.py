"""Supplementary agendas (issue 13): raised after dispatch, agreed as the main agenda is (the
same agreement flow, against a new agenda version), dispatched after the check page: the items
join the agenda marked "Supplementary agenda N", a new pack version is built, one email per
Member and Participant lists what was added, Part 2 titles only to those entitled."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communications.models import OutboxMessage
from documents.models import Audience, Kind
from documents.selectors import document_spec
from meetings.agenda import services, supplementary
from meetings.errors import AgendaError
from meetings.models import AgendaItem, Part, SupplementaryAgenda
from members.models import Person
from tests.conftest import PASSWORD
from tests.meetings.test_dispatch import agree

SECRET = "Acquisition of the quayside site"


@pytest.fixture
def dispatched(meeting, people):
    services.invite_to_meeting(
        meeting=meeting, person=Person.objects.get(user=people["observer"]), part2=False, by=None
    )
    agenda = agree(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    return agenda


def _propose(supplement, people, grounds):
    sec = people["secretariat"]
    supplementary.propose_item(
        supplement=supplement, by=sec, title="Winter pressures update", purpose="discussion"
    )
    supplementary.propose_item(
        supplement=supplement,
        by=sec,
        title=SECRET,
        purpose="decision",
        part=Part.PRIVATE,
        part2_ground=grounds[0],
        public_description="A property matter",
    )


def test_raise_agree_and_dispatch(meeting, people, grounds, dispatched, client):
    sec = people["secretariat"]
    public_url = reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk])
    old_pack = document_spec(meeting, Kind.PACK, Audience.PUBLIC).content_hash
    supplement = supplementary.raise_supplement(agenda=dispatched, by=sec)
    assert supplement.number == 1
    _propose(supplement, people, grounds)
    # Nothing proposed reaches a reader before dispatch.
    assert "Winter pressures update" not in client.get(public_url).content.decode()
    with pytest.raises(AgendaError, match="not agreed"):
        supplementary.dispatch_supplement(supplement=supplement, by=sec)
    supplementary.send_supplement_to_chair(supplement=supplement, by=sec)
    dispatched.refresh_from_db()
    # The Chair agrees it in the portal, as the main agenda.
    client.login(username="chair", password=PASSWORD)
    page = client.get(reverse("portal_meetings:agenda_agreement", args=[meeting.pk]))
    assert "Supplementary agenda 1" in page.content.decode() and SECRET in page.content.decode()
    client.post(
        reverse("portal_meetings:agenda_agree", args=[meeting.pk]),
        {"version": dispatched.version},
    )
    supplement.refresh_from_db()
    assert supplement.state == SupplementaryAgenda.State.AGREED
    client.logout()
    # The check page, then dispatch.
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("agenda:supplementary_dispatch", args=[meeting.pk, 1])
    check = client.post(url).content.decode()
    assert "Check before you send" in check and "1 Part 2 item(s)" in check
    assert not OutboxMessage.objects.filter(message_name="supplementary_agenda").exists()
    client.post(url, {"confirm": "1"})
    supplement.refresh_from_db()
    assert supplement.state == SupplementaryAgenda.State.DISPATCHED
    added = AgendaItem.objects.filter(supplementary=supplement)
    assert added.count() == 2
    # Part 1 before the closing items, Part 2 last.
    items = list(dispatched.items.order_by("number"))
    assert items[-1].title == SECRET
    winter = added.get(part=Part.PUBLIC)
    assert items[items.index(winter) + 1].standard_key  # a closing standard item follows
    emails = OutboxMessage.objects.filter(message_name="supplementary_agenda")
    assert emails.count() == 5  # 3 members, 1 participant, the observer
    member = emails.get(recipient="member@example.org")
    assert "Supplementary agenda 1" in member.body_text and "Winter pressures update" in (
        member.body_text
    )
    assert SECRET in member.body_text
    observer = emails.get(recipient="observer@example.org")
    assert SECRET not in observer.body_text + observer.subject
    assert "Part 2: A property matter" in observer.body_text
    client.logout()
    public = client.get(public_url).content.decode()
    assert "Supplementary agenda 1" in public and "Winter pressures update" in public
    assert SECRET not in public
    # A new pack version.
    assert document_spec(meeting, Kind.PACK, Audience.PUBLIC).content_hash != old_pack
    # The next one is number 2.
    assert supplementary.raise_supplement(agenda=dispatched, by=sec).number == 2


def test_an_agreement_to_the_dispatched_version_does_not_agree_the_supplement(
    meeting, people, grounds, dispatched
):
    sec = people["secretariat"]
    supplement = supplementary.raise_supplement(agenda=dispatched, by=sec)
    _propose(supplement, people, grounds)
    with pytest.raises(AgendaError):
        services.agree_agenda(agenda=dispatched, by=people["chair"], version=dispatched.version)
    supplementary.send_supplement_to_chair(supplement=supplement, by=sec)
    with pytest.raises(AgendaError, match="changed"):
        services.agree_agenda(agenda=dispatched, by=people["chair"], version=1)
    # A change after sending needs agreement again.
    supplementary.withdraw_proposed(supplement=supplement, index=0, by=sec)
    supplement.refresh_from_db()
    assert supplement.state == SupplementaryAgenda.State.DRAFT


def test_only_the_secretariat_raises_and_not_before_dispatch(meeting, people):
    agenda = agree(meeting, people)
    with pytest.raises(AgendaError, match="not been dispatched"):
        supplementary.raise_supplement(agenda=agenda, by=people["secretariat"])
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    with pytest.raises(AgendaError, match="secretariat"):
        supplementary.raise_supplement(agenda=agenda, by=people["chair"])


def test_the_pages_raise_and_add_items(meeting, people, dispatched, client):
    client.login(username="secretariat", password=PASSWORD)
    builder = client.get(reverse("agenda:builder", args=[meeting.pk])).content.decode()
    assert "Raise a supplementary agenda" in builder
    response = client.post(reverse("agenda:supplementary_raise", args=[meeting.pk]))
    assert response["Location"].endswith("/agenda/supplementary/1/")
    url = reverse("agenda:supplementary", args=[meeting.pk, 1])
    client.post(url, {"title": "Urgent & <new> item", "purpose": "information", "part": "1"})
    page = client.get(url).content.decode()
    assert "Urgent &amp; &lt;new&gt; item" in page and "Send for agreement" in page
    empty = client.post(url, {"title": "", "purpose": "information", "part": "1"})
    assert empty.status_code == 200
    assert SupplementaryAgenda.objects.get().proposed[0]["title"] == "Urgent & <new> item"
