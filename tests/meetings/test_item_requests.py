"""Members' item requests (ToR 12.3): classified by the deadlines, decided by the Chair."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from communications.models import OutboxMessage
from icp_secretariat.lib.workdays import WorkingCalendar
from meetings.agenda import services
from meetings.agenda.rules import RequestDeadlines, classify_item_request, request_deadlines
from meetings.errors import AgendaError
from meetings.models import AgendaItem, ItemRequest, Meeting
from tests.conftest import PASSWORD

CAL = WorkingCalendar("ENG")


class Rules:
    item_request_days = 20
    item_request_counting = "clear"
    urgent_item_request_days = 10
    urgent_item_request_counting = "clear"


# DOMAIN.md section 3: (meeting, urgent deadline, ordinary deadline)
EXAMPLES = [
    (dt.date(2025, 5, 8), dt.date(2025, 4, 22), dt.date(2025, 4, 4)),
    (dt.date(2025, 12, 17), dt.date(2025, 12, 2), dt.date(2025, 11, 18)),
    (dt.date(2026, 1, 6), dt.date(2025, 12, 17), dt.date(2025, 12, 3)),
    (dt.date(2026, 6, 2), dt.date(2026, 5, 15), dt.date(2026, 4, 30)),
]


@pytest.mark.parametrize("meeting_date, urgent, ordinary", EXAMPLES)
def test_deadlines_match_the_worked_examples(meeting_date, urgent, ordinary):
    d = request_deadlines(CAL, meeting_date, Rules)
    assert d == RequestDeadlines(on_time=ordinary, urgent=urgent)


@pytest.mark.parametrize("meeting_date, urgent_deadline, ordinary", EXAMPLES)
def test_classification_on_and_around_each_deadline(meeting_date, urgent_deadline, ordinary):
    d = request_deadlines(CAL, meeting_date, Rules)
    one = dt.timedelta(days=1)
    # Before and on the ordinary deadline: on time, urgent or not.
    for day in (ordinary - one, ordinary):
        assert (
            classify_item_request(submitted_on=day, urgent=False, deadlines=d).timing == "on_time"
        )
        assert classify_item_request(submitted_on=day, urgent=True, deadlines=d).timing == "on_time"
    # The day after: only as urgent; refused otherwise with the deadline in the message.
    after = ordinary + one
    late = classify_item_request(submitted_on=after, urgent=False, deadlines=d)
    assert late.timing == "too_late"
    assert f"{ordinary:%-d %B %Y}" in late.message
    assert classify_item_request(submitted_on=after, urgent=True, deadlines=d).timing == "urgent"
    # On the urgent deadline: urgent still accepted.
    assert (
        classify_item_request(submitted_on=urgent_deadline, urgent=True, deadlines=d).timing
        == "urgent"
    )
    # The day after the urgent deadline: too late even if urgent, with both dates named.
    refused = classify_item_request(submitted_on=urgent_deadline + one, urgent=True, deadlines=d)
    assert refused.timing == "too_late"
    assert f"{urgent_deadline:%-d %B %Y}" in refused.message
    assert f"{ordinary:%-d %B %Y}" in refused.message


@pytest.fixture
def june_meeting(committee):
    return Meeting.objects.create(
        committee=committee, date=dt.date(2026, 6, 2), start_time=dt.time(10)
    )


def test_member_request_is_stored_with_its_timing(june_meeting, people):
    req = services.submit_item_request(
        meeting=june_meeting,
        by=people["member"],
        title="Dental access",
        summary="S",
        why="W",
        today=dt.date(2026, 4, 30),
    )
    assert req.timing == "on_time" and req.state == ItemRequest.State.PENDING


def test_urgent_needs_a_reason_and_late_request_is_refused(june_meeting, people):
    with pytest.raises(AgendaError, match="urgent"):
        services.submit_item_request(
            meeting=june_meeting,
            by=people["member"],
            title="T",
            summary="S",
            why="W",
            urgent=True,
            today=dt.date(2026, 5, 4),
        )
    req = services.submit_item_request(
        meeting=june_meeting,
        by=people["participant"],
        title="T",
        summary="S",
        why="W",
        urgent=True,
        urgent_reason="Winter pressures",
        today=dt.date(2026, 5, 15),
    )
    assert req.timing == "urgent"
    with pytest.raises(AgendaError, match="15 May 2026"):
        services.submit_item_request(
            meeting=june_meeting,
            by=people["member"],
            title="T",
            summary="S",
            why="W",
            urgent=True,
            urgent_reason="R",
            today=dt.date(2026, 5, 18),
        )
    assert ItemRequest.objects.count() == 1


@pytest.mark.parametrize("who", ["observer", "attendee", "outsider", "other_member", "secretariat"])
def test_only_members_and_participants_may_request(june_meeting, people, who):
    with pytest.raises(AgendaError, match="Only members"):
        services.submit_item_request(
            meeting=june_meeting,
            by=people[who],
            title="T",
            summary="S",
            why="W",
            today=dt.date(2026, 4, 1),
        )


def _request(meeting, people):
    return services.submit_item_request(
        meeting=meeting,
        by=people["member"],
        title="Dental access",
        summary="Summary",
        why="W",
        today=dt.date(2026, 4, 1),
    )


def test_chair_includes_a_request_and_it_becomes_an_item_and_the_member_is_told(
    june_meeting, people
):
    req = _request(june_meeting, people)
    req = services.decide_item_request(
        request=req, by=people["chair"], decision="included", reason="Timely"
    )
    assert req.agenda_item.title == "Dental access"
    assert AgendaItem.objects.filter(agenda__meeting=june_meeting, title="Dental access").exists()
    mail = OutboxMessage.objects.get(message_name="item_request_decision")
    assert mail.recipient == "member@example.org"
    assert "Included on the agenda" in mail.body_text and "Timely" in mail.body_text
    with pytest.raises(AgendaError, match="already decided"):
        services.decide_item_request(
            request=req, by=people["chair"], decision="declined", reason="x"
        )


def test_defer_needs_a_later_meeting_of_the_same_committee(june_meeting, people, committee):
    req = _request(june_meeting, people)
    with pytest.raises(AgendaError, match="later meeting"):
        services.decide_item_request(
            request=req, by=people["chair"], decision="deferred", reason="r"
        )
    later = Meeting.objects.create(
        committee=committee, date=dt.date(2026, 9, 1), start_time=dt.time(10)
    )
    req = services.decide_item_request(
        request=req, by=people["chair"], decision="deferred", reason="Needs data", deferred_to=later
    )
    assert req.state == "deferred" and req.deferred_to == later
    assert "Needs data" in OutboxMessage.objects.get(message_name="item_request_decision").body_text


def test_member_and_secretariat_cannot_decide(june_meeting, people):
    req = _request(june_meeting, people)
    for who in ("member", "secretariat", "other_member"):
        with pytest.raises(AgendaError, match="Chair"):
            services.decide_item_request(
                request=req, by=people[who], decision="declined", reason="r"
            )


def test_request_page_and_decision_pages_end_to_end(june_meeting, people, client):
    import time_machine

    url = f"/my/meetings/{june_meeting.pk}/request-item/"
    assert url == reverse("portal_meetings:request_item", args=[june_meeting.pk])
    client.login(username="member", password=PASSWORD)
    with time_machine.travel(dt.datetime(2026, 5, 18, 9, tzinfo=dt.UTC)):
        page = client.get(url)
        assert "too late" in page.text
        resp = client.post(
            url, {"title": "T", "summary": "S", "why": "W", "urgent": "on", "urgent_reason": "R"}
        )
        assert resp.status_code == 200 and "too late" in resp.text
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC)):
        resp = client.post(url, {"title": "Dental access", "summary": "S", "why": "W"})
        assert resp.status_code == 302
    req = ItemRequest.objects.get()
    client.login(username="secretariat", password=PASSWORD)
    listing = client.get(reverse("agenda:requests", args=[june_meeting.pk]))
    assert "Dental access" in listing.text and "Awaiting the Chair" in listing.text
    client.login(username="chair", password=PASSWORD)
    decide = reverse("portal_meetings:decide", args=[req.pk])
    resp = client.post(
        decide, {f"r{req.pk}-decision": "declined", f"r{req.pk}-reason": "Covered elsewhere"}
    )
    assert resp.status_code == 302
    req.refresh_from_db()
    assert req.state == "declined"
    client.login(username="member", password=PASSWORD)
    assert client.post(decide, {}).status_code == 404
