"""One installation, several partnerships: one partnership's secretariat changes nothing of
another's (closure days, people and their email addresses); an administrator may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from committees.calendars import calendar_for
from committees.models import ClosureDay, Committee, CommitteeRules, Role
from meetings.due import _calendars
from members.models import Membership, Person
from members.selectors import people_editable_by
from tests.conftest import PASSWORD, make_user

XMAS = dt.date(2025, 12, 29)  # a Monday, not a bank holiday


@pytest.fixture
def mse(db, personas):
    """M&SE: its own committee, secretariat officer and member, beside K&M (`committee`)."""
    c = Committee.objects.create(name="M&SE Joint Committee", slug="mse-jc", purpose="Testing.")
    CommitteeRules.objects.create(committee=c)
    officer = make_user("mse_officer")
    c.secretariat.add(officer)
    member = Person.objects.create(first_name="Mo", last_name="Mse", email="mo@mse.example")
    Membership.objects.create(
        committee=c, person=member, role=Role.MEMBER, voting=True, start=dt.date(2024, 1, 1)
    )
    return {"committee": c, "officer": officer, "member": member}


def _as(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_closure_days_belong_to_a_committee_and_stay_in_it(client, committee, personas, mse):
    url = reverse("meetings_admin:closure_days")
    c = _as(client, mse["officer"])
    # M&SE's officer cannot add a day to K&M, nor one for every committee.
    for target in (committee.pk, ""):
        page = c.post(url, {"committee": target, "date": XMAS, "description": "x", "region": ""})
        assert page.status_code == 200
        assert "committee" in page.context["form"].errors
    assert not ClosureDay.objects.exists()
    # Their own day moves only M&SE's deadlines.
    c.post(url, {"committee": mse["committee"].pk, "date": XMAS, "description": "M", "region": ""})
    day = ClosureDay.objects.get()
    assert day.committee == mse["committee"]
    assert calendar_for(committee.rules).is_working_day(XMAS)
    assert not calendar_for(mse["committee"].rules).is_working_day(XMAS)
    by_committee = _calendars([committee, mse["committee"]])
    assert by_committee == {committee.pk: [], mse["committee"].pk: [XMAS]}

    # K&M's own day: M&SE's officer neither sees it nor removes it.
    km_day = ClosureDay.objects.create(committee=committee, date=XMAS, description="K&M only")
    assert "K&amp;M only" not in c.get(url).content.decode()
    response = c.post(reverse("meetings_admin:closure_day_delete", args=[km_day.pk]))
    assert response.status_code == 404
    assert ClosureDay.objects.filter(pk=km_day.pk).exists()

    # An installation-wide day is shown to every secretariat but kept by administrators only.
    everywhere = ClosureDay.objects.create(date=dt.date(2025, 12, 30), description="All")
    assert c.post(reverse("meetings_admin:closure_day_delete", args=[everywhere.pk])).status_code
    assert ClosureDay.objects.filter(pk=everywhere.pk).exists()
    for rules in (committee.rules, mse["committee"].rules):
        assert not calendar_for(rules).is_working_day(everywhere.date)
    admin = _as(client, personas["admin"])
    admin.post(url, {"committee": "", "date": "2026-01-02", "description": "A", "region": ""})
    assert ClosureDay.objects.filter(committee__isnull=True, date="2026-01-02").exists()
    assert (
        admin.post(reverse("meetings_admin:closure_day_delete", args=[everywhere.pk])).status_code
        == 302
    )
    assert not ClosureDay.objects.filter(pk=everywhere.pk).exists()


@pytest.mark.django_db
def test_every_committee_day_is_unique_on_postgresql(committee):
    ClosureDay.objects.create(date=XMAS, description="All")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosureDay.objects.create(date=XMAS, description="All again")
    ClosureDay.objects.create(committee=committee, date=XMAS, description="Its own")


@pytest.mark.django_db
def test_one_partnership_cannot_change_anothers_people(client, committee, personas, mse):
    km_member = Person.objects.get(user=personas["member"])
    c = _as(client, mse["officer"])
    edit = reverse("secretariat:person_edit", args=[km_member.pk])
    assert c.get(edit).status_code == 404
    data = {
        "honorific": "",
        "first_name": "Member",
        "last_name": "Persona",
        "email": "attacker@evil.example",
        "job_title": "",
    }
    assert c.post(edit, data).status_code == 404
    km_member.refresh_from_db()
    assert km_member.email == "member@example.org"
    listing = c.get(reverse("secretariat:person_list")).content.decode()
    assert "member@example.org" not in listing and "mo@mse.example" in listing
    # Their own member: yes.
    own = reverse("secretariat:person_edit", args=[mse["member"].pk])
    response = c.post(own, {**data, "first_name": "Mo", "last_name": "Mse", "email": "mo@new.ex"})
    assert response.status_code == 302
    mse["member"].refresh_from_db()
    assert mse["member"].email == "mo@new.ex"

    # K&M's secretariat edits K&M's member, not M&SE's; an administrator edits both.
    assert set(people_editable_by(personas["secretariat"])) >= {km_member}
    assert mse["member"] not in set(people_editable_by(personas["secretariat"]))
    assert {km_member, mse["member"]} <= set(people_editable_by(personas["admin"]))
    km = _as(client, personas["secretariat"])
    assert km.post(edit, {**data, "email": "member@new.example"}).status_code == 302
    km_member.refresh_from_db()
    assert km_member.email == "member@new.example"
