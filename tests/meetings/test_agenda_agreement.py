"""Who agrees the agenda, as each committee's ToR words it (issue 14, point 7).

K&M ToR 12.1.1: "Agreement of the agenda with the Chair". M&SE, Conduct & Operation: "The agenda
and supporting papers will be agreed by the Chair and Vice Chairs"; Secretariat: "ensuring these
are agreed by the Chair and Vice Chairs". Each agreement is recorded (who, when); the agenda is
agreed only once everyone the rule names has agreed the same version.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from committees.models import CommitteeRules, Role
from communications.models import OutboxMessage
from meetings.agenda import rules as agenda_rules
from meetings.agenda import services
from meetings.errors import AgendaError
from meetings.models import Agenda, AgendaAgreement
from members.models import Person
from tests.conftest import PASSWORD, _person_with

pytestmark = pytest.mark.django_db
AgreedBy = CommitteeRules.AgendaAgreedBy


# ---------------------------------------------------------------- the pure rule, each value


def test_rule_the_chair_needs_only_the_chair():
    status = agenda_rules.agreement_status(
        AgreedBy.CHAIR, {"chair": [1], "vice_chair": [2], "leadership_team": [1, 3]}, [1]
    )
    assert status.required == {1: "Chair"} and status.complete


def test_rule_chair_and_vice_chairs_needs_every_vice_chair():
    holders = {"chair": [1], "vice_chair": [2, 3, 4], "leadership_team": [5]}
    partly = agenda_rules.agreement_status(AgreedBy.CHAIR_AND_VICE_CHAIRS, holders, [1, 2, 3])
    assert set(partly.required) == {1, 2, 3, 4}
    assert partly.outstanding == [4] and not partly.complete
    assert agenda_rules.agreement_status(
        AgreedBy.CHAIR_AND_VICE_CHAIRS, holders, [1, 2, 3, 4]
    ).complete


def test_rule_chair_and_leadership_team_counts_the_chair_once():
    # K&M 6.7: the Leadership Team is the two Local Authority leaders and the ICB Chair, and
    # the Chair is one of the two leaders.
    holders = {"chair": [1], "leadership_team": [1, 2, 3]}
    status = agenda_rules.agreement_status(AgreedBy.CHAIR_AND_LEADERSHIP_TEAM, holders, [1, 2])
    assert status.required == {
        1: "Chair, Leadership Team",
        2: "Leadership Team",
        3: "Leadership Team",
    }
    assert status.outstanding == [3]
    assert agenda_rules.agreement_status(
        AgreedBy.CHAIR_AND_LEADERSHIP_TEAM, holders, [1, 2, 3]
    ).complete


def test_no_agreement_without_a_chair_and_unknown_rule_refused():
    status = agenda_rules.agreement_status(AgreedBy.CHAIR_AND_VICE_CHAIRS, {"vice_chair": [2]}, [2])
    assert status.vacant == ("Chair",) and not status.complete
    with pytest.raises(ValueError):
        agenda_rules.agreeing_offices("whoever")


# ---------------------------------------------------------------- the service, each value


@pytest.fixture
def vice_chairs(committee, org):
    return [
        _person_with(committee, org, f"vice{n}", Role.MEMBER, voting=True, office="vice_chair")
        for n in (1, 2)
    ]


def _sent(meeting, people):
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    return agenda


def _set_rule(committee, value):
    CommitteeRules.objects.filter(committee=committee).update(agenda_agreed_by=value)
    committee.rules.refresh_from_db()


def test_mse_agenda_is_agreed_only_when_the_chair_and_every_vice_chair_agree(
    committee, meeting, people, vice_chairs
):
    _set_rule(committee, AgreedBy.CHAIR_AND_VICE_CHAIRS)
    agenda = _sent(meeting, people)
    # Everyone the rule names is asked, and no one else.
    asked = set(
        OutboxMessage.objects.filter(message_name="agenda_for_agreement").values_list(
            "recipient", flat=True
        )
    )
    assert asked == {"chair@example.org", "vice1@example.org", "vice2@example.org"}
    agenda = services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    assert agenda.state == Agenda.State.AWAITING_CHAIR
    with pytest.raises(AgendaError, match="agreed by the Chair and every Vice-Chair"):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    agenda = services.agree_agenda(agenda=agenda, by=vice_chairs[0], version=agenda.version)
    assert agenda.state == Agenda.State.AWAITING_CHAIR
    agenda = services.agree_agenda(agenda=agenda, by=vice_chairs[1], version=agenda.version)
    assert agenda.state == Agenda.State.AGREED
    rows = AgendaAgreement.objects.filter(agenda=agenda, version=agenda.version)
    assert sorted(rows.values_list("office", flat=True)) == ["Chair", "Vice-Chair", "Vice-Chair"]
    assert all(r.at is not None for r in rows)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def test_mse_one_vice_chair_cannot_agree_for_the_others_and_not_twice(
    committee, meeting, people, vice_chairs
):
    _set_rule(committee, AgreedBy.CHAIR_AND_VICE_CHAIRS)
    agenda = _sent(meeting, people)
    services.agree_agenda(agenda=agenda, by=vice_chairs[0], version=agenda.version)
    with pytest.raises(AgendaError, match="already agreed"):
        services.agree_agenda(agenda=agenda, by=vice_chairs[0], version=agenda.version)
    agenda.refresh_from_db()
    assert agenda.state == Agenda.State.AWAITING_CHAIR


def test_km_leadership_team_rule_needs_the_chair_and_each_member_of_the_team(
    committee, meeting, people
):
    _set_rule(committee, AgreedBy.CHAIR_AND_LEADERSHIP_TEAM)
    agenda = _sent(meeting, people)
    agenda = services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    assert agenda.state == Agenda.State.AWAITING_CHAIR
    agenda = services.agree_agenda(agenda=agenda, by=people["leadership"], version=agenda.version)
    assert agenda.state == Agenda.State.AGREED


def test_km_chair_rule_the_chair_alone_agrees(committee, meeting, people, vice_chairs):
    assert committee.rules.agenda_agreed_by == AgreedBy.CHAIR  # the K&M default
    agenda = _sent(meeting, people)
    with pytest.raises(AgendaError, match="not one of them"):
        services.agree_agenda(agenda=agenda, by=vice_chairs[0], version=agenda.version)
    agenda = services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    assert agenda.state == Agenda.State.AGREED


def test_agreements_to_an_earlier_version_do_not_count(committee, meeting, people, vice_chairs):
    _set_rule(committee, AgreedBy.CHAIR_AND_VICE_CHAIRS)
    agenda = _sent(meeting, people)
    for who in (people["chair"], vice_chairs[0]):
        agenda = services.agree_agenda(agenda=agenda, by=who, version=agenda.version)
    services.add_item(agenda=agenda, by=people["secretariat"], title="Late item")
    agenda = _sent(meeting, people)
    assert services.agreement_status(agenda).agreed == frozenset()
    for who in (people["chair"], vice_chairs[0], vice_chairs[1]):
        agenda = services.agree_agenda(agenda=agenda, by=who, version=agenda.version)
    assert agenda.state == Agenda.State.AGREED


def test_secretariat_records_an_agreement_given_by_email_with_how(
    committee, meeting, people, vice_chairs
):
    _set_rule(committee, AgreedBy.CHAIR_AND_VICE_CHAIRS)
    agenda = _sent(meeting, people)
    chair = Person.objects.get(user=people["chair"])
    with pytest.raises(AgendaError, match="Say how"):
        services.agree_agenda(
            agenda=agenda, by=people["secretariat"], version=agenda.version, person=chair
        )
    member = Person.objects.get(user=people["member"])
    with pytest.raises(AgendaError, match="is not one of them"):
        services.agree_agenda(
            agenda=agenda,
            by=people["secretariat"],
            version=agenda.version,
            person=member,
            note="by email",
        )
    with pytest.raises(AgendaError, match="Only the committee's secretariat"):
        services.agree_agenda(
            agenda=agenda,
            by=vice_chairs[0],
            version=agenda.version,
            person=chair,
            note="by email",
        )
    services.agree_agenda(
        agenda=agenda,
        by=people["secretariat"],
        version=agenda.version,
        person=chair,
        note="by email on 3 March",
    )
    row = AgendaAgreement.objects.get(agenda=agenda, person=chair)
    assert (row.recorded_by, row.note, row.office) == (
        people["secretariat"],
        "by email on 3 March",
        "Chair",
    )


def test_builder_and_portal_show_who_agreed_and_who_is_awaited(
    client, committee, meeting, people, vice_chairs
):
    _set_rule(committee, AgreedBy.CHAIR_AND_VICE_CHAIRS)
    committee.rules.references = {"agenda": "Conduct & Operation"}
    committee.rules.save()
    agenda = _sent(meeting, people)
    services.agree_agenda(agenda=agenda, by=vice_chairs[0], version=agenda.version)
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("agenda:builder", args=[meeting.pk])).text
    assert "agreed by the Chair and every Vice-Chair (ToR, Conduct &amp; Operation)" in page
    assert "Vice1 Persona" in page and "Awaited" in page and "Record agreement" in page
    # The builder records the Chair's agreement given by email: the same service.
    chair = Person.objects.get(user=people["chair"])
    resp = client.post(
        reverse("agenda:record_agreement", args=[meeting.pk]),
        {"person": chair.pk, "version": agenda.version, "note": "by email"},
    )
    assert resp.status_code == 302
    assert AgendaAgreement.objects.filter(agenda=agenda, person=chair, note="by email").exists()
    bad = client.post(
        reverse("agenda:record_agreement", args=[meeting.pk]),
        {"person": "nonsense", "version": "x"},
        follow=True,
    )
    assert bad.status_code == 200 and "Choose who gave their agreement" in bad.text
    # The portal: the second Vice-Chair sees the button; the first, who agreed, does not.
    client.login(username="vice2", password=PASSWORD)
    page = client.get(reverse("portal_meetings:agenda_agreement", args=[meeting.pk])).text
    assert "Agree this agenda" in page
    client.post(
        reverse("portal_meetings:agenda_agree", args=[meeting.pk]), {"version": agenda.version}
    )
    agenda.refresh_from_db()
    assert agenda.state == Agenda.State.AGREED
    client.login(username="vice1", password=PASSWORD)
    page = client.get(reverse("portal_meetings:agenda_agreement", args=[meeting.pk])).text
    assert "Agree this agenda" not in page and page.count('govuk-tag--green">Agreed') == 3


def test_my_page_asks_only_those_whose_agreement_is_still_needed(
    client, committee, meeting, people, vice_chairs
):
    _set_rule(committee, AgreedBy.CHAIR_AND_VICE_CHAIRS)
    agenda = _sent(meeting, people)
    services.agree_agenda(agenda=agenda, by=vice_chairs[0], version=agenda.version)
    asks = "awaits your agreement"
    for username, asked in (("vice1", False), ("vice2", True), ("chair", True), ("leader", False)):
        client.login(username=username, password=PASSWORD)
        assert (asks in client.get(reverse("portal:home")).text) is asked, username
