"""Model validation with messages a person can act on (issue 2): dates, votes, deputies, offices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from committees.models import Committee, CommitteeRules, OfficeKind, Role
from members.models import Membership, Office, Person

D = dt.date


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


@pytest.fixture
def person(db) -> Person:
    return Person.objects.create(first_name="Ada", last_name="Lovell")


@pytest.fixture
def member(committee, org, person) -> Membership:
    return Membership.objects.create(
        committee=committee, person=person, role=Role.MEMBER, organisation=org, start=D(2022, 7, 1)
    )


@pytest.fixture
def deputies_committee(db) -> Committee:
    """M&SE rules: deputies allowed, and they may vote."""
    c = Committee.objects.create(name="Mid and South Essex ICP", slug="mse")
    CommitteeRules.objects.create(committee=c, deputies_allowed=True, deputies_may_vote=True)
    return c


def test_a_membership_cannot_end_before_it_starts(committee, person):
    m = Membership(committee=committee, person=person, start=D(2024, 5, 1), end=D(2024, 4, 30))
    assert errors_of(m) == {"end": ["The membership cannot end before it starts."]}


def test_a_membership_may_end_on_the_day_it_starts(committee, person):
    Membership(
        committee=committee, person=person, start=D(2024, 5, 1), end=D(2024, 5, 1)
    ).full_clean()


def test_a_participant_cannot_vote(committee, person):
    m = Membership(committee=committee, person=person, role=Role.PARTICIPANT, voting=True)
    message = errors_of(m)["voting"][0]
    assert message.startswith("Participants do not vote: only Members have a vote")
    Membership(committee=committee, person=person, role=Role.PARTICIPANT, voting=False).full_clean()


def test_a_deputy_is_refused_where_the_rules_do_not_allow_deputies(committee, member):
    deputy = Person.objects.create(first_name="Dee", last_name="Puty")
    m = Membership(committee=committee, person=deputy, role=Role.MEMBER, deputy_for=member)
    assert errors_of(m) == {
        "deputy_for": ["This committee's rules do not allow deputies (the Terms of Reference)."]
    }
    # The refusal cites the committee's own paragraph once the secretariat has set it.
    committee.rules.references = {"deputies": "6.2"}
    committee.rules.save()
    m = Membership(committee=committee, person=deputy, role=Role.MEMBER, deputy_for=member)
    assert errors_of(m) == {
        "deputy_for": ["This committee's rules do not allow deputies (ToR 6.2)."]
    }


def test_a_voting_deputy_is_accepted_where_the_rules_allow_deputies(deputies_committee, person):
    principal = Membership.objects.create(committee=deputies_committee, person=person)
    deputy = Person.objects.create(first_name="Dee", last_name="Puty")
    Membership(
        committee=deputies_committee,
        person=deputy,
        role=Role.MEMBER,
        voting=True,
        deputy_for=principal,
    ).full_clean()


def test_a_voting_deputy_is_refused_where_deputies_may_attend_but_not_vote(
    deputies_committee, person
):
    deputies_committee.rules.deputies_may_vote = False
    deputies_committee.rules.save()
    principal = Membership.objects.create(committee=deputies_committee, person=person)
    deputy = Person.objects.create(first_name="Dee", last_name="Puty")
    m = Membership(committee=deputies_committee, person=deputy, voting=True, deputy_for=principal)
    assert errors_of(m) == {"voting": ["This committee's rules do not let deputies vote."]}


def test_two_chairs_at_once_are_refused(committee, org, member):
    Office.objects.create(
        committee=committee, person=member.person, kind=OfficeKind.CHAIR, start=D(2022, 7, 1)
    )
    other = Person.objects.create(first_name="Bea", last_name="Second")
    Membership.objects.create(
        committee=committee, person=other, organisation=org, start=D(2022, 7, 1)
    )
    clash = Office(committee=committee, person=other, kind=OfficeKind.CHAIR, start=D(2024, 7, 1))
    assert errors_of(clash) == {
        "start": [
            "Ada Lovell is Chair from 01 July 2022; a committee has one Chair at a time. "
            "End that term first."
        ]
    }


def test_chairs_in_turn_are_accepted(committee, org, member):
    """The K&M rotation: one term ends the day before the next begins."""
    Office.objects.create(
        committee=committee,
        person=member.person,
        kind=OfficeKind.CHAIR,
        start=D(2022, 7, 1),
        end=D(2024, 6, 30),
    )
    other = Person.objects.create(first_name="Bea", last_name="Second")
    Membership.objects.create(
        committee=committee, person=other, organisation=org, start=D(2022, 7, 1)
    )
    Office(
        committee=committee, person=other, kind=OfficeKind.CHAIR, start=D(2024, 7, 1)
    ).full_clean()


def test_two_vice_chairs_at_once_are_accepted(committee, org, member):
    """M&SE has three Vice-Chairs: only the Chair is one at a time."""
    Office.objects.create(
        committee=committee, person=member.person, kind=OfficeKind.VICE_CHAIR, start=D(2022, 7, 1)
    )
    other = Person.objects.create(first_name="Bea", last_name="Second")
    Membership.objects.create(committee=committee, person=other, start=D(2022, 7, 1))
    Office(
        committee=committee, person=other, kind=OfficeKind.VICE_CHAIR, start=D(2022, 7, 1)
    ).full_clean()


def test_an_office_held_by_a_non_member_is_refused(committee, person):
    office = Office(committee=committee, person=person, kind=OfficeKind.CHAIR, start=D(2024, 7, 1))
    assert errors_of(office) == {
        "person": [
            "Ada Lovell is not a Member of Test Joint Committee on 01 July 2024; only a Member "
            "can hold this office."
        ]
    }


def test_an_office_held_by_a_participant_is_refused(committee, person):
    Membership.objects.create(
        committee=committee, person=person, role=Role.PARTICIPANT, voting=False, start=D(2022, 7, 1)
    )
    office = Office(
        committee=committee, person=person, kind=OfficeKind.LEADERSHIP_TEAM, start=D(2024, 7, 1)
    )
    assert "only a Member can hold this office" in errors_of(office)["person"][0]


def test_an_office_starting_before_the_membership_is_refused(committee, member):
    office = Office(
        committee=committee, person=member.person, kind=OfficeKind.CHAIR, start=D(2022, 6, 30)
    )
    assert (
        "is not a Member of Test Joint Committee on 30 June 2022" in errors_of(office)["person"][0]
    )
