"""The Chair's rotation as K&M ToR 6.3 words it, as a pure rule: "The Chair of the Joint
Committee shall be either the Leader of Kent County Council or Medway Council and will be elected
at the first meeting of the Joint Committee to serve as Chair for a two year period. The Chair
will rotate every two years between the Local Authority leaders."
"""

from __future__ import annotations

import datetime as dt

from committees.models import cite
from committees.rotation import (
    RecordedTerm,
    Rotation,
    add_years,
    first_unrecorded,
    term_after,
    term_on,
)

KCC, MEDWAY, ICB = 1, 2, 3
FIRST_MEETING = dt.date(2022, 7, 1)
KM = Rotation(years=2, seat_ids=(KCC, MEDWAY), start=FIRST_MEETING)


def test_the_first_two_years_belong_to_the_seat_first_in_the_rotation():
    term = term_on(KM, [], dt.date(2023, 3, 1))
    assert (term.seat_id, term.start, term.end) == (KCC, FIRST_MEETING, dt.date(2024, 6, 30))


def test_the_chair_passes_to_the_other_leader_after_two_years():
    assert term_on(KM, [], dt.date(2024, 6, 30)).seat_id == KCC
    term = term_on(KM, [], dt.date(2024, 7, 1))
    assert (term.seat_id, term.start, term.end) == (
        MEDWAY,
        dt.date(2024, 7, 1),
        dt.date(2026, 6, 30),
    )


def test_the_chair_comes_back_after_four_years():
    term = term_on(KM, [], dt.date(2026, 12, 4))
    assert (term.seat_id, term.end) == (KCC, dt.date(2028, 6, 30))


def test_the_first_meeting_elects_either_leader_and_the_rotation_follows_from_it():
    elected_medway = [RecordedTerm(MEDWAY, FIRST_MEETING, dt.date(2024, 6, 30))]
    assert term_on(KM, elected_medway, dt.date(2023, 1, 1)).seat_id == MEDWAY
    assert term_on(KM, elected_medway, dt.date(2025, 1, 1)).seat_id == KCC
    assert term_on(KM, elected_medway, dt.date(2027, 1, 1)).seat_id == MEDWAY


def test_a_term_recorded_mid_period_counts_for_that_period():
    recorded = [RecordedTerm(KCC, FIRST_MEETING), RecordedTerm(MEDWAY, dt.date(2024, 9, 1))]
    assert term_on(KM, recorded, dt.date(2024, 7, 2)).recorded
    assert term_on(KM, recorded, dt.date(2026, 7, 1)).recorded is False


def test_nobody_is_due_before_the_first_meeting():
    assert term_on(KM, [], dt.date(2022, 6, 30)) is None


def test_without_seats_or_period_there_is_no_rotation():
    assert term_on(Rotation(2, (), FIRST_MEETING), [], dt.date(2023, 1, 1)) is None
    assert term_on(Rotation(0, (KCC, MEDWAY), FIRST_MEETING), [], dt.date(2023, 1, 1)) is None
    assert first_unrecorded(Rotation(2, (), FIRST_MEETING), [], dt.date(2023, 1, 1)) is None


def test_the_period_is_the_committees_choice():
    yearly = Rotation(years=1, seat_ids=(KCC, MEDWAY, ICB), start=FIRST_MEETING)
    assert [term_on(yearly, [], dt.date(y, 1, 1)).seat_id for y in (2023, 2024, 2025, 2026)] == [
        KCC,
        MEDWAY,
        ICB,
        KCC,
    ]


def test_the_next_term_to_record_is_the_first_period_without_a_chair():
    recorded = [
        RecordedTerm(KCC, FIRST_MEETING, dt.date(2024, 6, 30)),
        RecordedTerm(MEDWAY, dt.date(2024, 7, 1), dt.date(2026, 6, 30)),
        RecordedTerm(KCC, dt.date(2026, 7, 1), dt.date(2028, 6, 30)),
    ]
    due = first_unrecorded(KM, recorded, dt.date(2026, 12, 4))
    assert (due.seat_id, due.start, due.end) == (MEDWAY, dt.date(2028, 7, 1), dt.date(2030, 6, 30))
    # A period already begun with no Chair recorded is the one due (overdue).
    late = first_unrecorded(KM, recorded[:2], dt.date(2026, 12, 4))
    assert (late.seat_id, late.start) == (KCC, dt.date(2026, 7, 1))


def test_an_open_ended_term_does_not_fill_the_next_period():
    recorded = [RecordedTerm(KCC, FIRST_MEETING, None)]
    due = first_unrecorded(KM, recorded, dt.date(2025, 1, 1))
    assert (due.seat_id, due.start) == (MEDWAY, dt.date(2024, 7, 1))


def test_term_after_follows_on():
    now = term_on(KM, [], dt.date(2023, 1, 1))
    assert term_after(KM, [], now).start == dt.date(2024, 7, 1)


def test_a_leap_day_start_falls_back_to_the_28th():
    assert add_years(dt.date(2024, 2, 29), 2) == dt.date(2026, 2, 28)


def test_a_citation_names_the_committees_own_paragraph_and_never_a_default():
    assert cite("6.3") == "ToR 6.3"
    assert cite("Review") == "ToR, Review"
    assert cite("") == "the Terms of Reference"
