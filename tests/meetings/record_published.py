"""A K&M-shaped committee with its record published: minutes in every state, Part 1 and Part 2
decisions, and a meeting held wholly in private (shared by the record publication tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from communications.models import Subscription
from meetings.conduct import services as record
from meetings.minutes import services as minutes_services
from meetings.models import Minutes
from tests import snapshots
from tests.conftest import make_user
from tests.meetings.record_world import (
    QUORATE_NINE,
    business_item,
    km_world,
    mark_present,
    meeting_with_agenda,
)

SECRET_DECISION = "PART2-DECISION-SECRET-quayside"
SECRET_MINUTES = "PART2-MINUTES-SECRET-quayside"
PERSONAS = [
    "secretariat",
    "admin",
    "kcc_leader",  # Chair and Leadership Team
    "kcc_exec1",  # member
    "participant",
    "observer",
    "outsider",
    "anonymous",
]


def publish_world(km) -> dict:
    """Published minutes of a public meeting (with Part 2 business), draft and circulated
    minutes of later meetings, and a meeting held wholly in private with a decision."""
    km.users["admin"] = make_user("km-admin", is_superuser=True, is_staff=True)
    first = meeting_with_agenda(km, dt.date(2026, 3, 10))
    second = meeting_with_agenda(km, dt.date(2026, 5, 12), business="Winter plan")
    third = meeting_with_agenda(km, dt.date(2026, 7, 14), business="Summer plan")
    private = meeting_with_agenda(km, dt.date(2026, 4, 7), business="Estates strategy")
    private.is_public = False
    private.save()
    for m in (first, second, third, private):
        mark_present(km, m, QUORATE_NINE)
    record.record_decision(item=business_item(first), text="Award the harbour care contract.")
    p2 = first.agenda.items.get(part=2)
    record.record_decision(
        item=p2,
        text=f"Buy the quayside site for £2m. {SECRET_DECISION}",
        public_summary="Agreed a harbour purchase.",
    )
    record.save_item_note(item=p2, discussion=f"Harbour valuation discussed. {SECRET_MINUTES}")
    record.save_item_note(
        item=business_item(first), discussion="Members discussed harbour staffing."
    )
    record.record_decision(
        item=business_item(private, "Estates strategy"),
        text="Adopt the harbour estates strategy in private.",
        public_summary="Agreed an estates matter.",
    )
    minutes = minutes_services.circulate_minutes(
        minutes=minutes_services.generate_minutes(meeting=first)
    )
    minutes = minutes_services.approve_minutes(
        minutes=minutes, at_item=second.agenda.items.get(standard_key="minutes")
    )
    sub = Subscription.objects.create(
        email="resident@example.org", committee=km.committee, confirmed_at=dt.datetime.now(dt.UTC)
    )
    minutes = minutes_services.publish_minutes(minutes=minutes)
    record.save_item_note(
        item=business_item(second, "Winter plan"), discussion="Harbour draft words."
    )
    draft = minutes_services.generate_minutes(meeting=second)
    record.save_item_note(
        item=business_item(third, "Summer plan"), discussion="Harbour circulated words."
    )
    circulated = minutes_services.circulate_minutes(
        minutes=minutes_services.generate_minutes(meeting=third)
    )
    private_minutes = Minutes.objects.create(
        meeting=private,
        state=Minutes.State.PUBLISHED,
        sections=[{"key": "x", "heading": "Estates", "part": 1, "text": "Harbour estates."}],
        published_at=dt.datetime.now(dt.UTC),
    )
    return {
        "first": first,
        "private": private,
        "minutes": minutes,
        "draft": draft,
        "circulated": circulated,
        "private_minutes": private_minutes,
        "subscription": sub,
    }


def _build() -> tuple:
    km = km_world()
    return km, publish_world(km)


@pytest.fixture
def _published_world(db, settings, tmp_path) -> tuple:
    """The K&M world and its published record, built once per session and restored here."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.SITE_URL = "http://testserver"
    return snapshots.restore(("published", timezone.localdate()), _build)


@pytest.fixture(name="km")
def km_fixture(request, db):
    """The K&M world: with `published` in the test, the one the record was published in."""
    if "published" in request.fixturenames:
        return request.getfixturevalue("_published_world")[0]
    return km_world()


@pytest.fixture(name="published")
def published_fixture(_published_world) -> dict:
    """Published minutes of a public meeting (with Part 2 business), draft and circulated
    minutes of later meetings, and a meeting held wholly in private with a decision."""
    return _published_world[1]
