"""The Register of Members' Interests: timing rules, the published register, and its services.

Pure rules first (28-day lateness, the annual confirmation), then reads (`register_for`, what a
secretariat user may review), then writes (declare, review, confirm, campaigns). The published
register is always read from history, so it can be shown as it stood at any moment, and only
entries whose state was "published" at that moment ever appear in it.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, Role
from communications.mail import absolute_url as absolute
from communications.mail import queue_message
from members.errors import InterestError
from members.models import (
    Confirmation,
    ConfirmationCampaign,
    ConfirmationRequest,
    Interest,
    Membership,
    Person,
)

DECLARE_WITHIN_DAYS = 28
# NHS guidance keeps an expired interest on the published register for at least six months.
ENDED_INTERESTS_SHOWN_DAYS = 183
REGISTER_ROLES = (Role.MEMBER, Role.PARTICIPANT)


# --- Pure rules -------------------------------------------------------------------------------


def declaration_due(*, changed_on: dt.date, appointed_on: dt.date | None = None) -> dt.date:
    """The last day to declare: 28 days after the change, or after appointment if later."""
    start = max(changed_on, appointed_on) if appointed_on else changed_on
    return start + dt.timedelta(days=DECLARE_WITHIN_DAYS)


def declaration_is_late(
    *, changed_on: dt.date, declared_on: dt.date, appointed_on: dt.date | None = None
) -> bool:
    return declared_on > declaration_due(changed_on=changed_on, appointed_on=appointed_on)


def one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def confirmation_overdue(*, last_confirmed: dt.date | None, today: dt.date) -> bool:
    """Everyone confirms at least once a year (a nil return counts)."""
    return last_confirmed is None or last_confirmed <= one_year_before(today)


def end_of_day(day: dt.date) -> dt.datetime:
    """The register "as it stood on" a day means at the end of that day, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


# --- Reads ------------------------------------------------------------------------------------


class RegisterRow(NamedTuple):
    """One person on the register. `membership.nil_return` is their nil return, if it stands."""

    membership: Membership
    interests: list


def _published_versions(person_ids: list[int], when: dt.datetime) -> QuerySet:
    """The last published version, at `when`, of each entry not withheld or deleted at `when`,
    nor withheld now: a withheld entry never appears for any date (its history stays for the
    secretariat only)."""
    hist = Interest.history.model
    upto = hist.objects.filter(id=OuterRef("id"), history_date__lte=when).order_by(
        "-history_date", "-history_id"
    )
    latest_published = upto.filter(state=Interest.State.PUBLISHED).values("history_id")[:1]
    return (
        hist.objects.filter(person_id__in=person_ids, history_id=Subquery(latest_published))
        # The entry as it stood at `when` decides: withheld or deleted hides every version.
        .annotate(
            state_then=Subquery(upto.values("state")[:1]),
            change_then=Subquery(upto.values("history_type")[:1]),
        )
        .exclude(state_then=Interest.State.WITHHELD)
        .exclude(change_then="-")
        # Withheld now (for example for personal safety) hides the entry on every date too.
        .exclude(id__in=Interest.objects.filter(state=Interest.State.WITHHELD).values("id"))
        .filter(
            Q(end_date__isnull=True)
            | Q(
                end_date__gte=timezone.localdate(when)
                - dt.timedelta(days=ENDED_INTERESTS_SHOWN_DAYS)
            )
        )
        .select_related("organisation")
        .order_by("person_id", "category", "start_date", "id")
    )


def published_interests(person_ids: list[int], when: dt.datetime | None = None) -> dict:
    """{person_id: [published historical entries]} as the register stood at `when`."""
    when = when or timezone.now()
    out: dict[int, list] = {}
    for version in _published_versions(person_ids, when):
        out.setdefault(version.person_id, []).append(version)
    return out


