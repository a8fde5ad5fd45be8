"""axe-core finds no WCAG 2.2 A/AA violations on the public committee page, the sign-in page and
the secretariat dashboard, rendered by real Chromium against the live server.

Set SCREENSHOT_DIR to keep full-page screenshots of the pages checked.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from committees.models import Place, Role, Seat
from members.models import Membership, Office, Person
from tests.browser.conftest import axe_violations, describe_violations

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def populated(personas, committee, org):
    """The personas' committee with partners, places, a participant seat and a Vice-Chair."""
    committee.purpose = "To agree the integrated care strategy for the area."
    committee.save()
    committee.statutory_partners.add(org)
    place = Place.objects.create(name="West Kent HCP")
    committee.places.add(place)
    person = Person.objects.create(honorific="Dr", first_name="Wendy", last_name="West")
    seat = Seat.objects.create(
        committee=committee,
        title="Chair of the West Kent Health and Care Partnership",
        role=Role.PARTICIPANT,
        place=place,
    )
    Membership.objects.create(
        committee=committee,
        person=person,
        role=Role.PARTICIPANT,
        voting=False,
        seat=seat,
        place=place,
        start=dt.date(2024, 1, 1),
    )
    member = Person.objects.get(user=personas["member"])
    Office.objects.create(
        committee=committee, person=member, kind="vice_chair", start=dt.date(2024, 1, 1)
    )
    return committee


def test_public_committee_and_login_pages_have_no_axe_violations(page, populated):
    page.goto(f"/committees/{populated.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == populated.name
    assert page.get_by_text("Chair of the West Kent Health and Care Partnership").is_visible()
    _shot(page, "public-committee")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)

    page.goto("/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    _shot(page, "login")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_dashboard_has_no_axe_violations(page, sign_in, populated):
    sign_in("secretariat")
    assert page.url.endswith("/dashboard/")
    assert page.get_by_role("link", name=populated.name, exact=True).is_visible()
    _shot(page, "dashboard")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
