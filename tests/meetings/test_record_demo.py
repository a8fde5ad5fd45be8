"""The demo records: past K&M and M&SE meetings get full records, loaded idempotently, and their
Part 2 phrases never reach the public register or minutes pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import record as demo_record
from meetings.models import (
    Action,
    Attendance,
    Decision,
    Declaration,
    Minutes,
    MinutesPresentation,
)
from tests.conftest import load_demo_once


def test_load_does_nothing_without_committees(db):
    demo_record.load()
    assert not Attendance.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_demo_gives_past_meetings_full_records(client, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    # The whole demo as `load_demo` leaves it (committees, members, meetings, agendas, then the
    # records), loaded once per session; then the record loader again, which must add nothing.
    load_demo_once(documents=True)
    counts = (Attendance.objects.count(), Decision.objects.count(), Minutes.objects.count())
    demo_record.load()
    assert (Attendance.objects.count(), Decision.objects.count(), Minutes.objects.count()) == counts
    for slug in ("kent-medway-icp", "mid-south-essex-icp"):
        decisions = Decision.objects.filter(committee__slug=slug)
        assert decisions.filter(method="vote").exists()
        assert decisions.filter(part=2).exists()
        assert Declaration.objects.filter(item__agenda__meeting__committee__slug=slug).exists()
        assert Minutes.objects.filter(meeting__committee__slug=slug, state="published").exists()
        assert Minutes.objects.filter(meeting__committee__slug=slug, state="circulated").exists()
        actions = Action.objects.filter(meeting__committee__slug=slug)
        assert actions.filter(state="open").exists() and actions.filter(state="done").exists()
        page = client.get(reverse("record:decisions", args=[slug])).content.decode()
        assert "PART2-DECISION-SECRET" not in page and "Part 2" in page
        published = Minutes.objects.filter(meeting__committee__slug=slug, state="published").first()
        url = reverse("record:minutes", args=[slug, published.meeting_id])
        page = client.get(url).content.decode()
        assert "PART2-MINUTES-SECRET" not in page and "PART2-DECISION-SECRET" not in page
        assert "Present" in page
    assert Attendance.objects.filter(capacity="deputy", deputy_votes=True).exists()
    # Each meeting's decisions are numbered in the order of its items, the approval of the last
    # meeting's minutes (item 3) first (seen in the demo's register: KMICP/2026/11 for item 3
    # beside /07 for item 5 of the same meeting, the minutes approved after all the business).
    numbered = Decision.objects.exclude(sequence=None).select_related("item")
    by_meeting: dict[int, list] = {}
    for d in numbered.order_by("meeting_id", "sequence"):
        by_meeting.setdefault(d.meeting_id, []).append(d.item.number)
    assert any(3 in items for items in by_meeting.values())
    for meeting_id, items in by_meeting.items():
        assert items == sorted(items), (meeting_id, items)
    # Published minutes were published, and presented to the partners, soon after the meeting
    # that approved them, not on the day the demo was loaded (seen in the demo: "Minutes to
    # partners, 7 Dec" for minutes approved in October).
    # Drafted after the meeting and before being circulated (seen on the minutes page: "Version
    # 1: Draft circulated to members, 7 December 2026" for October's minutes).
    for minutes in Minutes.objects.exclude(circulated_at=None).select_related("meeting"):
        drafted = timezone.localdate(minutes.created_at)
        assert minutes.meeting.date < drafted <= timezone.localdate(minutes.circulated_at)
    published = Minutes.objects.filter(state="published").select_related("approved_at_item")
    assert published.exists()
    for minutes in published:
        approved_on = minutes.approved_at_item.agenda.meeting.date
        # approved at that meeting, not when the demo was loaded (seen on the next meeting's
        # page: "The minutes of the meeting held on 18 August 2026, approved on Monday 7
        # December 2026, are attached", for minutes approved on 13 October)
        assert timezone.localdate(minutes.approved_at) == approved_on
        assert timezone.localdate(minutes.published_at) == min(
            approved_on + dt.timedelta(days=2), timezone.localdate()
        )
        presentations = MinutesPresentation.objects.filter(minutes=minutes, status="sent")
        assert {p.at for p in presentations} <= {minutes.published_at}
        for p in presentations.select_related("message"):
            assert p.message.state == "sent" and p.message.sent_at == minutes.published_at
            assert p.message.created_at == minutes.published_at
    assert MinutesPresentation.objects.filter(status="sent").exists()
