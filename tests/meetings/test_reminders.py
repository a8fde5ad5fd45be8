"""Each reminder's timing, with the clock set by time_machine (K&M defaults, 6 January 2026)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communications.models import OutboxMessage
from communications.tasks import sweep_outbox
from meetings import reminders
from meetings.models import Agenda, AgendaItem, Meeting, Paper
from meetings.reminders import plan_reminders
from meetings.scheduling.services import (
    cancel_meeting,
    issue_notice,
    reschedule_meeting,
    schedule_meeting,
)
from members.models import Person

D = dt.date
LONDON = ZoneInfo("Europe/London")


def at(y, m, d, hour=9):
    return time_machine.travel(dt.datetime(y, m, d, hour, tzinfo=LONDON), tick=False)


@pytest.fixture
def meeting(personas, committee) -> Meeting:
    with at(2025, 11, 1):
        return schedule_meeting(
            committee=committee, date=D(2026, 1, 6), start_time=dt.time(14), venue="Sessions House"
        )


def sent(name):
    return OutboxMessage.objects.filter(message_name=name)


@pytest.mark.django_db
def test_item_request_reminder_goes_five_working_days_before_the_deadline(meeting):
    # Item requests close Wed 3 Dec 2025; five working days before is Wed 26 Nov.
    with at(2025, 11, 25):
        plan_reminders()
    assert not sent(reminders.ITEM_REQUEST).exists()
    with at(2025, 11, 26):
        plan_reminders()
        plan_reminders()
    assert set(sent(reminders.ITEM_REQUEST).values_list("recipient", flat=True)) == {
        "chair@example.org",
        "member@example.org",
        "participant@example.org",
    }
    message = sent(reminders.ITEM_REQUEST).first()
    assert f"/my/meetings/{meeting.pk}/request-item/" in message.body_text
    assert "Wednesday 3 December 2025" in message.subject
    assert message.subject.startswith("Test Joint Committee:")


@pytest.mark.django_db
def test_item_request_reminder_still_goes_if_planning_starts_late_but_not_after_the_deadline(
    meeting,
):
    with at(2025, 12, 4):
        plan_reminders()
    assert not sent(reminders.ITEM_REQUEST).exists()
    with at(2025, 12, 3):
        plan_reminders()
    assert sent(reminders.ITEM_REQUEST).count() == 3


@pytest.mark.django_db
def test_the_item_request_reminder_timing_is_a_committee_setting(meeting, committee):
    committee.rules.item_request_reminder_days = 10
    committee.rules.save()
    # Ten working days before Wed 3 Dec is Wed 19 Nov.
    with at(2025, 11, 18):
        plan_reminders()
    assert not sent(reminders.ITEM_REQUEST).exists()
    with at(2025, 11, 19):
        plan_reminders()
    assert sent(reminders.ITEM_REQUEST).count() == 3


@pytest.mark.django_db
def test_secretariat_is_warned_before_notice_and_papers_are_due(meeting):
    # Notice and papers are due Wed 24 Dec 2025; the warning goes two working days before.
    with at(2025, 12, 19):
        plan_reminders()
    assert not sent(reminders.DEADLINE_NEAR).exists()
    with at(2025, 12, 22):
        plan_reminders()
    near = sent(reminders.DEADLINE_NEAR)
    assert set(near.values_list("recipient", "context__deadline_key")) == {
        ("secretariat@example.org", "notice"),
        ("secretariat@example.org", "papers"),
    }
    assert f"/dashboard/committees/test-jc/meetings/{meeting.pk}/" in near.first().body_text


@pytest.mark.django_db
def test_no_warning_for_a_deadline_already_met(meeting):
    with at(2025, 12, 19):
        issue_notice(meeting=meeting)
    with at(2025, 12, 22):
        plan_reminders()
    assert list(sent(reminders.DEADLINE_NEAR).values_list("context__deadline_key", flat=True)) == [
        "papers"
    ]


@pytest.mark.django_db
def test_secretariat_is_told_on_the_day_a_deadline_is_missed(meeting):
    with at(2025, 12, 24, 17):
        plan_reminders()
    assert not sent(reminders.DEADLINE_MISSED).exists()
    with at(2025, 12, 25):
        plan_reminders()
        plan_reminders()
    assert set(sent(reminders.DEADLINE_MISSED).values_list("context__deadline_key", flat=True)) == {
        "notice",
        "papers",
    }
    assert sent(reminders.DEADLINE_MISSED).count() == 2
    assert "missed" in sent(reminders.DEADLINE_MISSED).first().subject.lower()


@pytest.mark.django_db
def test_an_urgent_meeting_called_at_short_notice_has_its_papers_due_with_the_notice(meeting):
    # ToR 7.3: called on 29 December for 6 January, its papers were not "missed" on 24
    # December, before the meeting was called: they are due with the notice.
    notice = dt.datetime(2025, 12, 29, 10, tzinfo=LONDON)
    Meeting.objects.filter(pk=meeting.pk).update(
        kind=Meeting.Kind.URGENT, urgent_reason="A contract lapses.", notice_given_at=notice
    )
    with at(2025, 12, 29, 17):
        plan_reminders()
    assert not sent(reminders.DEADLINE_MISSED).exists()
    near = sent(reminders.DEADLINE_NEAR).get(context__deadline_key="papers")
    assert near.context["deadline"] == "2025-12-29"
    with at(2025, 12, 30):
        plan_reminders()
    missed = sent(reminders.DEADLINE_MISSED).get()
    assert missed.context["deadline_key"] == "papers"
    assert missed.context["deadline"] == "2025-12-29"


@pytest.mark.django_db
def test_secretariat_is_reminded_when_minutes_are_due(meeting):
    # Minutes due ten working days after Tue 6 Jan: Tue 20 Jan; reminder two before: Fri 16 Jan.
    with at(2026, 1, 15):
        plan_reminders()
    assert not sent(reminders.MINUTES_DUE).exists()
    with at(2026, 1, 16):
        plan_reminders()
    assert list(sent(reminders.MINUTES_DUE).values_list("recipient", flat=True)) == [
        "secretariat@example.org"
    ]


@pytest.mark.django_db
def test_report_authors_are_reminded_before_their_papers_are_due(meeting):
    # Two items with named authors; the one whose paper is in is not reminded.
    agenda = Agenda.objects.create(meeting=meeting)
    owing = Person.objects.create(first_name="Ann", last_name="Author", email="author@example.org")
    done = Person.objects.create(first_name="Dan", last_name="Done", email="done@example.org")
    AgendaItem.objects.create(agenda=agenda, number=1, title="Strategy", report_author=owing)
    delivered = AgendaItem.objects.create(
        agenda=agenda, number=2, title="Finance", report_author=done
    )
    Paper.objects.create(
        item=delivered,
        title="Finance report",
        storage_name="papers/x.pdf",
        size=10,
        sha256="0" * 64,
        page_count=1,
    )
    # Author papers due 10 clear working days before: Wed 17 Dec; reminder 3 before: Fri 12 Dec.
    with at(2025, 12, 11):
        plan_reminders()
    assert not sent(reminders.AUTHOR_PAPERS).exists()
    with at(2025, 12, 12):
        plan_reminders()
    assert list(sent(reminders.AUTHOR_PAPERS).values_list("recipient", flat=True)) == [
        "author@example.org"
    ]


@pytest.mark.django_db
def test_rescheduling_cancels_reminders_for_the_old_date_and_plans_new_ones(meeting):
    with at(2025, 11, 26):
        plan_reminders()
        reschedule_meeting(
            meeting=meeting,
            date=D(2026, 1, 20),
            start_time=dt.time(14),
            end_time=None,
            venue="Sessions House",
            online_link="",
            reason="Clash with budget council",
        )
    assert sent(reminders.ITEM_REQUEST).filter(state="cancelled").count() == 3
    # The new item-request deadline is Wed 17 Dec; reminder from Wed 10 Dec.
    with at(2025, 12, 10):
        plan_reminders()
    fresh = sent(reminders.ITEM_REQUEST).filter(state="queued")
    assert fresh.count() == 3
    assert set(fresh.values_list("context__date", flat=True)) == {"2026-01-20"}


@pytest.mark.django_db
def test_a_cancelled_meeting_has_no_reminders(meeting):
    cancel_meeting(meeting=meeting, reason="No business")
    with at(2025, 11, 26):
        assert plan_reminders() == []


def _queries_to_plan(on) -> tuple[int, int]:
    with at(*on), CaptureQueriesContext(connection) as queries:
        created = plan_reminders()
    return len(queries), len(created)


@pytest.mark.django_db
def test_planning_costs_the_same_queries_for_many_meetings(committee, personas):
    def schedule(day):
        with at(2025, 11, 1):
            schedule_meeting(committee=committee, date=day, start_time=dt.time(14), venue="Hall")

    schedule(D(2026, 1, 6))
    few, made_few = _queries_to_plan((2025, 12, 29))
    OutboxMessage.objects.all().delete()
    for day in range(7, 15):
        schedule(D(2026, 1, day))
    many, made_many = _queries_to_plan((2025, 12, 29))
    assert made_many > made_few
    assert many == few <= 8


@pytest.mark.django_db
def test_a_member_who_turned_reminders_off_gets_no_item_request_reminder_but_the_notice(
    client, meeting, personas
):
    from django.urls import reverse

    # The member turns reminders off in the portal, as a person would.
    client.force_login(personas["member"])
    response = client.post(reverse("portal:notifications"), {"publication_alerts": "on"})
    assert response.status_code == 302
    with at(2025, 11, 26):
        plan_reminders()
    assert set(sent(reminders.ITEM_REQUEST).values_list("recipient", flat=True)) == {
        "chair@example.org",
        "participant@example.org",
    }
    # The formal notice is statutory: the preference never stops it.
    with at(2025, 12, 15):
        issue_notice(meeting=meeting, by=personas["secretariat"])
    assert sent("notice").filter(recipient="member@example.org").exists()
    # Turned back on, the member is reminded again (for the next meeting's window).
    client.post(reverse("portal:notifications"), {"reminders": "on"})
    with at(2025, 11, 27):
        plan_reminders()
    assert sent(reminders.ITEM_REQUEST).filter(recipient="member@example.org").exists()


@pytest.mark.django_db
def test_the_outbox_sweep_plans_the_reminders_now_due(meeting):
    # The periodic sweep lives in communications, below meetings: it reaches the planners only
    # through its `outbox_sweep` signal, which meetings connects in its AppConfig.ready().
    with at(2025, 11, 26):
        sweep_outbox()
    assert sent(reminders.ITEM_REQUEST).count() == 3
