"""Reads for the secretariat's meeting screens: who may see them, and a page's data in few queries."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from committees.calendars import calendar_for
from committees.models import Committee
from meetings.models import Meeting
from meetings.scheduling import deadlines as dl


def is_secretariat_of(user, committee: Committee) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or committee.secretariat.filter(pk=user.pk).exists()


def committee_for_secretariat(user, slug: str) -> Committee:
    """The committee if the user runs its business; otherwise 404 (its screens do not leak)."""
    committee = get_object_or_404(Committee.objects.select_related("rules"), slug=slug)
    if not is_secretariat_of(user, committee) or not hasattr(committee, "rules"):
        raise Http404("No such committee")
    return committee


def meeting_for_secretariat(user, slug: str, pk: int) -> Meeting:
    committee = committee_for_secretariat(user, slug)
    meeting = get_object_or_404(Meeting, committee=committee, pk=pk)
    meeting.committee = committee
    return meeting


def facts_of(meeting: Meeting) -> dict[str, dt.datetime | None]:
    return {
        dl.NOTICE: meeting.notice_given_at,
        dl.PAPERS: meeting.papers_dispatched_at,
        dl.MINUTES: meeting.minutes_circulated_at,
    }


def deadlines_of(
    meeting: Meeting, calendar=None, today: dt.date | None = None
) -> list[dl.Deadline]:
    rules = meeting.committee.rules
    return dl.compute_deadlines(
        meeting_date=meeting.date,
        rules=rules,
        calendar=calendar or calendar_for(rules),
        facts=facts_of(meeting),
        today=today or timezone.localdate(),
        urgent=meeting.kind == Meeting.Kind.URGENT,
        cancelled=meeting.is_cancelled,
    )


def meeting_rows(committee: Committee, today: dt.date | None = None) -> list[dict]:
    """Every meeting of the committee with its notice and papers deadlines (3 queries)."""
    today = today or timezone.localdate()
    calendar = calendar_for(committee.rules)
    rows = []
    for meeting in committee.meetings.order_by("date", "start_time"):
        meeting.committee = committee
        by_key = {d.key: d for d in deadlines_of(meeting, calendar, today)}
        rows.append({"meeting": meeting, "notice": by_key[dl.NOTICE], "papers": by_key[dl.PAPERS]})
    return rows
