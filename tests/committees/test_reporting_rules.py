"""The reporting rules of issue 14 on the secretariat's screens and in the demo: key messages
(M&SE, Accountability and Reporting) and the minutes presented to the statutory partners' named
governance contacts (K&M ToR 12.4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from committees.models import Committee, Organisation, RuleTopic
from demo.committees import KM_SLUG, KM_SUB_SLUG, MSE_SLUG
from tests.committees.test_secretariat_views import _rules_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, personas):
    client.force_login(personas["secretariat"])
    return personas["secretariat"]


@pytest.mark.parametrize("key_messages", [True, False])
@pytest.mark.parametrize("to_partners", [True, False])
def test_rules_screen_sets_each_reporting_rule_either_way(
    client, officer, committee, key_messages, to_partners
):
    rules = committee.rules
    rules.key_messages_required = not key_messages
    rules.minutes_to_partners = not to_partners
    rules.save()
    data = _rules_post(rules, ref_key_messages="Accountability and Reporting")
    for name, value in (
        ("key_messages_required", key_messages),
        ("minutes_to_partners", to_partners),
    ):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    response = client.post(reverse("secretariat:rules_edit", args=[committee.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rules.refresh_from_db()
    assert (rules.key_messages_required, rules.minutes_to_partners) == (key_messages, to_partners)
    assert rules.cite(RuleTopic.KEY_MESSAGES) == "ToR, Accountability and Reporting"


def test_organisation_screen_records_a_governance_contact(client, officer):
    org = Organisation.objects.create(name="Medway Council", kind="upper_tier")
    url = reverse("secretariat:organisation_edit", args=[org.pk])
    data = {"name": org.name, "kind": org.kind, "governance_contact_name": "Sam Officer"}
    response = client.post(url, data)
    assert response.status_code == 200 and "email address" in response.content.decode()
    data["governance_contact_email"] = "committees@medway.example"
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert (org.governance_contact_name, org.governance_contact_email) == (
        "Sam Officer",
        "committees@medway.example",
    )
    assert org.has_governance_contact


def test_demo_configures_both_committees_as_their_tor_word_reporting():
    from django.utils import timezone

    from demo import committees as committees_demo
    from tests import snapshots

    # The demo's structure as committees_demo.load() makes it, built once per session.
    snapshots.restore(("demo-structure", timezone.localdate()), committees_demo.load)
    km = Committee.objects.get(slug=KM_SLUG)
    mse = Committee.objects.get(slug=MSE_SLUG)
    # K&M 12.4: presented to KCC, Medway Council and the ICB; no key messages.
    assert km.rules.minutes_to_partners and not km.rules.key_messages_required
    assert km.rules.cite(RuleTopic.MINUTES) == "ToR 12.4"
    partners = list(km.statutory_partners.order_by("name"))
    assert sorted(p.short_name for p in partners) == ["ICB", "KCC", "Medway"]
    assert all(p.governance_contact_name and p.has_governance_contact for p in partners)
    assert all(p.governance_contact_email.endswith(".example") for p in partners)
    # M&SE, Accountability and Reporting: key messages to all members and on the website.
    assert mse.rules.key_messages_required and not mse.rules.minutes_to_partners
    assert mse.rules.cite(RuleTopic.KEY_MESSAGES) == "ToR, Accountability and Reporting"
    assert not Committee.objects.get(slug=KM_SUB_SLUG).rules.minutes_to_partners
