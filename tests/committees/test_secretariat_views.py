"""Create and edit flows of the secretariat screens, including the rules' messages shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from committees.forms import CommitteeRulesForm
from committees.models import (
    Committee,
    CommitteeRules,
    OfficeEligibility,
    Organisation,
    Part2Ground,
    Place,
    PresidingFallback,
    QuorumCondition,
    RuleTopic,
    Seat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, personas):
    client.force_login(personas["secretariat"])
    return personas["secretariat"]


def test_secretariat_adds_and_edits_an_organisation(client, officer):
    response = client.post(
        reverse("secretariat:organisation_create"),
        {"name": "Medway Council", "short_name": "Medway", "kind": "upper_tier", "website": ""},
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Medway Council")
    assert org.history.count() == 1
    response = client.post(
        reverse("secretariat:organisation_edit", args=[org.pk]),
        {"name": "Medway Council", "short_name": "MC", "kind": "upper_tier", "website": ""},
        follow=True,
    )
    assert "Organisation “Medway Council” saved." in response.content.decode()
    org.refresh_from_db()
    assert org.short_name == "MC"


def test_duplicate_organisation_name_is_a_form_error(client, officer, org):
    response = client.post(
        reverse("secretariat:organisation_create"), {"name": org.name, "kind": "other"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Organisation with this Name already exists." in body


def test_secretariat_adds_a_place(client, officer):
    client.post(reverse("secretariat:place_create"), {"name": "West Kent HCP", "kind": "hcp"})
    assert Place.objects.filter(name="West Kent HCP").exists()


def test_created_committee_gets_default_rules_and_its_creator_as_secretariat(
    client, officer, committee, org
):
    place = Place.objects.create(name="Medway and Swale HCP")
    response = client.post(
        reverse("secretariat:committee_create"),
        {
            "name": "Broadening Sub-committee",
            "slug": "broadening",
            "parent": committee.pk,
            "purpose": "Social and economic development.",
            "statutory_partners": [org.pk],
            "places": [place.pk],
            "is_active": "on",
        },
    )
    sub = Committee.objects.get(slug="broadening")
    assert response["Location"] == reverse("secretariat:committee", args=["broadening"])
    assert sub.parent == committee
    assert list(sub.statutory_partners.all()) == [org]
    assert list(sub.places.all()) == [place]
    assert CommitteeRules.objects.get(committee=sub).notice_days == 5
    assert officer in sub.secretariat.all()


def test_committee_cannot_be_its_own_grandparent(client, officer, committee):
    sub = Committee.objects.create(name="Sub", slug="sub", parent=committee)
    response = client.post(
        reverse("secretariat:committee_edit", args=[committee.slug]),
        {"name": committee.name, "slug": committee.slug, "parent": sub.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "cannot sit under itself" in response.content.decode()
    committee.refresh_from_db()
    assert committee.parent is None


def test_rules_form_offers_every_field_of_the_rules():
    model_fields = {
        f.name
        for f in CommitteeRules._meta.get_fields()
        if f.concrete and not f.auto_created and f.name not in ("committee", "references")
    }
    # `references` is edited as one box per rule topic.
    model_fields |= {f"ref_{topic.value}" for topic in RuleTopic}
    assert set(CommitteeRulesForm().fields) == model_fields


def _rules_post(rules: CommitteeRules, **overrides) -> dict:
    data = {
        name: getattr(rules, name)
        for name in CommitteeRulesForm._meta.fields
        if not isinstance(getattr(rules, name), bool) and name != "public_health_seats"
    }
    data["public_health_seats"] = [s.pk for s in rules.public_health_seats.all()]
    for name in CommitteeRulesForm._meta.fields:
        if getattr(rules, name) is True:
            data[name] = "on"
    for prefix in ("conditions", "eligibility", "fallbacks", "grounds"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_rules_edit_saves_numbers_and_adds_conditions_fallbacks_and_grounds(
    client, officer, committee, org
):
    rules = committee.rules
    seat = Seat.objects.filter(committee=committee).first()
    data = _rules_post(
        rules,
        papers_days="4",
        papers_counting="plain",
        deputies_allowed="on",
        quorum_basis="fraction",
        quorum_fraction="0.5",
        **{
            "conditions-TOTAL_FORMS": "2",
            "conditions-0-kind": "organisation",
            "conditions-0-minimum": "1",
            "conditions-0-organisation": org.pk,
            "conditions-0-order": "0",
            "conditions-1-kind": "office",
            "conditions-1-minimum": "1",
            "conditions-1-office": "leadership_team",
            "conditions-1-order": "1",
            "fallbacks-TOTAL_FORMS": "2",
            "fallbacks-0-order": "1",
            "fallbacks-0-office": "vice_chair",
            "fallbacks-1-order": "2",
            "fallbacks-1-seat": seat.pk,
            "grounds-TOTAL_FORMS": "1",
            "grounds-0-reference": "7.1.2",
            "grounds-0-text": "Commercially sensitive information",
            "grounds-0-order": "0",
        },
    )
    response = client.post(reverse("secretariat:rules_edit", args=[committee.slug]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rules.refresh_from_db()
    assert (rules.papers_days, rules.papers_counting) == (4, "plain")
    assert rules.deputies_allowed and rules.quorum_basis == "fraction"
    assert [c.describe() for c in rules.conditions.all()] == [
        f"At least 1 from {org}",
        "At least 1 of the leadership team",
    ]
    assert [str(f) for f in rules.presiding_fallbacks.all()] == ["1. Vice-Chair", f"2. {seat}"]
    assert Part2Ground.objects.get(committee=committee).reference == "7.1.2"

    # Deleting a row through its formset removes it and keeps the others.
    condition = rules.conditions.first()
    ground = Part2Ground.objects.get(committee=committee)
    data = _rules_post(
        rules,
        **{
            "conditions-TOTAL_FORMS": "1",
            "conditions-INITIAL_FORMS": "1",
            "conditions-0-id": condition.pk,
            "conditions-0-kind": condition.kind,
            "conditions-0-minimum": "1",
            "conditions-0-organisation": org.pk,
            "conditions-0-order": "0",
            "conditions-0-DELETE": "on",
            "grounds-TOTAL_FORMS": "1",
            "grounds-INITIAL_FORMS": "1",
            "grounds-0-id": ground.pk,
            "grounds-0-reference": "7.1.2",
            "grounds-0-text": "Commercially sensitive information (amended)",
            "grounds-0-order": "0",
        },
    )
    response = client.post(reverse("secretariat:rules_edit", args=[committee.slug]), data)
    assert response.status_code == 302
    assert not QuorumCondition.objects.filter(pk=condition.pk).exists()
    assert rules.conditions.count() == 1
    ground.refresh_from_db()
    assert ground.text.endswith("(amended)")


def test_rules_screen_sets_public_health_seats_and_deputies_for_a_matter(
    client, officer, committee
):
    """K&M ToR 8.2 names the Directors of Public Health by seat; M&SE's Conflicts of Interest
    provide for a deputy for one matter. Both are rules the secretariat sets, and unsets."""
    rules = committee.rules
    seat = Seat.objects.filter(committee=committee).first()
    other = Seat.objects.create(committee=Committee.objects.create(name="Other", slug="other"),
                                title="Elsewhere")  # fmt: skip
    url = reverse("secretariat:rules_edit", args=[committee.slug])
    data = _rules_post(rules, conflict_deputies_allowed="on", public_health_seats=[seat.pk])
    assert client.post(url, data).status_code == 302
    rules.refresh_from_db()
    assert rules.conflict_deputies_allowed
    assert list(rules.public_health_seats.all()) == [seat]
    # Another committee's seat is not offered.
    response = client.post(url, _rules_post(rules, public_health_seats=[other.pk]))
    assert response.status_code == 200
    assert list(rules.public_health_seats.all()) == [seat]
    data = _rules_post(rules, public_health_seats=[])
    data.pop("conflict_deputies_allowed", None)
    assert client.post(url, data).status_code == 302
    rules.refresh_from_db()
    assert not rules.conflict_deputies_allowed
    assert not rules.public_health_seats.exists()


def test_rules_screen_records_where_each_rule_is_in_the_committees_own_tor(
    client, officer, committee
):
    rules = committee.rules
    url = reverse("secretariat:rules_edit", args=[committee.slug])
    data = _rules_post(rules, ref_voting="7.4", ref_minutes="  Accountability and Reporting ")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rules.refresh_from_db()
    assert rules.references == {"voting": "7.4", "minutes": "Accountability and Reporting"}
    assert rules.cite(RuleTopic.VOTING) == "ToR 7.4"
    assert rules.cite(RuleTopic.MINUTES) == "ToR, Accountability and Reporting"
    assert rules.cite(RuleTopic.QUORUM) == "the Terms of Reference"
    page = client.get(url).content.decode()
    assert 'name="ref_voting" value="7.4"' in page
    # Emptying a box removes the paragraph; the other stays.
    response = client.post(url, _rules_post(rules, ref_voting="", ref_minutes="12.4"))
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.references == {"minutes": "12.4"}


def test_rules_screen_sets_who_may_hold_an_office_and_the_chairs_rotation(
    client, officer, committee, org
):
    seats = [
        Seat.objects.create(committee=committee, title=title, organisation=org, order=n)
        for n, title in enumerate(["Leader of Kent County Council", "Leader of Medway Council"])
    ]
    rules = committee.rules
    data = _rules_post(
        rules,
        chair_rotation_years="2",
        chair_rotation_start="2022-07-01",
        ref_chair_rotation="6.3",
        ref_presiding="6.8",
        **{
            "eligibility-TOTAL_FORMS": "1",
            "eligibility-0-office": "chair",
            "eligibility-0-seats": [s.pk for s in seats],
            "eligibility-0-reference": "6.3",
            "eligibility-0-wording": "The Chair of the Joint Committee shall be either the "
            "Leader of Kent County Council or Medway Council",
            "fallbacks-TOTAL_FORMS": "1",
            "fallbacks-0-order": "1",
            "fallbacks-0-other_rotation_seat": "on",
        },
    )
    response = client.post(reverse("secretariat:rules_edit", args=[committee.slug]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    rules.refresh_from_db()
    assert (rules.chair_rotation_years, rules.reference("chair_rotation")) == (2, "6.3")
    assert rules.reference("presiding") == "6.8"
    rule = OfficeEligibility.objects.get(rules=rules, office="chair")
    assert set(rule.seats.all()) == set(seats) and rule.reference == "6.3"
    assert [str(f) for f in rules.presiding_fallbacks.all()] == [
        "1. the other seat in the Chair's rotation"
    ]


def test_a_rotating_chair_needs_two_eligible_seats(client, officer, committee, org):
    seat = Seat.objects.create(committee=committee, title="Leader of Kent County Council")
    data = _rules_post(
        committee.rules,
        chair_rotation_years="2",
        notice_days="7",
        **{
            "eligibility-TOTAL_FORMS": "1",
            "eligibility-0-office": "chair",
            "eligibility-0-seats": [seat.pk],
        },
    )
    response = client.post(reverse("secretariat:rules_edit", args=[committee.slug]), data)
    assert response.status_code == 200
    assert "name at least two under “Who may hold each office”" in response.content.decode()
    committee.rules.refresh_from_db()
    assert committee.rules.chair_rotation_years is None and committee.rules.notice_days == 5
    assert not OfficeEligibility.objects.exists()


def test_rules_errors_are_shown_and_nothing_is_saved(client, officer, committee):
    rules = committee.rules
    data = _rules_post(
        rules,
        notice_days="7",
        deputies_may_vote="on",
        **{
            "conditions-TOTAL_FORMS": "1",
            "conditions-0-kind": "organisation",
            "conditions-0-minimum": "1",
            "conditions-0-order": "0",
            "fallbacks-TOTAL_FORMS": "1",
            "fallbacks-0-order": "1",
        },
    )
    response = client.post(reverse("secretariat:rules_edit", args=[committee.slug]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deputies can only vote where deputies are allowed." in body
    assert "Choose the organisation this condition names." in body
    assert "Name one of: an office, a seat, or the other seat in the Chair&#x27;s rotation." in body
    rules.refresh_from_db()
    assert rules.notice_days == 5
    assert not PresidingFallback.objects.exists()


def test_seat_is_added_to_the_committee(client, officer, committee, org):
    response = client.post(
        reverse("secretariat:seat_create", args=[committee.slug]),
        {
            "title": "Leader of Medway Council",
            "reference": "6.1.2",
            "role": "member",
            "organisation": org.pk,
            "order": "2",
        },
    )
    assert response.status_code == 302
    assert Seat.objects.get(title="Leader of Medway Council").committee == committee


def test_form_pages_have_a_heading_labels_and_the_gds_styling(client, officer, committee):
    body = client.get(reverse("secretariat:membership_create", args=[committee.slug])).content
    body = body.decode()
    assert '<h1 class="govuk-heading-l">Add a membership</h1>' in body
    assert 'class="govuk-label' in body and 'class="govuk-select' in body
    assert "csrfmiddlewaretoken" in body


def test_dashboard_links_to_each_committee_it_lists(client, officer, committee):
    body = client.get(reverse("secretariat:dashboard")).content.decode()
    assert committee.name in body
    assert reverse("secretariat:committee", args=[committee.slug]) in body
    assert committee.get_absolute_url() in body


def test_dashboard_shows_all_committees_to_a_superuser(client, personas, committee):
    Committee.objects.create(name="Someone else's committee", slug="else")
    client.force_login(personas["admin"])
    body = client.get(reverse("secretariat:dashboard")).content.decode()
    assert committee.name in body and "Someone else&#x27;s committee" in body


def test_dates_in_forms_are_iso_for_date_inputs(client, officer, committee):
    from members.models import Membership

    m = Membership.objects.filter(committee=committee).first()
    body = client.get(reverse("secretariat:membership_edit", args=[committee.slug, m.pk]))
    assert f'value="{m.start:%Y-%m-%d}"' in body.content.decode()
    assert m.start == dt.date(2024, 1, 1)


def test_number_boxes_are_gov_uk_inputs_sized_for_a_number(client, officer, committee):
    # crispy-forms-gds left number boxes as the browser draws them: about 18px tall with 10px
    # text and a thin border, beside full-size GOV.UK boxes (the rules' days), and the
    # retention rule's text boxes for numbers ran the whole column for "6".
    import re

    from committees.models import RetentionRule

    RetentionRule.objects.get_or_create(committee=committee)
    for url in (
        reverse("secretariat:rules_edit", args=[committee.slug]),
        reverse("secretariat:retention_edit", args=[committee.slug]),
    ):
        page = client.get(url).content.decode()
        boxes = [
            tag
            for tag in re.findall(r"<input\b[^>]*>", page)
            if 'type="number"' in tag or 'inputmode="numeric"' in tag
        ]
        assert len(boxes) >= 4, url
        for tag in boxes:
            classes = re.search(r'class="([^"]*)"', tag).group(1).split()
            assert "govuk-input" in classes, tag
            assert any(c.startswith("govuk-input--width-") for c in classes), tag
