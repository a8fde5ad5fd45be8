"""Part 2 that lapses (issue 19): each Part 2 item carries a review date for its ground. When it
falls due the secretariat is reminded (a beat job and a line on its screens), and either
re-publishes the item's papers and decision as Part 1, or extends the review date, each recorded
with who and why.

Nothing Part 2 becomes public but by `republish_item`: the public pages, feeds, search and API
all read the item's part through `meetings.access`, so they follow the one change made here;
the public pack is rebuilt (`agenda_changed`) and the minutes get a new version.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee
from communications.mail import Recipient, queue_bulk
from meetings import links, signals
from meetings.errors import ConductError
from meetings.minutes.tasks import build_minutes_pdf
from meetings.models import Agenda, AgendaItem, Decision, Meeting, Minutes, Part, Part2Review

PART2_REVIEW_DUE = "part2_review_due"


def _taken(qs: QuerySet[AgendaItem], today: dt.date) -> QuerySet[AgendaItem]:
    """Items of meetings held (to-day or before) and not cancelled: business actually taken in
    private. An item on the agenda of a meeting to come is changed on the agenda, not reviewed."""
    return qs.filter(agenda__meeting__date__lte=today).exclude(
        agenda__meeting__status=Meeting.Status.CANCELLED
    )


def part2_items(committee: Committee, *, today: dt.date | None = None) -> QuerySet[AgendaItem]:
    """The committee's Part 2 items taken in private, soonest review first (those without a
    review date last, on every database)."""
    today = today or timezone.localdate()
    return (
        _taken(
            AgendaItem.objects.filter(agenda__meeting__committee=committee, part=Part.PRIVATE),
            today,
        )
        .select_related("agenda__meeting", "part2_ground")
        .order_by(
            F("part2_review_date").asc(nulls_last=True), "agenda__meeting__date", "number", "pk"
        )
    )


def part2_items_to_come(committee: Committee, *, today: dt.date | None = None) -> int:
    """How many Part 2 items are on the agendas of the committee's meetings to come."""
    today = today or timezone.localdate()
    return (
        AgendaItem.objects.filter(
            agenda__meeting__committee=committee,
            part=Part.PRIVATE,
            agenda__meeting__date__gt=today,
        )
        .exclude(agenda__meeting__status=Meeting.Status.CANCELLED)
        .count()
    )


def reviews_due(committee: Committee | None = None, *, today: dt.date | None = None):
    """Part 2 items taken in private whose review date has come (to-day or earlier)."""
    today = today or timezone.localdate()
    qs = _taken(
        AgendaItem.objects.filter(
            part=Part.PRIVATE,
            part2_review_date__lte=today,
            agenda__meeting__committee__is_active=True,
        ),
        today,
    ).select_related("agenda__meeting__committee", "part2_ground")
    if committee is not None:
        qs = qs.filter(agenda__meeting__committee=committee)
    return qs.order_by("part2_review_date", "pk")


def _locked_item(item: AgendaItem) -> AgendaItem:
    return (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("agenda__meeting__committee", "part2_ground")
        .get(pk=item.pk)
    )


@transaction.atomic
def extend_review(
    *, item: AgendaItem, new_date: dt.date | None, reason: str, by=None, today=None
) -> Part2Review:
    """Keep the item private until a later review date, with the reason."""
    item = _locked_item(item)
    today = today or timezone.localdate()
    if item.part != Part.PRIVATE:
        raise ConductError(f"Item {item.number} is not Part 2 business: it has no review date.")
    if new_date is None or new_date <= today:
        raise ConductError("Give a new review date after today.")
    if not (reason or "").strip():
        raise ConductError("Say why the ground still applies: the reason is kept with the item.")
    review = Part2Review.objects.create(
        item=item,
        action=Part2Review.Action.EXTENDED,
        reason=reason.strip(),
        ground=str(item.part2_ground or ""),
        old_review_date=item.part2_review_date,
        new_review_date=new_date,
        by=by,
    )
    item.part2_review_date = new_date
    item.save(update_fields=["part2_review_date"])
    return review


