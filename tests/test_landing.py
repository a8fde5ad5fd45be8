"""Issue 13, "Landing where the work is": after sign-in each person lands on their own work.
Members, Participants, the Chair and the Leadership Team land on /my/ (with "Due from you");
secretariat officers and administrators on the secretariat dashboard. A `next` address still
wins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committees.models import OfficeKind, Role
from tests.conftest import PASSWORD, _person_with

pytestmark = pytest.mark.django_db


def sign_in(client, username: str, **extra):
    data = {"login": username, "password": PASSWORD, **extra}
    return client.post(reverse("account_login"), data)


@pytest.mark.parametrize("username", ["member", "participant", "chair", "observer", "outsider"])
def test_members_and_the_chair_land_on_their_own_page(client, personas, username):
    response = sign_in(client, username)
    assert response.status_code == 302 and response["Location"] == "/my/"


def test_the_leadership_team_lands_on_their_own_page(client, personas, committee, org):
    _person_with(
        committee, org, "leader", Role.MEMBER, voting=True, office=OfficeKind.LEADERSHIP_TEAM
    )
    assert sign_in(client, "leader")["Location"] == "/my/"


def test_the_member_sees_what_is_due_from_them_where_they_land(client, personas):
    response = sign_in(client, "member")
    body = client.get(response["Location"]).content.decode()
    assert "Due from you" in body and "Confirm your interests" in body


@pytest.mark.parametrize("username", ["secretariat", "admin"])
def test_secretariat_officers_land_on_their_dashboard(client, personas, username):
    response = sign_in(client, username)
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_a_next_address_still_wins(client, personas):
    response = client.post(
        reverse("account_login") + "?next=/my/interests/",
        {"login": "member", "password": PASSWORD, "next": "/my/interests/"},
    )
    assert response["Location"] == "/my/interests/"


def test_the_dashboard_points_a_member_to_their_own_page(client, personas):
    sign_in(client, "member")
    body = client.get("/dashboard/").content.decode()
    assert 'href="/my/"' in body
