"""The register of interests against the regressions issue 16 names: an entry deleted in the admin
leaves the register, ended interests stay exactly 183 days, and a nil return is never shown beside
published interests."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members import interests as svc
from members.models import Interest, InterestCategory, Person
from tests.conftest import PASSWORD

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 9, 15, 12, 0, tzinfo=LONDON)


def _person(user) -> Person:
    return Person.objects.get(user=user)


def _published(p: Person, description: str, staff, *, end: dt.date | None = None) -> Interest:
    entry = svc.declare_interest(
        person=p,
        category=InterestCategory.FINANCIAL,
        involved="Harbour Trust",
        description=description,
        start_date=dt.date(2024, 1, 1),
        by=None,
    )
    if end is not None:
        entry = svc.end_interest(interest=entry, end_date=end)
    return svc.publish_interest(interest=entry, by=staff)


def _texts(committee, user, as_of=None) -> list[str]:
    rows = {r.membership.person.user_id: r for r in svc.register_for(committee, as_of)}
    return [i.description for i in rows[user.pk].interests]


@pytest.mark.django_db
def test_an_interest_deleted_in_the_admin_leaves_the_register(client, committee, personas):
    entry = _published(
        _person(personas["member"]), "DELETED-IN-ADMIN-entry", personas["secretariat"]
    )
    page = reverse("interests:register", args=[committee.slug])
    api = f"/api/v1/interest-registers/{committee.slug}/"
    assert "DELETED-IN-ADMIN-entry" in client.get(page).text
    admin = Client()
    assert admin.login(username="admin", password=PASSWORD)
    response = admin.post(f"/admin/members/interest/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Interest.objects.filter(pk=entry.pk).exists()
    assert _texts(committee, personas["member"]) == []
    assert _texts(committee, personas["member"], timezone.localdate()) == []
    assert "DELETED-IN-ADMIN-entry" not in client.get(page).text
    assert "DELETED-IN-ADMIN-entry" not in client.get(api).text


@pytest.mark.django_db
def test_ended_interests_are_shown_for_183_days_after_they_end(committee, personas):
    staff = personas["secretariat"]
    p = _person(personas["member"])
    today = NOW.date()
    with time_machine.travel(NOW, tick=False):
        _published(p, "ended-183-days-ago", staff, end=today - dt.timedelta(days=183))
        _published(p, "ended-184-days-ago", staff, end=today - dt.timedelta(days=184))
        _published(p, "ended-yesterday", staff, end=today - dt.timedelta(days=1))
        _published(p, "current", staff)
        shown = _texts(committee, personas["member"])
    assert sorted(shown) == ["current", "ended-183-days-ago", "ended-yesterday"]
    # As the register stands on a later day, the window moves with it.
    later = _texts(committee, personas["member"], today + dt.timedelta(days=1))
    assert sorted(later) == ["current", "ended-yesterday"]


@pytest.mark.django_db
def test_a_nil_return_is_not_shown_beside_published_interests(client, committee, personas):
    staff = personas["secretariat"]
    p = _person(personas["member"])
    with time_machine.travel(NOW, tick=False) as traveller:
        _published(p, "ended-last-month", staff, end=NOW.date() - dt.timedelta(days=30))
        traveller.shift(60)
        svc.submit_nil_return(person=p)  # no current interest: allowed
        rows = {r.membership.person.user_id: r for r in svc.register_for(committee)}
        row = rows[personas["member"].pk]
        assert [i.description for i in row.interests] == ["ended-last-month"]
        assert row.membership.nil_return is None
        html = render_to_string("members/includes/register_table.html", {"register": [row]})
        assert "ended-last-month" in html and "Nil return" not in html
    # Once the ended interest has left the register, the nil return is what shows.
    after = NOW.date() + dt.timedelta(days=200)
    rows = {r.membership.person.user_id: r for r in svc.register_for(committee, after)}
    row = rows[personas["member"].pk]
    assert row.interests == [] and row.membership.nil_return is not None
