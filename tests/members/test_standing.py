"""`members.selectors.standing`: which committees a user is on, in which capacity, in two
queries whatever their number; ended memberships and offices do not count."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from committees.models import Committee, CommitteeRules, Role
from members.models import Membership, Office, Person
from members.selectors import Capacity, standing
from tests.conftest import make_user


@pytest.fixture
def other(db) -> Committee:
    c = Committee.objects.create(name="Other Committee", slug="other", purpose="Testing.")
    CommitteeRules.objects.create(committee=c)
    return c


def test_each_persona_has_its_capacity(personas, committee):
    expected = {
        "secretariat": Capacity(secretariat=True),
        "chair": Capacity(officer=True, member=True),
        "member": Capacity(member=True),
        "participant": Capacity(member=True),
        "observer": Capacity(guest=True),
    }
    for who, capacity in expected.items():
        found = standing(personas[who]).of(committee.pk)
        person_id = Person.objects.filter(user=personas[who]).values_list("pk", flat=True).first()
        assert found == replace(capacity, person_id=person_id), who
    assert standing(personas["outsider"]).committee_ids == frozenset()
    # Facts only: a superuser on no committee stands nowhere (the access rules make them all).
    assert standing(personas["admin"]).committee_ids == frozenset()


def test_many_committees_in_two_queries(personas, committee, other, django_assert_max_num_queries):
    user = personas["chair"]
    person = Person.objects.get(user=user)
    other.secretariat.add(user)
    Membership.objects.create(
        committee=other, person=person, role=Role.OBSERVER, voting=False, start=dt.date(2024, 1, 1)
    )
    with django_assert_max_num_queries(2):
        mine = standing(user)
    assert mine.committee_ids == {committee.pk, other.pk}
    assert mine.staff_of == {committee.pk, other.pk}
    assert mine.officer_of == {committee.pk}
    assert mine.member_of == {committee.pk}
    assert mine.of(other.pk) == Capacity(secretariat=True, guest=True, person_id=person.pk)


def test_ended_roles_do_not_count(personas, committee):
    user = personas["chair"]
    Office.objects.filter(person__user=user).update(end=dt.date(2024, 6, 30))
    assert standing(user, on=dt.date(2024, 6, 30)).of(committee.pk).officer
    assert not standing(user, on=dt.date(2024, 7, 1)).of(committee.pk).officer
    Membership.objects.filter(person__user=user).update(end=dt.date(2024, 6, 30))
    assert standing(user, on=dt.date(2024, 7, 1)).committee_ids == frozenset()


def test_anonymous_and_no_person(db):
    assert standing(None).committee_ids == frozenset()
    user = make_user("nobody")
    mine = standing(user)
    assert mine.person_id is None and mine.of(1) == Capacity()