def register_for(committee: Committee, as_of: dt.datetime | dt.date | None = None) -> list:
    """The committee's published register as it stood at `as_of` (default now).

    Returns [RegisterRow(membership, [interests])] for the members and participants in post
    that day, in seat order; interests are historical versions (same fields as Interest). A
    person with no published interest whose latest declaration is a nil return gets
    `membership.nil_return` (a Confirmation), else None. Three queries whatever the size.
    """
    if as_of is None:
        as_of = timezone.now()
    elif not isinstance(as_of, dt.datetime):
        as_of = end_of_day(as_of)
    on = timezone.localdate(as_of)
    memberships = list(
        Membership.objects.current(on)
        .filter(committee=committee, role__in=REGISTER_ROLES)
        .select_related("person", "seat", "organisation", "place")
        .order_by("role", "seat__order", "seat_id", "person__last_name", "person__first_name")
    )
    person_ids = sorted({m.person_id for m in memberships})
    interests = published_interests(person_ids, as_of)
    latest_confirmation = Confirmation.objects.filter(
        person_id=OuterRef("person_id"), confirmed_at__lte=as_of
    ).order_by("-confirmed_at", "-pk")
    nil_returns = {
        c.person_id: c
        for c in Confirmation.objects.filter(
            person_id__in=person_ids,
            is_nil=True,
            confirmed_at__lte=as_of,
            pk=Subquery(latest_confirmation.values("pk")[:1]),
        )
    }
    rows = []
    for m in memberships:
        entries = interests.get(m.person_id, [])
        m.nil_return = None if entries else nil_returns.get(m.person_id)
        rows.append(RegisterRow(m, entries))
    return rows


def committees_for_staff(user) -> QuerySet:
    """Committees whose register this user reviews: those they are secretariat of."""
    if not user.is_authenticated:
        return Committee.objects.none()
    if user.is_superuser:
        return Committee.objects.all()
    return Committee.objects.filter(secretariat=user)


def people_for_staff(user, on: dt.date | None = None) -> QuerySet:
    """People who are (or were) a member or participant of a committee this user runs."""
    return Person.objects.filter(
        memberships__committee__in=committees_for_staff(user),
        memberships__role__in=REGISTER_ROLES,
    ).distinct()


def interest_for_staff(user, pk: int) -> Interest | None:
    return (
        Interest.objects.filter(pk=pk, person__in=people_for_staff(user))
        .select_related("person", "organisation", "reviewed_by")
        .first()
    )


def review_queue(user) -> QuerySet:
    return (
        Interest.objects.filter(state=Interest.State.PENDING, person__in=people_for_staff(user))
        .select_related("person", "organisation")
        .order_by("declared_at", "pk")
    )


def late_declarations(user) -> QuerySet:
    return (
        Interest.objects.filter(is_late=True, person__in=people_for_staff(user))
        .select_related("person", "organisation")
        .order_by("-declared_at", "pk")
    )


class ConfirmationStatus(NamedTuple):
    membership: Membership
    last_confirmed: Confirmation | None
    overdue: bool
    request: ConfirmationRequest | None
    confirmed_in_campaign: bool


def confirmation_status(committee: Committee, today: dt.date | None = None) -> dict:
    """Who among the committee's members and participants has confirmed, for the staff page."""
    today = today or timezone.localdate()
    campaign = committee.confirmation_campaigns.order_by("-started_at").first()
    memberships = list(
        Membership.objects.current(today)
        .filter(committee=committee, role__in=REGISTER_ROLES)
        .select_related("person", "seat")
        .prefetch_related(
            Prefetch(
                "person__confirmations",
                queryset=Confirmation.objects.order_by("-confirmed_at", "-pk"),
                to_attr="confirmations_newest_first",
            )
        )
        .order_by("role", "seat__order", "seat_id", "person__last_name")
    )
    requests = {}
    if campaign:
        requests = {r.person_id: r for r in campaign.requests.all()}
    rows = []
    for m in memberships:
        confirmations = m.person.confirmations_newest_first
        last = confirmations[0] if confirmations else None
        last_day = timezone.localdate(last.confirmed_at) if last else None
        rows.append(
            ConfirmationStatus(
                membership=m,
                last_confirmed=last,
                overdue=confirmation_overdue(last_confirmed=last_day, today=today),
                request=requests.get(m.person_id),
                confirmed_in_campaign=bool(
                    campaign and last and last.confirmed_at >= campaign.started_at
                ),
            )
        )
    return {"campaign": campaign, "rows": rows}


