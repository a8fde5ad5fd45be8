"""Who receives mail about a meeting (`meetings.scheduling.selectors.meeting_recipients`): the
notice and the draft minutes go to current Members and Participants at their directory address,
one copy per address; the agenda dispatch also reaches invited guests, people known only by their
login's address, and each of two people who share an address."""

from __future__ import annotations

import datetime as dt

import pytest

from committees.models import Role
from meetings.models import MeetingInvitation
from meetings.scheduling.selectors import meeting_recipients
from members.models import Membership, Person
from tests.conftest import make_user


@pytest.fixture
def extra(meeting, people):
    """A Member sharing the member's address, a Participant with no address of their own, and
    the observer invited to the meeting."""
    shared = Person.objects.create(
        first_name="Aaron", last_name="Shared", email="MEMBER@example.org"
    )
    login_only = Person.objects.create(
        first_name="Lou", last_name="Login", user=make_user("loginonly")
    )
    for person, role in ((shared, Role.MEMBER), (login_only, Role.PARTICIPANT)):
        Membership.objects.create(
            committee=meeting.committee,
            person=person,
            role=role,
            voting=role == Role.MEMBER,
            start=dt.date(2024, 1, 1),
        )
    observer = Person.objects.get(user=people["observer"])
    MeetingInvitation.objects.create(meeting=meeting, person=observer, part2=False)
    return {"shared": shared, "login_only": login_only, "observer": observer}


def test_notice_goes_once_to_each_directory_address(meeting, people, extra):
    found = meeting_recipients(meeting)
    emails = [a.email.lower() for a in found]
    assert sorted(emails) == sorted(
        ["chair@example.org", "member@example.org", "leader@example.org", "participant@example.org"]
    )
    assert len(emails) == len(set(emails))
    # By name: "Shared" sorts after "Persona", so the member keeps the shared address.
    assert extra["shared"] not in [a.person for a in found]


def test_dispatch_reaches_guests_logins_and_everyone_sharing_an_address(meeting, people, extra):
    found = meeting_recipients(meeting, invited=True, login_email=True, one_per_address=False)
    people_found = [a.person for a in found]
    assert len(people_found) == len(set(people_found))
    assert extra["shared"] in people_found
    assert ("loginonly@example.org", extra["login_only"]) in [(a.email, a.person) for a in found]
    assert people_found[-1] == extra["observer"]  # invited guests come after the members
    assert Person.objects.get(user=people["attendee"]) not in people_found  # not invited
