"""Pure rules of the meeting itself: vote outcomes (K&M ToR 7.4) and who presides (6.8).

Plain values in, plain values out, so the Terms of Reference cases are tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
) -> VoteOutcome:
    """Decide a vote. `eligible_present` counts voting members present and not withdrawn."""
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
            "one vote per voting member (ToR 7.4)."
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
    """One step of the presiding order: an office (e.g. "vice_chair") or a seat id."""

    office: str = ""
    seat_id: int | None = None
    label: str = ""


def presiding_member(
    *,
    chair_id: int | None,
    available_ids: Iterable[int],
    fallbacks: Sequence[Fallback],
    office_holders: Mapping[str, Sequence[int]],
    seat_holders: Mapping[int, Sequence[int]],
) -> tuple[int | None, str]:
    """Who presides over an item: the Chair if available, else the first available fallback.

    `available_ids` are people present and not conflicted on the item. Returns (person id or None,
    explanation in words).
    """
    available = set(available_ids)
    if chair_id is not None and chair_id in available:
        return chair_id, "The Chair presides."
    for step in fallbacks:
        holders = (
            office_holders.get(step.office, ())
            if step.office
            else seat_holders.get(step.seat_id, ())
        )
        for person in holders:
            if person in available and person != chair_id:
                return (
                    person,
                    f"The Chair is absent or conflicted: {step.label} presides (ToR 6.8).",
                )
    return None, "Nobody in the presiding order is available: the meeting must choose who presides."
