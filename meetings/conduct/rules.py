"""Pure rules of the meeting itself: vote outcomes (K&M ToR 7.4) and who presides (6.8).

Plain values in, plain values out, so the Terms of Reference cases are tested without a database.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from meetings.errors import ConductError


@dataclass(frozen=True)
class VoteOutcome:
    passed: bool
    summary: str
    casting_vote_used: bool = False


def vote_outcome(
    *,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    eligible_present: int,
    voting_members_total: int,
    majority_basis: str,
    quorate: bool,
    chair_has_casting_vote: bool = False,
    casting_vote_for: bool | None = None,
    citation: str = "the Terms of Reference",
) -> VoteOutcome:
    """Decide a vote. `eligible_present` counts voting members present and not withdrawn;
    `citation` is the committee's own paragraph on voting, as refusals cite it."""
    if not quorate:
        raise ConductError("A vote cannot be taken while the meeting is inquorate.")
    for name, value in (
        ("for", votes_for),
        ("against", votes_against),
        ("abstentions", abstentions),
    ):
        if value < 0:
            raise ConductError(f"The number of votes {name} cannot be negative.")
    cast = votes_for + votes_against + abstentions
    if cast > eligible_present:
        raise ConductError(
            f"{cast} votes recorded but only {eligible_present} members present may vote: "
            f"one vote per voting member ({citation})."
        )
    tally = f"{votes_for} for, {votes_against} against, {abstentions} abstaining"
    if votes_for == votes_against:
        if chair_has_casting_vote and casting_vote_for is not None:
            word = "carried" if casting_vote_for else "lost"
            return VoteOutcome(
                casting_vote_for, f"Tied ({tally}); {word} on the Chair's casting vote", True
            )
        return VoteOutcome(
            False, f"Not passed: the vote was tied ({tally}) and there is no casting vote"
        )
    if majority_basis == "votes_cast":
        needed = votes_for > votes_against
        basis = "a majority of votes cast"
    elif majority_basis == "all_members":
        needed = votes_for * 2 > voting_members_total
        basis = f"a majority of all {voting_members_total} voting members"
    else:
        needed = votes_for * 2 > eligible_present
        basis = f"a majority of the {eligible_present} voting members present"
    if needed:
        return VoteOutcome(True, f"Carried ({tally})")
    return VoteOutcome(False, f"Not passed ({tally}): {basis} is needed")


@dataclass(frozen=True)
class Fallback:
    """One step of the presiding order: an office (e.g. "vice_chair"), a seat id, or the other
    seat in the Chair's rotation ("the other Local Authority leader", K&M ToR 6.8)."""

    office: str = ""
    seat_id: int | None = None
    label: str = ""
    other_rotation_seat: bool = False


def _step_seats(
    step: Fallback, chair_id: int | None, rotation_seat_ids, seat_holders
) -> list[int | None]:
    """The seats a step names: its own, or the rotation seats the Chair does not hold (all of
    them when no Chair is recorded, since neither is then "the other")."""
    if not step.other_rotation_seat:
        return [step.seat_id]
    return [s for s in rotation_seat_ids if chair_id not in seat_holders.get(s, ())]


def presiding_member(
    *,
    chair_id: int | None,
    available_ids: Iterable[int],
    fallbacks: Sequence[Fallback],
    office_holders: Mapping[str, Sequence[int]],
    seat_holders: Mapping[int, Sequence[int]],
    rotation_seat_ids: Sequence[int] = (),
    seat_labels: Mapping[int, str] | None = None,
    citation: str = "",
) -> tuple[int | None, str]:
    """Who presides over an item: the Chair if available, else the first available fallback.

    `available_ids` are people present and not conflicted on the item; `rotation_seat_ids` the
    seats the Chair rotates between; `citation` the paragraph of the committee's ToR that sets
    the order ("ToR 6.8"), blank where the ToR do not say. Returns (person id or None,
    explanation in words).
    """
    available = set(available_ids)
    if chair_id is not None and chair_id in available:
        return chair_id, "The Chair presides."
    cited = f" ({citation})" if citation else ""
    for step in fallbacks:
        if step.office:
            candidates = [(p, step.label) for p in office_holders.get(step.office, ())]
        else:
            candidates = [
                (
                    p,
                    (seat_labels or {}).get(seat, step.label)
                    if step.other_rotation_seat
                    else step.label,
                )
                for seat in _step_seats(step, chair_id, rotation_seat_ids, seat_holders)
                for p in seat_holders.get(seat, ())
            ]
        for person, label in candidates:
            if person in available and person != chair_id:
                return person, f"The Chair is absent or conflicted: {label} presides{cited}."
    return None, "Nobody in the presiding order is available: the meeting must choose who presides."


# --- One voice per seat (M&SE, Deputies; Conflicts of Interest) ----------------------------------

MEMBER = "member"
DEPUTY = "deputy"


def seat_voice(
    *,
    member_here: bool,
    member_excluded: bool = False,
    deputy_here: bool = False,
    deputy_items: Collection[int] | None = None,
    item: int | None = None,
) -> str | None:
    """Who holds a seat's one voice (its place in the quorum and its vote) at an item: the
    member, their deputy, or nobody.

    A deputy attends "on their behalf" when the member "is unable to attend" (M&SE, Deputies):
    `deputy_items` None, the deputy holds the voice only while the member is not there, so it
    passes back to the member who arrives and to the deputy again when the member leaves. A
    deputy for one matter (M&SE, Conflicts of Interest: "take the place of the conflicted member
    in relation to that matter") holds it only at the items in `deputy_items`, and only where the
    member is not there or is excluded from the item. `member_excluded`: the member withdrew or
    may not vote on the item for a conflict of interest."""
    if member_here and not member_excluded:
        return MEMBER
    if not deputy_here:
        return None
    if deputy_items is None:
        return None if member_here else DEPUTY
    return DEPUTY if item in deputy_items else None


def seat_voice_changes(
    holders: Sequence[tuple[int, str | None]],
) -> list[tuple[int, str | None, str | None]]:
    """Where a seat's voice changes hands: (item, holder before, holder from that item), given
    (item, holder) for each item in agenda order. The first item is where it starts, not a
    change."""
    changes: list[tuple[int, str | None, str | None]] = []
    for (_, before), (item, after) in zip(holders, holders[1:], strict=False):
        if before != after:
            changes.append((item, before, after))
    return changes


# --- A public health representative in attendance (K&M ToR 8.2) -----------------------------

NO_PUBLIC_HEALTH = "none_present"
PUBLIC_HEALTH_CONFLICTED = "all_conflicted"


def public_health_gap(
    *,
    has_rule: bool,
    representatives: Collection[int],
    present: Collection[int],
    conflicted: Collection[int] = (),
) -> str:
    """Whether an item lacks the public health representative the committee endeavours to always
    have in attendance, "unless a conflict of interest precludes this" (K&M ToR 8.2). Not a
    quorum rule: the record warns and the minutes say so.

    `has_rule`: the committee names public health seats (no seats, no rule, whether or not
    anyone holds them); `representatives`: those holding them, or deputising for a holder.
    Returns "" when met, NO_PUBLIC_HEALTH when none is present, PUBLIC_HEALTH_CONFLICTED when
    every one present is conflicted on the item."""
    if not has_rule:
        return ""
    here = set(representatives) & set(present)
    if not here:
        return NO_PUBLIC_HEALTH
    if here <= set(conflicted):
        return PUBLIC_HEALTH_CONFLICTED
    return ""
