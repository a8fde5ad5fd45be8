"""Demo of issue 19: a recorded meeting (each Part 1 item linked to its moment), Part 2 items with
review dates (one already due, so the secretariat sees the reminder), and each committee's
retention rule. The embeds need no data: the secretariat's committee page offers the snippets and
an example partner page (/embed/committees/kent-medway-icp/example/).

Safe to run again: a value is written only when it differs, so no history row is added twice.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from committees.models import Committee, RetentionRule
from meetings.models import AgendaItem, Meeting, Part

RECORDING = "https://www.youtube.com/watch?v=kmicp-demo-2026"
KM = "kent-medway-icp"


def _set(obj, **values) -> None:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    if changed:
        obj.save(update_fields=changed)


def _recorded_meeting(committee: Committee, today: dt.date) -> None:
    # The last meeting but one: its minutes are approved and published by demo.record (which
    # runs next), so the public page, the minutes and their PDF all link into the recording.
    past = list(
        Meeting.objects.scheduled()
        .filter(committee=committee, date__lt=today, is_public=True, agenda__isnull=False)
        .order_by("-date")[:2]
    )
    if not past:
        return
    meeting = past[-1]
    _set(meeting, webcast_link=RECORDING)
    start = 95  # the livestream opens with a holding slide
    for item in AgendaItem.objects.filter(agenda__meeting=meeting, part=Part.PUBLIC).order_by(
        "number"
    ):
        _set(item, recording_start=start)
        start += (item.timing_minutes or 5) * 60


def _review_dates(committee: Committee, today: dt.date) -> None:
    items = (
        AgendaItem.objects.filter(agenda__meeting__committee=committee, part=Part.PRIVATE)
        .select_related("agenda__meeting")
        .order_by("agenda__meeting__date", "number")
    )
    items = list(items)
    # The first past procurement: the contract was awarded, so its review has come.
    due = next(
        (i for i in items if i.agenda.meeting.date < today and "procurement" in i.title.lower()),
        None,
    )
    for item in items:
        # Commercial sensitivity is reviewed six months on; matters about individuals a year on.
        months = 6 if "procurement" in item.title.lower() else 12
        target = item.agenda.meeting.date + dt.timedelta(days=30 * months)
        if item is due:
            target = today - dt.timedelta(days=3)
        _set(item, part2_review_date=target)


def load() -> None:
    today = timezone.localdate()
    for committee in Committee.objects.all():
        RetentionRule.objects.get_or_create(committee=committee)
        _review_dates(committee, today)
    km = Committee.objects.filter(slug=KM).first()
    if km is not None:
        _recorded_meeting(km, today)
