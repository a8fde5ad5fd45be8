"""Take-down (issue 16): the secretariat removes from view a paper version, a minutes version or
a decision notice that was published by mistake (personal data in a late Part 1 paper, say).

The file and the row are kept: the committee's staff (its secretariat and officers) still open
them; everyone else is refused them by `meetings.access`, so the page, the API, feeds, search
and old pack versions all drop it. The page says "removed on [date]: [public reason]". A
paper's take-down asks documents to rebuild the packs without it (`agenda_changed`), and
`documents.selectors.may_read` stops serving the old pack versions that contained it. The
TakeDown row is the log: who, when, why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from meetings import signals
from meetings.errors import ConductError
from meetings.models import Decision, Meeting, Minutes, Paper, TakeDown


@dataclass(frozen=True)
class Target:
    """Something of a meeting that may be taken down, as the screens offer it."""

    key: str  # "paper-12", "minutes-3", "decision-7"
    kind: str
    title: str
    obj: object
    published_at: object


def targets(meeting: Meeting) -> list[Target]:
    """What of this meeting is published and not yet taken down. Three queries."""
    out: list[Target] = []
    papers = (
        Paper.objects.filter(item__agenda__meeting=meeting, taken_down_at__isnull=True)
        .select_related("item")
        .defer("text")
        .order_by("item__number", "pk")
    )
    for p in papers:
        label = f"Item {p.item.number}: {p.title}" + ("" if p.is_current else " (earlier version)")
        out.append(Target(f"paper-{p.pk}", TakeDown.Kind.PAPER, label, p, p.uploaded_at))
    for m in Minutes.objects.filter(
        meeting=meeting, state=Minutes.State.PUBLISHED, taken_down_at__isnull=True
    ).order_by("version"):
        title = f"Minutes, version {m.version}"
        out.append(Target(f"minutes-{m.pk}", TakeDown.Kind.MINUTES, title, m, m.published_at))
    for d in Decision.objects.filter(meeting=meeting, notice_taken_down_at__isnull=True).order_by(
        "sequence", "pk"
    ):
        title = f"Decision notice {d.number or d.pk}"
        out.append(Target(f"decision-{d.pk}", TakeDown.Kind.DECISION, title, d, d.recorded_at))
    return out


def find_target(meeting: Meeting, key: str) -> Target | None:
    return next((t for t in targets(meeting) if t.key == key), None)


@transaction.atomic
def take_down(*, meeting: Meeting, key: str, public_reason: str, note: str = "", by) -> TakeDown:
    """Remove one published thing of `meeting` from view; the reason readers see is required."""
    public_reason = (public_reason or "").strip()
    if not public_reason:
        raise ConductError("Give the reason readers will see where it was published.")
    target = find_target(meeting, key)
    if target is None:
        raise ConductError("That is not published for this meeting, or it is already taken down.")
    now = timezone.now()
    obj = target.obj
    row = TakeDown(
        meeting=meeting,
        kind=target.kind,
        title=target.title if target.kind != TakeDown.Kind.PAPER else obj.title,
        public_reason=public_reason,
        note=(note or "").strip(),
        taken_down_by=by,
        taken_down_at=now,
    )
    field = "notice_taken_down_at" if target.kind == TakeDown.Kind.DECISION else "taken_down_at"
    setattr(row, target.kind, obj)
    setattr(obj, field, now)
    obj._history_user = by
    obj.save(update_fields=[field])  # kept in the object's history; the page cache moves on
    row.save()
    if target.kind == TakeDown.Kind.PAPER:
        # The agenda and packs are rebuilt without it (documents listens).
        signals.agenda_changed.send(sender=TakeDown, meeting_id=meeting.pk, reason="take-down")
    return row


def removed_notices(meeting: Meeting) -> list[TakeDown]:
    """What readers are told was removed from this meeting, oldest first. One query."""
    return list(TakeDown.objects.filter(meeting=meeting).order_by("taken_down_at", "pk"))
