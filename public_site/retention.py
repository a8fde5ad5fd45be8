"""Six years of public record, and no personal data kept longer than each committee's rule says
(issue 19, point 3).

The public record (agendas, papers, minutes, decisions) is never removed by this module: it stays
available at least `RetentionRule.record_years` (six or more) after the meeting. What goes, when
the committee's rule says, is personal data the record does not need:

- attendance details of non-members (attendees and observers), so long after the meeting;
- a former member's register of interests (entries and their history), so long after the
  person's last membership ended, once no committee still has them;
- alert subscriptions never confirmed, or unsubscribed, so long after the request or the
  unsubscribing.

`apply_retention` is run by a Celery beat job and logs each removal in `RetentionLog`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committees.models import Committee, RetentionLog, RetentionRule
from communications.models import Subscription
from meetings.models import Attendance
from members.models import Interest, Membership

logger = logging.getLogger(__name__)

NON_MEMBER_CAPACITIES = (Attendance.Capacity.ATTENDEE, Attendance.Capacity.OBSERVER)


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]  # fmt: skip
    return dt.date(year, month, min(day.day, last))


def retention_rule(committee: Committee) -> RetentionRule:
    """The committee's rule, or the defaults (unsaved) when none was set: reading writes nothing.
    A committee read with `select_related("retention")` costs no query."""
    try:
        return committee.retention
    except RetentionRule.DoesNotExist:
        return RetentionRule(committee=committee)


def rule_for(committee: Committee) -> RetentionRule:
    rule, _ = RetentionRule.objects.get_or_create(committee=committee)
    return rule


def _log(committee, kind, count, detail) -> RetentionLog | None:
    if not count:
        return None
    logger.info("retention: %s: removed %s (%s): %s", committee.slug, count, kind, detail)
    return RetentionLog.objects.create(committee=committee, kind=kind, count=count, detail=detail)


def _remove_attendance(committee: Committee, rule: RetentionRule, today: dt.date):
    cutoff = months_before(today, rule.non_member_attendance_months)
    rows = Attendance.objects.filter(
        meeting__committee=committee, meeting__date__lt=cutoff, capacity__in=NON_MEMBER_CAPACITIES
    )
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return None
    # The rows first, then their history (deleting a row records a last historical entry).
    Attendance.objects.filter(pk__in=ids).delete()
    Attendance.history.filter(id__in=ids).delete()
    return _log(
        committee,
        RetentionLog.Kind.ATTENDANCE,
        len(ids),
        f"Attendance records of attendees and observers at meetings before {cutoff:%-d %B %Y}.",
    )


def _former_members_released(today: dt.date) -> dict[int, Committee]:
    """{person id: the committee of their last membership} for every person whose every
    membership ended longer ago than that committee's rule keeps their interests."""
    rules = {r.committee_id: r for r in RetentionRule.objects.all()}
    default = RetentionRule().former_member_interests_months
    blocked: set[int] = set()
    last: dict[int, tuple[dt.date, Committee]] = {}
    for m in Membership.objects.select_related("committee"):
        rule = rules.get(m.committee_id)
        months = rule.former_member_interests_months if rule else default
        if m.end is None or m.end >= months_before(today, months):
            blocked.add(m.person_id)  # still on a committee, or within its period
            continue
        if m.person_id not in last or m.end > last[m.person_id][0]:
            last[m.person_id] = (m.end, m.committee)
    return {pid: c for pid, (_, c) in last.items() if pid not in blocked}


def _remove_interests(today: dt.date) -> list[RetentionLog]:
    logs = []
    by_committee: dict[int, tuple[Committee, list[int]]] = {}
    for person_id, committee in _former_members_released(today).items():
        by_committee.setdefault(committee.pk, (committee, []))[1].append(person_id)
    for committee, people in by_committee.values():
        ids = list(Interest.objects.filter(person_id__in=people).values_list("pk", flat=True))
        if not ids:
            continue
        Interest.objects.filter(pk__in=ids).delete()
        Interest.history.filter(id__in=ids).delete()
        logs.append(
            _log(
                committee,
                RetentionLog.Kind.INTERESTS,
                len(ids),
                f"Register entries of {len(people)} former member(s) past the committee's "
                "publication period.",
            )
        )
    return logs


def _remove_subscriptions(committee: Committee, rule: RetentionRule, now: dt.datetime):
    cutoff = now - dt.timedelta(days=rule.unconfirmed_subscription_days)
    rows = Subscription.objects.filter(committee=committee).filter(
        Q(confirmed_at__isnull=True, created_at__lt=cutoff) | Q(unsubscribed_at__lt=cutoff)
    )
    count = rows.count()
    if not count:
        return None
    rows.delete()
    return _log(
        committee,
        RetentionLog.Kind.SUBSCRIPTION,
        count,
        f"Alert subscriptions not confirmed, or unsubscribed, before {cutoff:%-d %B %Y}.",
    )


@transaction.atomic
def apply_retention(*, now: dt.datetime | None = None) -> list[RetentionLog]:
    """Remove what each committee's rule says is due for removal, and nothing else."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    logs: list[RetentionLog | None] = []
    for committee in Committee.objects.order_by("pk"):
        rule = rule_for(committee)
        logs.append(_remove_attendance(committee, rule, today))
        logs.append(_remove_subscriptions(committee, rule, now))
    logs += _remove_interests(today)
    return [log for log in logs if log is not None]
