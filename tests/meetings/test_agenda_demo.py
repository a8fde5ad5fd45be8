"""The demo agendas: idempotent, fast, realistic, with Part 2 phrases only in Part 2 papers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from committees.models import Committee, CommitteeRules, Part2Ground
from demo import agenda as demo_agenda
from meetings.agenda import rules, services
from meetings.models import Agenda, AgendaItem, ItemRequest, Meeting, Paper


def test_load_does_nothing_without_meetings(db):
    demo_agenda.load()
    assert Agenda.objects.count() == 0


def test_load_builds_agendas_idempotently(personas, org, monkeypatch):
    today = timezone.localdate()
    km = Committee.objects.get(slug="test-jc")
    km.slug = "kent-medway-icp"
    km.save()
    Part2Ground.objects.create(committee=km, reference="7.1.2", text="Commercially sensitive")
    Part2Ground.objects.create(
        committee=km, reference="7.1.4", text="Information about individuals"
    )
    mse = Committee.objects.create(name="M&SE", slug="mid-south-essex-icp")
    CommitteeRules.objects.create(committee=mse)  # no grounds: no Part 2 business
    dates = [
        today - dt.timedelta(days=90),
        today + dt.timedelta(days=60),
        today + dt.timedelta(days=150),
    ]
    km_meetings = [
        Meeting.objects.create(committee=km, date=d, start_time=dt.time(14)) for d in dates
    ]
    Meeting.objects.create(committee=mse, date=dates[0], start_time=dt.time(10))
    # Fast whatever the machine: rendering a PDF is the slow part, so Part 1 papers reuse one
    # rendering per kind, and only each Part 2 paper (with its own phrase) is rendered.
    renders = []
    render = demo_agenda._render
    monkeypatch.setattr(
        demo_agenda, "_render", lambda *a, **kw: renders.append(a) or render(*a, **kw)
    )
    demo_agenda.load()
    part1 = Paper.objects.filter(item__part=1).count()
    part2 = Paper.objects.filter(item__part=2).count()
    assert part1 > 4 and len(renders) <= 4 + part2
    counts = (Agenda.objects.count(), AgendaItem.objects.count(), Paper.objects.count())
    demo_agenda.load()
    assert (Agenda.objects.count(), AgendaItem.objects.count(), Paper.objects.count()) == counts
    assert counts[0] == 4

    past, nxt, later = (Agenda.objects.get(meeting=m) for m in km_meetings)
    assert past.state == "dispatched" and services.dispatch_compliance(past.meeting).on_time
    assert nxt.state == "agreed" and later.state == "awaiting_chair"

    # Draft minutes of the last meeting once it has been held, not of one still to come (seen
    # in the demo: the February agenda carried "Draft minutes" of the December meeting).
    def minutes_papers(agenda):
        return list(Paper.objects.filter(item__agenda=agenda, item__standard_key="minutes"))

    assert [p.title for p in minutes_papers(nxt)] == ["Draft minutes"]
    assert minutes_papers(later) == []
    assert past.items.filter(part=2).count() == 2
    # Every Part 2 paper has its unique phrase; no Part 1 paper has any.
    for paper in Paper.objects.select_related("item__agenda"):
        has = "PART2-SECRET-" in paper.text
        assert has == (paper.item.part == 2)
        if has:
            assert f"PART2-SECRET-{paper.item.agenda.meeting_id}-{paper.item_id}" in paper.text
        assert paper.page_count >= 3
        # Each has the web version processing makes ("Read as a web page" on the meeting
        # page): its text, page by page.
        assert paper.html.count('<section id="page-') == paper.page_count
        assert paper.text.split()[0] in paper.html
    assert set(ItemRequest.objects.values_list("state", flat=True)) == {
        "pending",
        "included",
        "declined",
        "deferred",
    }
    included = ItemRequest.objects.get(state="included")
    assert included.agenda_item.agenda.meeting == km_meetings[1]
    assert ItemRequest.objects.get(state="deferred").deferred_to == km_meetings[2]


@pytest.mark.parametrize("days_ahead", [1, 16, 60])
def test_demo_item_requests_were_received_as_the_deadlines_allow(personas, days_ahead):
    # Seen in the demo: the meeting was the next day and its requests said "Received 7 Dec
    # 2026 · On time", a day before the meeting and far past the 20-clear-working-day deadline.
    km = Committee.objects.get(slug="test-jc")
    meeting = Meeting.objects.create(
        committee=km,
        date=timezone.localdate() + dt.timedelta(days=days_ahead),
        start_time=dt.time(14),
    )
    later = Meeting.objects.create(
        committee=km, date=meeting.date + dt.timedelta(days=60), start_time=dt.time(14)
    )
    services.get_or_create_agenda(meeting=meeting)
    members = [personas["chair"], personas["member"]]
    demo_agenda._requests(meeting, later, members=members, chair=personas["chair"])
    deadlines = services.request_deadlines(meeting)
    now = timezone.now()
    requests = list(ItemRequest.objects.all())
    assert len(requests) == 5
    for req in requests:
        received = timezone.localdate(req.submitted_at)
        assert req.submitted_at <= now
        assert received <= (deadlines.urgent if req.urgent else deadlines.on_time)
        placed = rules.classify_item_request(
            submitted_on=received, urgent=req.urgent, deadlines=deadlines
        )
        assert placed.accepted and req.timing == placed.timing, (req.title, received)
        if req.decided_at is not None:
            assert req.submitted_at < req.decided_at <= now
    urgent = ItemRequest.objects.get(urgent=True)
    # Close to the meeting, the urgent request came in its urgent window, as the page says.
    assert (urgent.timing == "urgent") == (timezone.localdate() > deadlines.on_time)
    # Each summary names its subject as the title spells it (seen: "consider access to nhs
    # dentistry across the county").
    dentistry = ItemRequest.objects.get(title__contains="dentistry")
    assert "consider access to NHS dentistry across the county." in dentistry.summary
