"""Reads about meetings on the calendar: who may see the secretariat's screens, a page's data in
few queries, and who receives mail about a meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from committees.calendars import calendar_for
from committees.models import Committee, Role
from committees.selectors import tor_version_on
from meetings.models import Meeting, MeetingInvitation
from meetings.scheduling import deadlines as dl
from meetings.scheduling.rules import leadership_agreement_missing
from members.models import Membership, Person


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
        notice_required=dl.notice_applies_to(rules, meeting.kind),
    )


def meeting_rows(committee: Committee, today: dt.date | None = None, meetings=None) -> list[dict]:
    """The meetings (every meeting of the committee unless given: a page of them) with their
    notice and papers deadlines (3 queries)."""
    today = today or timezone.localdate()
    calendar = calendar_for(committee.rules)
    rows = []
    if meetings is None:
        meetings = committee.meetings.order_by("date", "start_time")
    for meeting in meetings:
        meeting.committee = committee
        by_key = {d.key: d for d in deadlines_of(meeting, calendar, today)}
        rows.append({"meeting": meeting, "notice": by_key[dl.NOTICE], "papers": by_key[dl.PAPERS]})
    return rows


# ------------------------------------------------------------ who receives mail about a meeting


@dataclass(frozen=True)
class Addressee:
    """One person mail about a meeting goes to, and the address it goes to."""

    person: Person
    email: str


def email_of(person: Person) -> str:
    """The person's address in the directory, else that of the login they sign in with."""
    return person.email or (person.user.email if person.user_id else "")


def meeting_recipients(
    meeting: Meeting,
    *,
    on: dt.date | None = None,
    invited: bool = False,
    login_email: bool = False,
    one_per_address: bool = True,
) -> list[Addressee]:
    """Who receives mail about a meeting: the committee's Members and Participants current on
    `on` (today by default), by name; never anyone without an address.

    The notice and the draft minutes take the defaults: the directory address, one copy per
    address. The agenda dispatch asks for more: `invited` adds the people invited to the
    meeting (observers and attendees), after the members; `login_email` reaches a person with
    no address in the directory at their login's; `one_per_address=False` gives everyone their
    own copy even when two people share an address.
    """
    memberships = (
        Membership.objects.current(on or timezone.localdate())
        .filter(committee_id=meeting.committee_id, role__in=[Role.MEMBER, Role.PARTICIPANT])
        .select_related("person", "person__user")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    people = [m.person for m in memberships]
    if invited:
        people += [
            i.person
            for i in MeetingInvitation.objects.filter(meeting=meeting)
            .select_related("person", "person__user")
            .order_by("person__last_name", "person__first_name", "pk")
        ]
    seen: set = set()
    result: list[Addressee] = []
    for person in people:
        email = email_of(person) if login_email else person.email
        key = email.lower() if one_per_address else person.pk
        if email and key not in seen:
            seen.add(key)
            result.append(Addressee(person, email))
    return result


def meeting_rules_context(meeting: Meeting) -> dict:
    """What the meeting pages show of the rules the meeting was held under: the ToR version in
    force on its date (committees.selectors.tor_version_on) and, for an urgent meeting, the
    Leadership Team's agreement (K&M ToR 7.3) or the reason it was not possible."""
    rules = meeting.committee.rules
    ctx: dict = {"tor_version": tor_version_on(meeting.committee, meeting.date)}
    if meeting.kind == Meeting.Kind.URGENT:
        agreed_by = list(meeting.leadership_agreed_by.order_by("last_name", "first_name"))
        ctx["leadership_agreed_by"] = agreed_by
        ctx["leadership_missing"] = leadership_agreement_missing(
            required=rules.urgent_meeting_needs_leadership_agreement,
            kind=meeting.kind,
            agreed_by=len(agreed_by),
            agreed_on=meeting.leadership_agreed_on,
            not_possible=meeting.leadership_not_possible,
        )
    return ctx
