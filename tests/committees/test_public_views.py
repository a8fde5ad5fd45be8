"""The public committee page and home page: content, and a query count independent of size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from committees.models import Committee, CommitteeRules, Organisation, Place, Role, Seat
from members.models import Membership, Office, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def km(db) -> Committee:
    c = Committee.objects.create(
        name="Kent and Medway ICP Joint Committee",
        slug="kent-medway-icp",
        purpose="To develop the integrated care strategy.",
    )
    CommitteeRules.objects.create(committee=c)
    medway = Organisation.objects.create(name="Medway Council", kind="upper_tier")
    kcc = Organisation.objects.create(name="Kent County Council", kind="upper_tier")
    c.statutory_partners.set([medway, kcc])
    west = Place.objects.create(name="West Kent HCP")
    c.places.set([west])
    Committee.objects.create(name="Broadening Sub-committee", slug="broadening", parent=c)
    start = dt.date(2022, 4, 1)

    def seat_holder(first, last, title, org, role=Role.MEMBER, place=None, **membership):
        seat = Seat.objects.create(committee=c, title=title, role=role, organisation=org)
        person = Person.objects.create(first_name=first, last_name=last, email=f"{last}@x.org")
        Membership.objects.create(
            committee=c,
            person=person,
            role=role,
            voting=role == Role.MEMBER,
            seat=seat,
            organisation=org,
            place=place,
            start=membership.get("start", start),
            end=membership.get("end"),
        )
        return person

    leader = seat_holder("Alan", "Leader", "Leader of Medway Council", medway)
    kcc_leader = seat_holder("Kim", "Leader", "Leader of Kent County Council", kcc)
    seat_holder(
        "Wendy",
        "West",
        "Chair of the West Kent Health and Care Partnership",
        None,
        role=Role.PARTICIPANT,
        place=west,
    )
    seat_holder("Old", "Member", "Former seat", kcc, end=dt.date(2023, 1, 1))
    Office.objects.create(committee=c, person=leader, kind="chair", start=start)
    Office.objects.create(committee=c, person=kcc_leader, kind="vice_chair", start=start)
    return c


def test_public_committee_page_shows_purpose_partners_places_and_seats(client, km):
    response = client.get(reverse("public:committee", args=[km.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    # In the site's own type, not the browser's default paragraph (seen in the demo: the
    # purpose in a smaller, tighter font than everything around it).
    assert '<p class="govuk-body">To develop the integrated care strategy.</p>' in body
    assert "Medway Council" in body and "Kent County Council" in body
    assert "West Kent HCP" in body
    assert "Broadening Sub-committee" in body
    assert "Leader of Medway Council" in body
    assert "Chair of the West Kent Health and Care Partnership" in body
    # Grouped by organisation: one table per organisation, captioned with its name.
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Medway Council' in body
    # Chair and Vice-Chair today.
    chair_row = body.split(">Chair</dt>")[1].split("</div>")[0]
    assert "Alan Leader" in chair_row
    vice_row = body.split(">Vice-Chair</dt>")[1].split("</div>")[0]
    assert "Kim Leader" in vice_row
    # Only current memberships; never an email.
    assert "Old Member" not in body and "Former seat" not in body
    assert "@x.org" not in body


def test_sub_committee_page_links_to_its_parent(client, km):
    body = client.get(reverse("public:committee", args=["broadening"])).content.decode()
    assert f'href="{km.get_absolute_url()}"' in body


def test_inactive_or_unknown_committee_is_404(client, km):
    Committee.objects.filter(slug="broadening").update(is_active=False)
    assert client.get(reverse("public:committee", args=["broadening"])).status_code == 404
    assert client.get(reverse("public:committee", args=["nope"])).status_code == 404


def test_home_lists_committees(client, km):
    body = client.get(reverse("public:home")).content.decode()
    assert km.name in body and km.get_absolute_url() in body
    assert "Broadening Sub-committee" in body


def _add_members(committee: Committee, n: int) -> None:
    orgs = [Organisation.objects.create(name=f"Org {i}") for i in range(5)]
    places = [Place.objects.create(name=f"Place {i}") for i in range(3)]
    for i in range(n):
        seat = Seat.objects.create(committee=committee, title=f"Seat {i}", organisation=orgs[i % 5])
        person = Person.objects.create(first_name=f"P{i}", last_name="Member")
        Membership.objects.create(
            committee=committee,
            person=person,
            seat=seat,
            organisation=orgs[i % 5] if i % 2 else None,
            place=places[i % 3],
            start=dt.date(2024, 1, 1),
        )
        if i == 0:
            Office.objects.create(committee=committee, person=person, kind="chair", start=seat_day)
        if i in (1, 2):
            Office.objects.create(
                committee=committee, person=person, kind="vice_chair", start=seat_day
            )


seat_day = dt.date(2024, 1, 1)


@pytest.mark.parametrize("size", [5, 60])
def test_public_page_query_count_does_not_grow_with_membership(
    client, django_assert_max_num_queries, size
):
    committee = Committee.objects.create(name="Big", slug="big")
    committee.statutory_partners.set([Organisation.objects.create(name="Partner")])
    Committee.objects.create(name="Child", slug="child", parent=committee)
    _add_members(committee, size)
    with django_assert_max_num_queries(8):  # 6 + the next meetings + the archive's years
        response = client.get(reverse("public:committee", args=["big"]))
    assert response.content.decode().count("Seat ") >= size


def test_home_query_count_is_fixed(client, django_assert_max_num_queries):
    for i in range(10):
        parent = Committee.objects.create(name=f"C{i}", slug=f"c{i}")
        Committee.objects.create(name=f"C{i} sub", slug=f"c{i}-sub", parent=parent)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("public:home")).status_code == 200