def appointed_on(person: Person) -> dt.date | None:
    """When the person was first appointed a member or participant of any committee."""
    first = (
        Membership.objects.filter(person=person, role__in=REGISTER_ROLES)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    return first


# --- Writes -----------------------------------------------------------------------------------


def _stamp(interest: Interest, *, changed_on: dt.date, now: dt.datetime) -> None:
    interest.changed_on = changed_on
    interest.declared_at = now
    interest.is_late = declaration_is_late(
        changed_on=changed_on,
        declared_on=timezone.localdate(now),
        appointed_on=appointed_on(interest.person),
    )
    # Every new or changed entry is reviewed again before it is published.
    interest.state = Interest.State.PENDING
    interest.reviewed_by = None
    interest.reviewed_at = None


def _check_dates(start_date: dt.date, end_date: dt.date | None) -> None:
    if end_date and end_date < start_date:
        raise InterestError("The interest cannot end before it began: check the 'to' date.")


@transaction.atomic
def declare_interest(
    *,
    person: Person,
    category: str,
    involved: str,
    description: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    organisation=None,
    by=None,
) -> Interest:
    """A new entry, pending review; late if declared more than 28 days after it began."""
    _check_dates(start_date, end_date)
    interest = Interest(
        person=person,
        category=category,
        involved=involved,
        description=description,
        start_date=start_date,
        end_date=end_date,
        organisation=organisation,
    )
    _stamp(interest, changed_on=end_date or start_date, now=timezone.now())
    interest._history_user = by
    interest.save()
    return interest


@transaction.atomic
def update_interest(
    *,
    interest: Interest,
    category: str,
    involved: str,
    description: str,
    start_date: dt.date,
    end_date: dt.date | None,
    changed_on: dt.date,
    organisation=None,
    by=None,
) -> Interest:
    """A change to an entry: back to pending review; the 28 days run from `changed_on`."""
    _check_dates(start_date, end_date)
    if changed_on > timezone.localdate():
        raise InterestError("The date of the change cannot be in the future.")
    interest.category = category
    interest.involved = involved
    interest.description = description
    interest.start_date = start_date
    interest.end_date = end_date
    interest.organisation = organisation
    _stamp(interest, changed_on=changed_on, now=timezone.now())
    interest._history_user = by
    interest.save()
    return interest


@transaction.atomic
def end_interest(*, interest: Interest, end_date: dt.date, by=None) -> Interest:
    if end_date < interest.start_date:
        raise InterestError(
            f"The interest began on {interest.start_date:%d %B %Y}; it cannot end before that."
        )
    if end_date > timezone.localdate():
        raise InterestError("Give the date the interest ended; it cannot be in the future.")
    interest.end_date = end_date
    _stamp(interest, changed_on=end_date, now=timezone.now())
    interest._history_user = by
    interest.save()
    return interest


@transaction.atomic
def submit_nil_return(*, person: Person, by=None) -> Confirmation:
    """ "I have no interests to declare": refused while the person has current entries."""
    today = timezone.localdate()
    current = [i for i in person.interests.all() if i.end_date is None or i.end_date >= today]
    if current:
        raise InterestError(
            f"You have {len(current)} current interest{'s' if len(current) != 1 else ''} on the "
            "register. End them first, or confirm your entries instead of making a nil return."
        )
    c = Confirmation(person=person, confirmed_at=timezone.now(), is_nil=True)
    c._history_user = by
    c.save()
    return c


@transaction.atomic
def confirm_register(*, person: Person, by=None) -> Confirmation:
    """ "I confirm my entries are complete and correct"."""
    c = Confirmation(person=person, confirmed_at=timezone.now(), is_nil=False)
    c._history_user = by
    c.save()
    return c


def _review(interest: Interest, state: str, by, reason: str = "") -> Interest:
    interest.state = state
    interest.withheld_reason = reason
    interest.reviewed_by = by
    interest.reviewed_at = timezone.now()
    interest._history_user = by
    interest.save()
    return interest


@transaction.atomic
def publish_interest(*, interest: Interest, by) -> Interest:
    return _review(interest, Interest.State.PUBLISHED, by)


@transaction.atomic
def withhold_interest(*, interest: Interest, reason: str, by) -> Interest:
    """Keep a sensitive entry off the published register; the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise InterestError("Give the reason this entry is withheld from publication.")
    return _review(interest, Interest.State.WITHHELD, by, reason)


def _confirm_url() -> str:
    return absolute(reverse("portal:interests_confirm"))


def _message_context(campaign: ConfirmationCampaign, person: Person) -> dict:
    return {
        "person_name": person.full_name,
        "committee_name": campaign.committee.name,
        "due_date": campaign.due_date.isoformat(),
        "due_date_text": f"{campaign.due_date:%A %-d %B %Y}",
        "confirm_url": _confirm_url(),
    }


def invite_to_confirm(*, campaign: ConfirmationCampaign) -> int:
    """Queue the invitation for each person asked; safe to re-run (one message per person)."""

    created = 0
    for request in campaign.requests.select_related("person"):
        person = request.person
        if not person.email:
            continue
        _, new = queue_message(
            recipient=person.email,
            recipient_name=person.full_name,
            name="interests_confirmation",
            context=_message_context(campaign, person),
            idempotency_key=f"interests-confirmation:{campaign.pk}:{person.pk}",
            committee=campaign.committee,
        )
        if not request.invited:
            ConfirmationRequest.objects.filter(pk=request.pk).update(invited=True)
        created += int(new)
    return created


@transaction.atomic
def start_confirmation_campaign(
    *, committee: Committee, due_date: dt.date, by, reminder_every_days: int = 7
) -> ConfirmationCampaign:
    """Ask every current member and participant to confirm their entries by `due_date`."""
    today = timezone.localdate()
    if due_date <= today:
        raise InterestError("The date to confirm by must be after today.")
    # Lock the committee so two clicks cannot start two campaigns.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    running = committee.confirmation_campaigns.filter(due_date__gte=today).first()
    if running:
        raise InterestError(
            f"A confirmation campaign started on {timezone.localdate(running.started_at):%d %B %Y} "
            f"is running until {running.due_date:%d %B %Y}; it must end before another starts."
        )
    campaign = ConfirmationCampaign.objects.create(
        committee=committee,
        started_by=by,
        started_at=timezone.now(),
        due_date=due_date,
        reminder_every_days=max(1, reminder_every_days),
    )
    memberships = (
        Membership.objects.current(today)
        .filter(committee=committee, role__in=REGISTER_ROLES)
        .select_related("person")
    )
    seen = set()
    for m in memberships:
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        ConfirmationRequest.objects.create(campaign=campaign, person=m.person, membership=m)
    invite_to_confirm(campaign=campaign)
    return campaign


def plan_confirmation_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue the reminder now due for each person who has not confirmed since the campaign began.

    Reminder k is due `k * reminder_every_days` after the start, while the campaign runs; its
    idempotency key names k, so running this as often as you like sends each reminder once.
    """

    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    campaigns = ConfirmationCampaign.objects.filter(
        due_date__gte=today, started_at__lte=now
    ).select_related("committee")
    for campaign in campaigns:
        k = (now - campaign.started_at).days // campaign.reminder_every_days
        if k < 1:
            continue
        confirmed = Confirmation.objects.filter(
            person_id=OuterRef("person_id"), confirmed_at__gte=campaign.started_at
        )
        waiting = (
            campaign.requests.filter(~Exists(confirmed))
            .exclude(person__email="")
            .select_related("person")
        )
        for request in waiting:
            with transaction.atomic():
                _, new = queue_message(
                    recipient=request.person.email,
                    recipient_name=request.person.full_name,
                    name="interests_reminder",
                    context={**_message_context(campaign, request.person), "reminder": k},
                    idempotency_key=f"interests-reminder:{campaign.pk}:{request.person_id}:{k}",
                    committee=campaign.committee,
                )
                if new:
                    ConfirmationRequest.objects.filter(pk=request.pk).update(
                        reminders_sent=request.reminders_sent + 1, last_reminded_at=now
                    )
                    queued += 1
    return queued


def parse_as_of(value: str | None) -> tuple[dt.date | None, str]:
    """`?as_of=YYYY-MM-DD` as a date, or (None, message) when it is not a usable date."""
    if not value:
        return None, ""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None, f"'{value}' is not a date: use the form 2025-03-31. Showing the register now."
    if day > timezone.localdate():
        return None, "That date is in the future. Showing the register now."
    return day, ""