def _republished_minutes(item: AgendaItem, reason: str, by) -> Minutes | None:
    """The item's minutes section moves to Part 1: in place in a draft, else in a new version."""
    current = (
        Minutes.objects.select_for_update().filter(meeting=item.agenda.meeting, is_current=True)
    ).first()
    if current is None:
        return None
    key = f"item-{item.pk}"
    sections = [dict(s) for s in current.sections]
    moved = False
    for s in sections:
        if s.get("key") == key and int(s.get("part", 1)) == Part.PRIVATE:
            s["part"] = int(Part.PUBLIC)
            moved = True
    if not moved:
        return None
    # Part 1 sections first, in their order, as the minutes were drafted.
    sections = [s for s in sections if int(s["part"]) == Part.PUBLIC] + [
        s for s in sections if int(s["part"]) == Part.PRIVATE
    ]
    if current.is_draft:
        current.sections = sections
        current.save(update_fields=["sections"])
        return current
    Minutes.objects.filter(pk=current.pk).update(is_current=False)
    new = Minutes.objects.create(
        meeting=current.meeting,
        version=current.version + 1,
        state=current.state,
        sections=sections,
        reason=f"Item {item.number} re-published as Part 1: {reason}",
        replaces=current,
        created_by=by,
        circulated_at=current.circulated_at,
        approved_at=current.approved_at,
        approved_at_item=current.approved_at_item,
        published_at=timezone.now() if current.is_published else None,
    )
    audiences = ("public", "members") if new.is_published else ("members",)
    for audience in audiences:
        transaction.on_commit(lambda a=audience, pk=new.pk: build_minutes_pdf.delay(pk, a))
    return new


@transaction.atomic
def republish_item(*, item: AgendaItem, reason: str, by=None) -> Part2Review:
    """The ground has lapsed: the item, its papers and its decisions become Part 1.

    Recorded with who and why; the public pack and the minutes get a new version."""
    item = _locked_item(item)
    meeting = item.agenda.meeting
    if item.part != Part.PRIVATE:
        raise ConductError(f"Item {item.number} is already Part 1 business.")
    cancelled = meeting.status == Meeting.Status.CANCELLED
    if cancelled or meeting.date > timezone.localdate():
        when = "was cancelled" if cancelled else "is still to come"
        raise ConductError(
            f"Item {item.number} has not been taken in private: the meeting of "
            f"{meeting.date.day} {meeting.date:%B %Y} {when}. Make it Part 1 business on the "
            "agenda instead."
        )
    if not meeting.is_public:
        raise ConductError(
            "This meeting was held wholly in private: its business cannot be re-published item "
            "by item."
        )
    if not (reason or "").strip():
        raise ConductError("Say why the item can now be public: the reason is kept with it.")
    review = Part2Review.objects.create(
        item=item,
        action=Part2Review.Action.REPUBLISHED,
        reason=reason.strip(),
        ground=str(item.part2_ground or ""),
        old_review_date=item.part2_review_date,
        by=by,
    )
    item.part = Part.PUBLIC
    item.republished_at = timezone.now()
    item.part2_review_date = None
    item.save(update_fields=["part", "republished_at", "part2_review_date"])
    for decision in Decision.objects.filter(item=item, part=Part.PRIVATE):
        decision.part = Part.PUBLIC
        decision.save(update_fields=["part"])
    _republished_minutes(item, reason.strip(), by)
    signals.agenda_changed.send(
        sender=Agenda,
        meeting_id=meeting.pk,
        reason=f"Item {item.number} re-published as Part 1",
    )
    return review


def plan_part2_review_reminders(now: dt.datetime | None = None) -> list[int]:
    """Remind each committee's secretariat once when a Part 2 item's review date falls due."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pks: list[int] = []
    by_committee: dict[int, list[AgendaItem]] = {}
    for item in reviews_due(today=today):
        by_committee.setdefault(item.agenda.meeting.committee_id, []).append(item)
    committees = Committee.objects.filter(pk__in=by_committee).prefetch_related("secretariat")
    for committee in committees:
        staff = [u for u in committee.secretariat.all() if u.is_active and u.email]
        for item in by_committee[committee.pk]:
            key = f"{PART2_REVIEW_DUE}:{item.pk}:{item.part2_review_date.isoformat()}"
            meeting = item.agenda.meeting
            pks += queue_bulk(
                recipients=[
                    Recipient(u.email, u.get_full_name(), f"{key}:{u.email.lower()}") for u in staff
                ],
                name=PART2_REVIEW_DUE,
                context={
                    "committee_name": committee.name,
                    "item": f"Item {item.number} of the meeting on {meeting.date:%-d %B %Y}",
                    "public_description": item.public_description,
                    "ground": str(item.part2_ground or ""),
                    "due_text": f"{item.part2_review_date:%A} {item.part2_review_date.day} "
                    f"{item.part2_review_date:%B %Y}",
                    "action_url": links.absolute(
                        reverse("record:part2_reviews", args=[committee.slug])
                    ),
                },
                committee=committee,
                meeting=meeting,
            )
    return pks
