"""The open-data API: content, filters, privacy (no emails or user ids), and its schema."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from committees.models import Part2Ground, Place, QuorumCondition
from members.models import Membership, Person

pytestmark = pytest.mark.django_db


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_committees_include_rules_summary_partners_and_places(client, committee, org):
    committee.statutory_partners.add(org)
    committee.places.add(Place.objects.create(name="Thurrock Alliance", kind="alliance"))
    QuorumCondition.objects.create(rules=committee.rules, kind="organisation", organisation=org)
    Part2Ground.objects.create(committee=committee, reference="7.1.2", text="Commercial")
    [row] = results(client.get("/api/v1/committees/"))
    assert row["slug"] == committee.slug
    assert row["statutory_partners"][0]["name"] == org.name
    assert row["places"] == [
        {"id": committee.places.get().pk, "name": "Thurrock Alliance", "kind": "alliance"}
    ]
    assert row["rules"]["notice_days"] == 5
    assert row["rules"]["notice_applies_to"] == "all_but_urgent"
    assert row["rules"]["agenda_agreed_by"] == "chair"
    assert row["rules"]["quorum_number"] == 9
    assert row["rules"]["quorum_conditions"] == [f"At least 1 from {org}"]
    assert row["part2_grounds"] == [{"reference": "7.1.2", "text": "Commercial"}]
    detail = client.get(f"/api/v1/committees/{committee.slug}/").json()
    assert detail["name"] == committee.name


def test_committee_list_query_count_is_fixed(client, committee, org, django_assert_max_num_queries):
    from committees.models import Committee, CommitteeRules

    for i in range(15):
        c = Committee.objects.create(name=f"C{i}", slug=f"c{i}")
        CommitteeRules.objects.create(committee=c)
        c.statutory_partners.add(org)
    with django_assert_max_num_queries(8):
        assert len(results(client.get("/api/v1/committees/"))) == 16


def test_memberships_are_current_by_default_and_filter_by_committee(client, personas, committee):
    from committees.models import Committee

    past = Person.objects.create(first_name="Past", last_name="Member", email="past@example.org")
    Membership.objects.create(
        committee=committee, person=past, start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)
    )
    other = Committee.objects.create(name="Other", slug="other")
    Membership.objects.create(committee=other, person=past, start=dt.date(2024, 1, 1))

    rows = results(client.get("/api/v1/memberships/", {"committee": committee.slug}))
    names = {r["person"] for r in rows}
    assert names == {
        "Chair Persona",
        "Member Persona",
        "Participant Persona",
        "Observer Persona",
    }
    member = next(r for r in rows if r["person"] == "Member Persona")
    assert member["role"] == "member" and member["voting"] is True
    assert member["seat_title"] == "Member seat"
    assert member["organisation"] == "Test County Council"
    assert member["start"] == "2024-01-01" and member["end"] is None

    rows = results(
        client.get("/api/v1/memberships/", {"committee": committee.slug, "include_past": "true"})
    )
    assert "Past Member" in {r["person"] for r in rows}
    rows = results(client.get("/api/v1/memberships/", {"committee": "other"}))
    assert [r["committee"] for r in rows] == ["other"]


def test_api_never_exposes_emails_or_user_ids(client, personas, committee):
    for url in ("/api/v1/memberships/", "/api/v1/offices/", "/api/v1/committees/"):
        text = client.get(url, {"include_past": "true"}).content.decode()
        assert "@example.org" not in text, url
        assert '"user"' not in text and '"email"' not in text, url
        assert "secretariat" not in json.loads(text)["results"][0], url


def test_offices_list_current_holders(client, personas, committee):
    rows = results(client.get("/api/v1/offices/", {"committee": committee.slug}))
    assert [(r["kind"], r["person"]) for r in rows] == [("chair", "Chair Persona")]


def test_membership_list_query_count_is_fixed(
    client, personas, committee, django_assert_max_num_queries
):
    for i in range(30):
        p = Person.objects.create(first_name=f"P{i}", last_name="X")
        Membership.objects.create(committee=committee, person=p, start=dt.date(2024, 1, 1))
    with django_assert_max_num_queries(2):
        assert len(results(client.get("/api/v1/memberships/"))) == 34


def test_openapi_schema_is_served_with_every_path(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/committees/",
        "/api/v1/organisations/",
        "/api/v1/places/",
        "/api/v1/memberships/",
        "/api/v1/offices/",
    ):
        assert f"{path}:" in text, path


def test_openapi_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning or error into a failure.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/memberships/" in (tmp_path / "s.yml").read_text()
