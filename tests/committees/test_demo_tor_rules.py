"""Both demo committees as their ToR word the rules of issue 14 points 1, 6 and 11: one voice per
seat and a deputy for one matter (M&SE), a public health representative in attendance (K&M 8.2)."""

from __future__ import annotations

import pytest

from committees.models import Committee
from demo.committees import KM_SLUG, MSE_SLUG
from tests.committees.test_demo import structure, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("structure")]


def test_km_names_its_directors_of_public_health_for_8_2():
    rules = Committee.objects.get(slug=KM_SLUG).rules
    # 6.4.4 "Kent and Medway Directors of Public Health"; 8.2 "a public health representative".
    assert {s.title for s in rules.public_health_seats.all()} == {
        "Director of Public Health, Kent County Council",
        "Director of Public Health, Medway Council",
    }
    assert {s.reference for s in rules.public_health_seats.all()} == {"6.4.4"}
    assert rules.cite("public_health") == "ToR 8.2"
    # 6.2: "Members are not permitted to have deputies to represent them": not for a matter
    # either, and a refusal cites 6.2.
    assert not rules.conflict_deputies_allowed
    assert rules.cite("conflict_deputies") == "ToR 6.2"


def test_mse_has_deputies_for_a_matter_and_no_public_health_rule():
    rules = Committee.objects.get(slug=MSE_SLUG).rules
    # Conflicts of Interest: "the relevant organisation ... may send a deputy to take the place
    # of the conflicted member in relation to that matter."
    assert rules.conflict_deputies_allowed
    assert rules.cite("conflict_deputies") == "ToR, Conflicts of Interest"
    # The M&SE ToR have no public health attendance rule (its Directors of Public Health are
    # members of Appendix 2, items 11 to 13, with no rule about their attendance).
    assert not rules.public_health_seats.exists()
    assert rules.cite("public_health") == "the Terms of Reference"
