"""Each persona against each secretariat screen and the Django admin.

Committee screens: that committee's secretariat and superusers only; anyone else signed in gets
404 (not 403, so a committee's management screens do not reveal themselves); anonymous visitors
are sent to sign in. Directory screens: any secretariat officer, staff or superuser.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from committees.models import Seat
from members.models import Membership, Office
from tests.conftest import make_user

PERSONAS = ["secretariat", "chair", "member", "participant", "observer", "outsider", "admin"]


def committee_urls(committee) -> list[str]:
    slug = committee.slug
    seat = Seat.objects.filter(committee=committee).first()
    membership = Membership.objects.filter(committee=committee).first()
    office = Office.objects.filter(committee=committee).first()
    return [
        reverse("secretariat:committee", args=[slug]),
        reverse("secretariat:committee_edit", args=[slug]),
        reverse("secretariat:rules_edit", args=[slug]),
        reverse("secretariat:seat_list", args=[slug]),
        reverse("secretariat:seat_create", args=[slug]),
        reverse("secretariat:seat_edit", args=[slug, seat.pk]),
        reverse("secretariat:membership_list", args=[slug]),
        reverse("secretariat:membership_create", args=[slug]),
        reverse("secretariat:membership_edit", args=[slug, membership.pk]),
        reverse("secretariat:office_list", args=[slug]),
        reverse("secretariat:office_create", args=[slug]),
        reverse("secretariat:office_edit", args=[slug, office.pk]),
    ]


def directory_urls(org) -> list[str]:
    from members.models import Person

    person = Person.objects.first()
    return [
        reverse("secretariat:organisation_list"),
        reverse("secretariat:organisation_create"),
        reverse("secretariat:organisation_edit", args=[org.pk]),
        reverse("secretariat:place_list"),
        reverse("secretariat:place_create"),
        reverse("secretariat:person_list"),
        reverse("secretariat:person_create"),
        reverse("secretariat:person_edit", args=[person.pk]),
        reverse("secretariat:committee_create"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_lists_only_the_committees_a_user_serves(client, personas, committee, persona):
    client.force_login(personas[persona])
    response = client.get(reverse("secretariat:dashboard"))
    assert response.status_code == 200
    manage_url = reverse("secretariat:committee", args=[committee.slug])
    assert (manage_url in response.content.decode()) == (persona in ("secretariat", "admin"))


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_from_every_secretariat_screen(
    client, personas, committee, org
):
    for url in [reverse("secretariat:dashboard"), *committee_urls(committee), *directory_urls(org)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_committee_screens_only_for_its_secretariat_and_superusers(
    client, personas, committee, persona
):
    client.force_login(personas[persona])
    expected = 200 if persona in ("secretariat", "admin") else 404
    for url in committee_urls(committee):
        assert client.get(url).status_code == expected, url


@pytest.mark.django_db
def test_secretariat_of_another_committee_and_plain_staff_get_404_on_committee_screens(
    client, personas, committee
):
    from committees.models import Committee

    other = Committee.objects.create(name="Other", slug="other")
    elsewhere = make_user("elsewhere")
    other.secretariat.add(elsewhere)
    staff = make_user("staffer", is_staff=True)
    for user in (elsewhere, staff):
        client.force_login(user)
        for url in committee_urls(committee):
            assert client.get(url).status_code == 404, (user, url)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_directory_screens_for_secretariat_staff_and_superusers(client, personas, org, persona):
    client.force_login(personas[persona])
    expected = 200 if persona in ("secretariat", "admin") else 404
    for url in directory_urls(org):
        assert client.get(url).status_code == expected, url


@pytest.mark.django_db
def test_plain_staff_manage_the_directory(client, personas, org):
    client.force_login(make_user("staffer", is_staff=True))
    for url in directory_urls(org):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_admin_gets_the_django_admin(client, personas, persona):
    client.force_login(personas[persona])
    response = client.get("/admin/")
    if persona == "admin":
        assert response.status_code == 200
        assert client.get("/admin/members/membership/").status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_anonymous_cannot_reach_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
