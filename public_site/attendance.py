"""Attendance per member per year, as councils publish it: for the meetings held in public
(Part 1), how often each Member and Participant attended, sent apologies (and a deputy) or was
absent. Built in four queries whatever the committee's size or history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from committees.models import Committee, Role
from meetings.models import Attendance, Meeting
from members.models import Membership

PRESENT = {Attendance.Status.PRESENT, Attendance.Status.REMOTE}


@dataclass
class MemberAttendance:
    name: str
    role: str
    organisation: str
    expected: int = 0
    attended: int = 0
    remote: int = 0
    apologies: int = 0
    deputised: int = 0
    absent: int = 0
    meetings: set = field(default_factory=set)

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None


@dataclass
class YearAttendance:
    committee: Committee
    year: int
    years: list[int]
    meetings: list[Meeting]
    rows: list[MemberAttendance]


def held_in_public(committee: Committee, today: dt.date):
    """Meetings whose attendance is public: held (not cancelled, not in the future), in public,
    with attendance recorded."""
    return (
        Meeting.objects.filter(committee=committee, is_public=True, date__lte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(attendances__isnull=False)
        .distinct()
    )


def attendance_years(committee: Committee, today: dt.date) -> list[int]:
    return [d.year for d in held_in_public(committee, today).dates("date", "year", order="DESC")]


def year_attendance(committee: Committee, year: int, today: dt.date) -> YearAttendance:
    meetings = list(
        held_in_public(committee, today)
        .filter(date__year=year)
        .select_related("committee")
        .order_by("date", "start_time")
    )
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    memberships = (
        Membership.objects.filter(
            committee=committee,
            role__in=[Role.MEMBER, Role.PARTICIPANT],
            start__lte=last,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name", "start")
    )
    records: dict[tuple[int, int], str] = {}
    deputies: set[tuple[int, int]] = set()
    for meeting_id, person_id, status, deputy_for in Attendance.objects.filter(
        meeting__in=[m.pk for m in meetings]
    ).values_list("meeting_id", "person_id", "status", "deputy_for_id"):
        if status in PRESENT or (meeting_id, person_id) not in records:
            records[(meeting_id, person_id)] = status
        if deputy_for and status in PRESENT:
            deputies.add((meeting_id, deputy_for))
    rows: dict[int, MemberAttendance] = {}
    for membership in memberships:
        person = membership.person
        row = rows.setdefault(
            person.pk,
            MemberAttendance(
                name=person.full_name,
                role=membership.get_role_display(),
                organisation=membership.organisation.name if membership.organisation else "",
            ),
        )
        for meeting in meetings:
            if meeting.pk in row.meetings or meeting.date < membership.start:
                continue
            if membership.end and meeting.date > membership.end:
                continue
            row.meetings.add(meeting.pk)
            row.expected += 1
            status = records.get((meeting.pk, person.pk))
            if status in PRESENT:
                row.attended += 1
                row.remote += status == Attendance.Status.REMOTE
            elif status == Attendance.Status.APOLOGIES or (meeting.pk, person.pk) in deputies:
                row.apologies += 1
                row.deputised += (meeting.pk, person.pk) in deputies
            else:
                row.absent += 1
    return YearAttendance(
        committee=committee,
        year=year,
        years=attendance_years(committee, today),
        meetings=meetings,
        rows=[r for r in rows.values() if r.expected],
    )
