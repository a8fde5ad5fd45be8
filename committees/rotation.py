"""The Chair's rotation as a pure rule (K&M ToR 6.3: "elected at the first meeting ... to serve
as Chair for a two year period. The Chair will rotate every two years between the Local Authority
leaders").

Terms run back to back in fixed periods from the start of the rotation. Whose seat holds each
term is read from the terms recorded so far where there is one (an election can choose), and
otherwise follows on from the term before, to the next seat in the rotation's order. Plain values
in and out, so the ToR cases are tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rotation:
    """The rule: every `years` years between `seat_ids` (in this order), counted from `start`."""

    years: int
    seat_ids: tuple[int, ...]
    start: dt.date


@dataclass(frozen=True)
class RecordedTerm:
    """A Chair term as recorded: the seat its holder held, and its dates (end None: open)."""

    seat_id: int | None
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class Term:
    """One period of the rotation: whose seat holds the chair, first and last day, and whether a
    Chair term is recorded that starts within it."""

    number: int
    seat_id: int
    start: dt.date
    end: dt.date
    recorded: bool


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` on; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _terms(rotation: Rotation, recorded: Sequence[RecordedTerm]) -> Iterator[Term]:
    """Every period of the rotation in turn, from its start, without end."""
    seats = rotation.seat_ids
    seat_id: int | None = None
    number = 0
    while True:
        start = add_years(rotation.start, number * rotation.years)
        end = add_years(rotation.start, (number + 1) * rotation.years) - dt.timedelta(days=1)
        chosen = [t.seat_id for t in recorded if start <= t.start <= end and t.seat_id in seats]
        if chosen:
            seat_id = chosen[0]
        elif seat_id is None:
            seat_id = seats[0]
        else:
            seat_id = seats[(seats.index(seat_id) + 1) % len(seats)]
        yield Term(
            number, seat_id, start, end, recorded=any(start <= t.start <= end for t in recorded)
        )
        number += 1


def term_on(rotation: Rotation, recorded: Sequence[RecordedTerm], on: dt.date) -> Term | None:
    """The period of the rotation that `on` falls in: whose seat is due to hold the chair, and
    when that term ends. None before the rotation starts, or with no seats to rotate between."""
    if not rotation.seat_ids or rotation.years < 1 or on < rotation.start:
        return None
    for term in _terms(rotation, recorded):
        if term.end >= on:
            return term
    raise AssertionError("unreachable: terms run without end")  # pragma: no cover


def term_after(rotation: Rotation, recorded: Sequence[RecordedTerm], term: Term) -> Term:
    """The period that follows `term`."""
    for candidate in _terms(rotation, recorded):
        if candidate.number == term.number + 1:
            return candidate
    raise AssertionError("unreachable: terms run without end")  # pragma: no cover


def first_unrecorded(
    rotation: Rotation, recorded: Sequence[RecordedTerm], on: dt.date
) -> Term | None:
    """The first period, from the one `on` falls in (or the first, before the rotation starts),
    with no Chair term recorded: the next term the secretariat has to record."""
    if not rotation.seat_ids or rotation.years < 1:
        return None
    for term in _terms(rotation, recorded):
        if term.end >= on and not term.recorded:
            return term
    raise AssertionError("unreachable: terms run without end")  # pragma: no cover
