"""Membership and office screens: the model's rules appear as messages a person can act on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from committees.models import Committee, Role, Seat
from members.models import Membership, Office, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, personas):
    client.force_login(personas["secretariat"])
    return personas["secretariat"]


@pytest.fixture
def newcomer(db) -> Person:
    return Person.objects.create(honorific="Cllr", first_name="Ada", last_name="Newcomer")


def _post(client, committee, **data):
    base = {"role": "member", "voting": "on", "start": "2025-01-01"}
    base.update(data)
    base = {k: v for k, v in base.items() if v is not None}
    return client.post(reverse("secretariat:membership_create", args=[committee.slug]), base)


def test_secretariat_adds_a_member(client, officer, committee, org, newcomer):
    seat = Seat.objects.create(committee=committee, title="Leader of Medway Council", role="member")
    response = _post(client, committee, person=newcomer.pk, seat=seat.pk, organisation=org.pk)
    assert response.status_code == 302
    m = Membership.objects.get(person=newcomer)
    assert (m.committee, m.seat, m.voting) == (committee, seat, True)


def test_membership_that_ends_before_it_starts_is_refused(client, officer, committee, newcomer):
    response = _post(client, committee, person=newcomer.pk, start="2025-06-01", end="2025-05-01")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The membership cannot end before it starts." in body
    assert "govuk-error-summary" in body and "govuk-error-message" in body
    assert not Membership.objects.filter(person=newcomer).exists()


def test_voting_participant_is_refused(client, officer, committee, newcomer):
    response = _post(client, committee, person=newcomer.pk, role="participant", voting="on")
    body = response.content.decode()
    assert "Participants do not vote: only Members have a vote" in body
    assert not Membership.objects.filter(person=newcomer).exists()


def test_deputy_is_refused_where_the_rules_do_not_allow_deputies(
    client, officer, committee, personas, newcomer
):
    principal = Membership.objects.get(person__user=personas["member"])
    response = _post(client, committee, person=newcomer.pk, voting=None, deputy_for=principal.pk)
    body = response.content.decode()
    assert "This committee&#x27;s rules do not allow deputies" in body
    assert not Membership.objects.filter(person=newcomer).exists()


def test_deputy_is_accepted_where_the_rules_allow_deputies(
    client, officer, committee, personas, newcomer
):
    committee.rules.deputies_allowed = True
    committee.rules.save()
    principal = Membership.objects.get(person__user=personas["member"])
    response = _post(client, committee, person=newcomer.pk, voting=None, deputy_for=principal.pk)
    assert response.status_code == 302
    assert Membership.objects.get(person=newcomer).deputy_for == principal


def test_editing_a_membership_to_end_it(client, officer, committee, personas):
    m = Membership.objects.get(person__user=personas["member"])
    data = {
        "person": m.person_id,
        "role": "member",
        "voting": "on",
        "seat": m.seat_id,
        "organisation": m.organisation_id,
        "start": "2024-01-01",
        "end": "2025-03-31",
    }
    response = client.post(
        reverse("secretariat:membership_edit", args=[committee.slug, m.pk]), data
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.end == dt.date(2025, 3, 31)
    row_link = reverse("secretariat:membership_edit", args=[committee.slug, m.pk])
    listing = client.get(reverse("secretariat:membership_list", args=[committee.slug]))
    assert row_link not in listing.content.decode()
    listing = client.get(
        reverse("secretariat:membership_list", args=[committee.slug]) + "?show=all"
    )
    assert row_link in listing.content.decode()


def test_second_chair_at_the_same_time_is_refused(client, officer, committee, personas):
    member = Person.objects.get(user=personas["member"])
    response = client.post(
        reverse("secretariat:office_create", args=[committee.slug]),
        {"person": member.pk, "kind": "chair", "start": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "a committee has one Chair at a time" in response.content.decode()
    assert Office.objects.filter(kind="chair").count() == 1


def test_office_for_a_non_member_is_refused(client, officer, committee, newcomer):
    response = client.post(
        reverse("secretariat:office_create", args=[committee.slug]),
        {"person": newcomer.pk, "kind": "vice_chair", "start": "2025-01-01"},
    )
    body = response.content.decode()
    assert "Cllr Ada Newcomer is not a Member of Test Joint Committee on 01 January 2025" in body
    assert not Office.objects.filter(person=newcomer).exists()


def test_vice_chair_is_appointed_from_the_members(client, officer, committee, personas):
    member = Person.objects.get(user=personas["member"])
    response = client.post(
        reverse("secretariat:office_create", args=[committee.slug]),
        {"person": member.pk, "kind": "vice_chair", "start": "2025-01-01"},
    )
    assert response.status_code == 302
    assert Office.objects.get(person=member).kind == "vice_chair"


def test_people_are_added_and_edited(client, officer):
    client.post(
        reverse("secretariat:person_create"),
        {"honorific": "Dr", "first_name": "Grace", "last_name": "Hopper", "email": ""},
    )
    person = Person.objects.get(last_name="Hopper")
    client.post(
        reverse("secretariat:person_edit", args=[person.pk]),
        {"honorific": "Professor", "first_name": "Grace", "last_name": "Hopper"},
    )
    person.refresh_from_db()
    assert person.full_name == "Professor Grace Hopper"


def test_membership_form_only_offers_this_committees_seats(client, officer, committee):
    from committees.models import Committee

    other = Committee.objects.create(name="Other", slug="other")
    foreign = Seat.objects.create(committee=other, title="Foreign seat", role=Role.MEMBER)
    body = client.get(reverse("secretariat:membership_create", args=[committee.slug]))
    assert "Foreign seat" not in body.content.decode()
    assert foreign.pk


def _people(committee, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        person = Person.objects.create(
            first_name=f"Person{i:03d}", last_name="Directory", email=f"p{i}@example.org"
        )
        Membership.objects.create(
            committee=committee, person=person, role=Role.OBSERVER, start=dt.date(2024, 1, 1)
        )


def test_the_people_list_comes_a_page_at_a_time_and_finds_by_any_word(
    client, officer, committee, django_assert_max_num_queries
):
    # The directory keeps people for years after they leave: it grew into one page of every
    # person with no way to find one but scrolling.
    url = reverse("secretariat:person_list")
    _people(committee, 60)
    with django_assert_max_num_queries(30) as small:
        first = client.get(url).content.decode()
    mine = Person.objects.filter(memberships__committee=committee).distinct().count()
    assert f"{mine} people, 1 to 50 shown." in first
    assert first.count('<th scope="row"') == 50 and 'rel="next"' in first
    _people(committee, 60, start=60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    last = client.get(url, {"page": "999"}).content.decode()  # past the end: the last page
    assert last.count('<th scope="row"') == ((mine + 60) % 50 or 50)
    assert client.get(url, {"page": "abc"}).status_code == 200
    # Any word of a name, title or email; every word must match.
    Person.objects.filter(first_name="Person007").update(
        honorific="Cllr", first_name="Zed", job_title="Leader, Swale Borough Council"
    )
    for q in ("zed", "SWALE", "p7@example", "cllr zed", "Directory Zed"):
        found = client.get(url, {"q": q}).content.decode()
        assert f"1 person matching “{q}”." in found, q
        assert "Cllr Zed Directory" in found
    found = client.get(url, {"q": "zed nobody"}).content.decode()
    assert "Nobody matches “zed nobody”." in found
    # Never someone the officer may not edit: a person on another committee only.
    other = Committee.objects.create(name="Elsewhere", slug="elsewhere")
    stranger = Person.objects.create(first_name="Zed", last_name="Elsewhere")
    Membership.objects.create(
        committee=other, person=stranger, role=Role.OBSERVER, start=dt.date(2024, 1, 1)
    )
    assert "Zed Elsewhere" not in client.get(url, {"q": "zed"}).content.decode()
