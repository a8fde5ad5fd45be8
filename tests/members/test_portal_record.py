"""My meetings shows the person's open actions from the meeting record (not others', not closed
ones), and the Chair and Leadership Team the forward plan topics awaiting their agreement; the
page's cost does not grow with the number of actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.conduct import services as record
from meetings.forward_plan import services as forward_plan
from tests.meetings.record_world import km_fixture, meeting_with_agenda  # noqa: F401


@pytest.fixture
def clock_today() -> dt.date:
    return timezone.localdate()


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_my_meetings_lists_my_open_actions_only(
    client, km, clock_today, django_assert_max_num_queries
):
    past = meeting_with_agenda(km, clock_today - dt.timedelta(days=30))
    me = km.p("kcc_exec1")
    record.add_action(
        meeting=past,
        description="Write to the harbour trust.",
        owner=me,
        due=clock_today - dt.timedelta(days=1),
    )
    record.add_action(
        meeting=past, description="Cost the night service.", owner=me, due=clock_today
    )
    done = record.add_action(meeting=past, description="Book the venue.", owner=me, due=clock_today)
    record.update_action(action=done, state="done", update="Booked.")
    record.add_action(
        meeting=past,
        description="Someone else's task.",
        owner=km.p("icb_ned"),
        due=clock_today,
    )
    with django_assert_max_num_queries(40) as before:
        page = _home(client, km.users["kcc_exec1"])
    assert "Write to the harbour trust." in page and "Overdue" in page
    assert "Cost the night service." in page
    assert "Book the venue." not in page and "Someone else&#x27;s task." not in page
    assert page.count("Overdue") == 1
    for n in range(6):
        record.add_action(meeting=past, description=f"More {n}.", owner=me, due=clock_today)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = _home(client, km.users["kcc_exec1"])
    assert "More 5." in page
    assert "You have no open actions." in _home(client, km.users["participant"])


def test_forward_plan_topics_await_the_leadership_team(client, km, clock_today):
    future = meeting_with_agenda(km, clock_today + dt.timedelta(days=40))
    forward_plan.add_topic(meeting=future, title="Harbour health plan")
    agreed = forward_plan.add_topic(meeting=future, title="Dental access")
    forward_plan.add_topic(meeting=future, title="Estates review")
    forward_plan.agree_topic(topic=agreed, person=km.p("kcc_leader"))
    page = _home(client, km.users["kcc_leader"])  # the Chair, on the Leadership Team
    assert "2 forward plan topics of the" in page
    assert reverse("record:forward_plan_my", args=[km.committee.slug]) in page
    page = _home(client, km.users["kcc_exec1"])
    assert "forward plan" not in page
    forward_plan.agree_topic(topic=agreed.__class__.objects.get(title="Estates review"),
                             person=km.p("kcc_leader"))  # fmt: skip
    page = _home(client, km.users["kcc_leader"])
    assert "1 forward plan topic of the" in page and "awaits your agreement" in page
