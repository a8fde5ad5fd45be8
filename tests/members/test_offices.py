"""Who may hold an office, and the Chair's rotation recorded term by term (K&M ToR 6.3: "The
Chair of the Joint Committee shall be either the Leader of Kent County Council or Medway Council
... The Chair will rotate every two years between the Local Authority leaders")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees.models import OfficeEligibility, OfficeKind
from members import selectors, services
from members.models import Office
from tests.meetings.record_world import (  # noqa: F401
    KM_TOR_6_3,
    SINCE,
    km_chair_rule,
    km_fixture,
    seat_of,
)


def _chairs(km):
    return list(
        Office.objects.filter(committee=km.committee, kind=OfficeKind.CHAIR)
        .order_by("start")
        .values_list("person__first_name", "start", "end")
    )


def test_only_a_leader_can_be_made_chair_and_the_refusal_quotes_the_tor(km):
    km_chair_rule(km)
    Office.objects.filter(committee=km.committee, kind=OfficeKind.CHAIR).update(
        end=dt.date(2025, 12, 31)
    )
    with pytest.raises(ValidationError) as refused:
        services.create_office(
            committee=km.committee,
            person=km.p("icb_chair"),
            kind=OfficeKind.CHAIR,
            start=dt.date(2026, 1, 1),
        )
    message = refused.value.message_dict["person"][0]
    assert "only the holder of the seat “Seat of kcc_leader” or “Seat of medway_leader”" in message
    assert f"(ToR 6.3: “{KM_TOR_6_3}”)" in message
    assert "holds the seat “Seat of icb_chair”" in message
    office = services.create_office(
        committee=km.committee,
        person=km.p("medway_leader"),
        kind=OfficeKind.CHAIR,
        start=dt.date(2026, 1, 1),
    )
    assert office.pk


def test_without_a_rule_any_member_may_hold_an_office(km):
    office = services.create_office(
        committee=km.committee, person=km.p("icb_ned"), kind=OfficeKind.VICE_CHAIR, start=SINCE
    )
    assert office.pk


def test_each_office_has_its_own_rule(km):
    """M&SE-style: the Vice-Chairs are the Health and Wellbeing Board chairs, by seat."""
    rule = OfficeEligibility.objects.create(
        rules=km.committee.rules,
        office=OfficeKind.VICE_CHAIR,
        reference="Chair and Vice Chair Arrangements",
        wording="The chairs of the three upper tier local authorities Health and Wellbeing "
        "Boards ... will act as vice chairs.",
    )
    rule.seats.set([seat_of(km, "medway_leader")])
    with pytest.raises(ValidationError, match="ToR, Chair and Vice Chair Arrangements"):
        services.create_office(
            committee=km.committee, person=km.p("icb_ned"), kind=OfficeKind.VICE_CHAIR, start=SINCE
        )
    # The Leadership Team has no rule here: anyone who is a Member.
    services.create_office(
        committee=km.committee,
        person=km.p("icb_ned"),
        kind=OfficeKind.LEADERSHIP_TEAM,
        start=SINCE,
    )


def test_the_office_form_shows_the_refusal_beside_the_person(client, km):
    km_chair_rule(km)
    client.force_login(km.users["secretariat"])
    response = client.post(
        reverse("secretariat:office_create", args=[km.committee.slug]),
        {"person": km.p("hcp_chair1").pk, "kind": "chair", "start": "2030-01-01", "end": ""},
    )
    assert response.status_code == 200
    assert "cannot be Chair" in response.content.decode()
    assert not Office.objects.filter(person=km.p("hcp_chair1")).exists()


def test_the_rotation_knows_who_is_due_and_when_the_term_ends(km):
    km_chair_rule(km)
    rotation = selectors.chair_rotation(km.committee, dt.date(2025, 6, 1))
    assert rotation.citation == "ToR 6.3"
    assert rotation.seat_title(rotation.current) == "Seat of kcc_leader"
    assert rotation.current.end == dt.date(2025, 12, 31)
    assert rotation.current_holder.person == km.p("kcc_leader")
    assert (rotation.next_due.start, rotation.next_holder) == (
        dt.date(2026, 1, 1),
        km.p("medway_leader"),
    )
    assert rotation.offer is False  # more than 30 days before the next term
    assert selectors.chair_rotation(km.committee, dt.date(2025, 12, 10)).offer is True


def test_no_rotation_where_the_rules_have_none(km):
    km_chair_rule(km, rotation_years=None)
    assert selectors.chair_rotation(km.committee, dt.date(2025, 6, 1)) is None
    with pytest.raises(ValidationError, match="do not rotate"):
        services.record_next_chair_term(committee=km.committee, on=dt.date(2026, 1, 1))


def test_recording_the_next_term_closes_the_open_one_at_its_two_years(km):
    km_chair_rule(km)
    office = services.record_next_chair_term(committee=km.committee, on=dt.date(2025, 12, 10))
    assert (office.person, office.start, office.end) == (
        km.p("medway_leader"),
        dt.date(2026, 1, 1),
        dt.date(2027, 12, 31),
    )
    assert _chairs(km) == [
        ("Kcc Leader", SINCE, dt.date(2025, 12, 31)),
        ("Medway Leader", dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    ]
    # Then back to the KCC Leader; not offered months ahead.
    with pytest.raises(ValidationError, match="can be recorded from 2 December 2027"):
        services.record_next_chair_term(committee=km.committee, on=dt.date(2026, 6, 1))
    third = services.record_next_chair_term(committee=km.committee, on=dt.date(2028, 2, 1))
    assert (third.person, third.start) == (km.p("kcc_leader"), dt.date(2028, 1, 1))


@time_machine.travel(dt.datetime(2025, 12, 10, 9, tzinfo=dt.UTC), tick=False)
def test_the_offices_screen_offers_the_next_term_and_records_it(client, km):
    km_chair_rule(km)
    client.force_login(km.users["secretariat"])
    url = reverse("secretariat:office_list", args=[km.committee.slug])
    page = client.get(url).content.decode()
    assert "The Chair&#x27;s rotation (ToR 6.3)" in page or "The Chair's rotation (ToR 6.3)" in page
    assert "until 31 December 2025" in page
    assert "Record Medway Leader Testperson as Chair from 1 January 2026" in page
    response = client.post(reverse("secretariat:office_next_chair", args=[km.committee.slug]))
    assert response.status_code == 302
    assert _chairs(km)[-1] == ("Medway Leader", dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    # Nothing more to offer for now; a second press says why instead of failing.
    assert "Record " not in client.get(url).content.decode().split("chair-rotation")[1]
    response = client.post(
        reverse("secretariat:office_next_chair", args=[km.committee.slug]), follow=True
    )
    assert "can be recorded from 2 December 2027" in response.content.decode()


def test_only_the_committees_secretariat_records_a_term(client, km):
    km_chair_rule(km)
    client.force_login(km.users["outsider"])
    response = client.post(reverse("secretariat:office_next_chair", args=[km.committee.slug]))
    assert response.status_code == 404
    client.force_login(km.users["secretariat"])
    assert (
        client.get(reverse("secretariat:office_next_chair", args=[km.committee.slug])).status_code
        == 405
    )


def test_the_offices_screen_of_a_committee_without_rules_still_opens(client, km):
    km.committee.rules.delete()
    km.committee.refresh_from_db()
    client.force_login(km.users["secretariat"])
    response = client.get(reverse("secretariat:office_list", args=[km.committee.slug]))
    assert response.status_code == 200 and "chair-rotation" not in response.content.decode()
