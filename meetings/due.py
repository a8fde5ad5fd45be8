"""What is due from the secretariat across its committees, most urgent first (issue 13): the
deadlines coming up or missed (notice, papers, minutes), agendas and supplementary agendas
waiting for the Chair, item requests waiting for a decision, late or revised papers readers have
not been told about, interests waiting for review, failed emails and draft minutes to circulate.
Each line links to the screen where the work is done.

A fixed number of queries whatever the number of committees and meetings: one per kind of work,
plus one for the closure days of every committee.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from committees.calendars import calendar_for
from committees.models import ClosureDay
from communications.models import OutboxMessage
from meetings.agenda import rules as agenda_rules
from meetings.models import Agenda, ItemRequest, Meeting, Minutes, Paper, SupplementaryAgenda
from meetings.scheduling import deadlines as dl
from meetings.scheduling.selectors import facts_of
from members.interests import review_queue

# An upcoming deadline is listed this many working days ahead; a missed one until it is met.
AHEAD_WORKING_DAYS = 10
# Minutes of meetings older than this are left to the meeting's own page.
MINUTES_LOOKBACK_DAYS = 120
# An interest is to be reviewed within this many days of its declaration (a working target).
INTEREST_REVIEW_DAYS = 28


@dataclass(frozen=True)
class DueLine:
    text: str
    url: str
    link_text: str
    when: dt.date
    overdue: bool = False

    @property
    def sort_key(self):
        return (not self.overdue, self.when, self.text)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _calendars(committees) -> dict[int, list[dt.date]]:
    """{committee id: its closure days}: its own and the installation-wide ones, for its region."""
    closures: dict[int, list[dt.date]] = {c.pk: [] for c in committees}
    rows = ClosureDay.objects.filter(
        Q(committee__isnull=True) | Q(committee_id__in=list(closures))
    ).values_list("committee_id", "region", "date")
    for committee_id, region, day in rows:
        for c in committees:
            if committee_id in (None, c.pk) and region in ("", c.rules.holiday_region):
                closures[c.pk].append(day)
    return closures


def secretariat_due(user, committees, today: dt.date | None = None) -> list[DueLine]:
    """The work due across `committees` (those the user runs), most urgent first."""
    today = today or timezone.localdate()
    committees = [c for c in committees if hasattr(c, "rules")]
    if not committees:
        return []
    by_id = {c.pk: c for c in committees}
    closures = _calendars(committees)
    calendars = {c.pk: calendar_for(c.rules, closures[c.pk]) for c in committees}
    lines: list[DueLine] = []
    papers_due: dict[int, dt.date] = {}

    drafts = set(
        Minutes.objects.filter(
            is_current=True,
            state=Minutes.State.DRAFT,
            meeting__committee_id__in=list(by_id),
            meeting__date__lt=today,
            meeting__date__gte=today - dt.timedelta(days=MINUTES_LOOKBACK_DAYS),
        ).values_list("meeting_id", flat=True)
    )
    meetings = Meeting.objects.filter(
        committee_id__in=list(by_id),
        status=Meeting.Status.SCHEDULED,
        date__gte=today - dt.timedelta(days=MINUTES_LOOKBACK_DAYS),
    ).order_by("date", "start_time")
    for meeting in meetings:
        committee = by_id[meeting.committee_id]
        meeting.committee = committee
        deadlines = dl.compute_deadlines(
            meeting_date=meeting.date,
            rules=committee.rules,
            calendar=calendars[committee.pk],
            facts=facts_of(meeting),
            today=today,
            urgent=meeting.kind == Meeting.Kind.URGENT,
            notice_required=dl.notice_applies_to(committee.rules, meeting.kind),
        )
        for d in deadlines:
            if d.key == dl.PAPERS:
                papers_due[meeting.pk] = d.due
            line = _deadline_line(meeting, d, today, drafted=meeting.pk in drafts)
            if line:
                lines.append(line)

    for agenda in Agenda.objects.filter(
        state=Agenda.State.AWAITING_CHAIR,
        meeting__committee_id__in=list(by_id),
        meeting__date__gte=today,
        meeting__status=Meeting.Status.SCHEDULED,
    ).select_related("meeting"):
        meeting = agenda.meeting
        meeting.committee = by_id[meeting.committee_id]
        when = papers_due.get(meeting.pk, meeting.date)
        # Whose agreement, by the committee's rule (K&M: the Chair; M&SE: the Chair and every
        # Vice-Chair).
        rule = meeting.committee.rules.agenda_agreed_by
        if rule == "chair":
            waiting, action = "the Chair's agreement", "Record the Chair's agreement"
        else:
            waiting = f"agreement by {agenda_rules.describe_agreed_by(rule)}"
            action = "Record their agreements"
        lines.append(
            DueLine(
                f"The agenda for {meeting} is waiting for {waiting}.",
                reverse("agenda:builder", args=[meeting.pk]),
                action,
                when,
                overdue=when < today,
            )
        )

    requests = (
        ItemRequest.objects.filter(
            state=ItemRequest.State.PENDING,
            meeting__committee_id__in=list(by_id),
            meeting__date__gte=today,
            meeting__status=Meeting.Status.SCHEDULED,
        )
        .values("meeting_id", "meeting__committee_id", "meeting__date")
        .annotate(n=Count("pk"))
        .order_by("meeting__date")
    )
    for row in requests:
        meeting = Meeting(
            pk=row["meeting_id"],
            committee=by_id[row["meeting__committee_id"]],
            date=row["meeting__date"],
        )
        when = papers_due.get(meeting.pk, meeting.date)
        n = row["n"]
        lines.append(
            DueLine(
                f"{n} item request{_s(n)} for {meeting} waiting for a decision.",
                reverse("agenda:requests", args=[meeting.pk]),
                "Decide item requests",
                when,
                overdue=when < today,
            )
        )

    for supplement in SupplementaryAgenda.objects.filter(
        state=SupplementaryAgenda.State.AWAITING_CHAIR,
        agenda__meeting__committee_id__in=list(by_id),
        agenda__meeting__date__gte=today,
        agenda__meeting__status=Meeting.Status.SCHEDULED,
    ).select_related("agenda__meeting"):
        meeting = supplement.agenda.meeting
        meeting.committee = by_id[meeting.committee_id]
        lines.append(
            DueLine(
                f"Supplementary agenda {supplement.number} for {meeting} is waiting for the "
                "Chair's agreement.",
                reverse("agenda:supplementary", args=[meeting.pk, supplement.number]),
                "Record the Chair's agreement",
                meeting.date,
            )
        )

    # Late or revised papers uploaded after dispatch that readers have not been told of: the
    # agenda page sends one email for the batch ("Tell members about these papers").
    unannounced = (
        Paper.objects.filter(
            status__in=[Paper.Status.LATE, Paper.Status.REVISED],
            announced_at__isnull=True,
            is_current=True,
            state=Paper.State.READY,
            taken_down_at__isnull=True,
            item__agenda__state=Agenda.State.DISPATCHED,
            item__agenda__meeting__committee_id__in=list(by_id),
            item__agenda__meeting__date__gte=today,
            item__agenda__meeting__status=Meeting.Status.SCHEDULED,
        )
        .values(
            "item__agenda__meeting_id",
            "item__agenda__meeting__committee_id",
            "item__agenda__meeting__date",
        )
        .annotate(n=Count("pk"))
        .order_by("item__agenda__meeting__date")
    )
    for row in unannounced:
        meeting = Meeting(
            pk=row["item__agenda__meeting_id"],
            committee=by_id[row["item__agenda__meeting__committee_id"]],
            date=row["item__agenda__meeting__date"],
        )
        n = row["n"]
        lines.append(
            DueLine(
                f"{n} late or revised paper{_s(n)} for {meeting} not yet announced to readers.",
                reverse("agenda:builder", args=[meeting.pk]) + "#papers-to-announce",
                "Tell members about these papers",
                today,
            )
        )

    interests = review_queue(user).aggregate(n=Count("pk", distinct=True), first=Min("declared_at"))
    if interests["n"]:
        n = interests["n"]
        when = timezone.localdate(interests["first"]) + dt.timedelta(days=INTEREST_REVIEW_DAYS)
        lines.append(
            DueLine(
                f"{n} register of interests entr{'y' if n == 1 else 'ies'} waiting for review.",
                reverse("interests_admin:index"),
                "Review interests",
                when,
                overdue=when < today,
            )
        )

    failed = OutboxMessage.objects.filter(
        state=OutboxMessage.State.FAILED, committee_id__in=list(by_id)
    ).aggregate(n=Count("pk"), last=Max("created_at"))
    if failed["n"]:
        n = failed["n"]
        lines.append(
            DueLine(
                f"{n} email{_s(n)} failed to send.",
                reverse("communications:outbox") + "?state=failed",
                "See failed emails and retry",
                today,
                overdue=True,
            )
        )

    return sorted(lines, key=lambda line: line.sort_key)


def _deadline_line(
    meeting: Meeting, d: dl.Deadline, today: dt.date, *, drafted: bool = False
) -> DueLine | None:
    if d.key not in dl.TRACKED:
        return None
    if d.key in (dl.NOTICE, dl.PAPERS) and meeting.date < today:
        return None  # the meeting has happened: nothing left to give
    if d.key == dl.MINUTES and meeting.date >= today:
        return None
    missed = d.state == dl.MISSED and d.met_at is None
    soon = d.state == dl.UPCOMING and (d.days_left or 0) <= AHEAD_WORKING_DAYS
    # Draft minutes waiting to be circulated are listed whenever their deadline falls.
    ready = d.key == dl.MINUTES and drafted and d.met_at is None
    if not (missed or soon or ready):
        return None
    when = f"{d.due:%-d %B %Y}"
    if d.key == dl.NOTICE:
        what = f"Notice of {meeting}"
        url = reverse("meetings_admin:meeting", args=[meeting.committee.slug, meeting.pk])
        link = "Give notice"
    elif d.key == dl.PAPERS:
        what = f"Agenda and papers for {meeting}"
        url = reverse("agenda:builder", args=[meeting.pk])
        link = "Prepare and dispatch the agenda"
    elif drafted:
        what = f"Draft minutes of {meeting} are ready to circulate"
        url = reverse("record:minutes_edit", args=[meeting.pk])
        link = "Check and circulate the minutes"
    else:
        what = f"Draft minutes of {meeting}"
        url = reverse("record:minutes_edit", args=[meeting.pk])
        link = "Write and circulate the minutes"
    if missed:
        text = f"{what}: the deadline was {when} and it is missed."
    elif d.due <= today:
        text = f"{what}: due today."
    else:
        text = f"{what}: due by {when} ({d.days_left} working day{_s(d.days_left or 0)} left)."
    return DueLine(text, url, link, d.due, overdue=missed)
