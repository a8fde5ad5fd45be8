"""The rotation's boundaries (issue 16, mutation testing): its first day, a term recorded on the
last day of a period, one-year rotations, and the period that ends on the day asked about."""

from __future__ import annotations

import datetime as dt

from committees.rotation import RecordedTerm, Rotation, first_unrecorded, term_after, term_on

KCC, MEDWAY = 1, 2
START = dt.date(2022, 7, 1)
KM = Rotation(years=2, seat_ids=(KCC, MEDWAY), start=START)


def test_the_rotation_starts_on_its_first_day():
    assert term_on(KM, [], START - dt.timedelta(days=1)) is None
    assert term_on(KM, [], START).seat_id == KCC


def test_a_term_recorded_on_the_last_day_of_a_period_belongs_to_it():
    last_day = dt.date(2024, 6, 30)
    recorded = [RecordedTerm(MEDWAY, last_day)]
    term = term_on(KM, recorded, dt.date(2023, 1, 1))
    assert term.seat_id == MEDWAY and term.recorded
    # and the next period follows on from it
    assert term_after(KM, recorded, term).seat_id == KCC
    assert first_unrecorded(KM, recorded, dt.date(2023, 1, 1)).number == 1


def test_the_third_period_follows_the_second():
    third = term_on(KM, [], dt.date(2026, 7, 1))
    assert (third.number, third.seat_id) == (2, KCC)
    assert term_after(KM, [], third).number == 3


def test_one_year_rotations_are_rotations():
    yearly = Rotation(years=1, seat_ids=(KCC, MEDWAY), start=START)
    assert term_on(yearly, [], dt.date(2023, 7, 1)).seat_id == MEDWAY
    assert first_unrecorded(yearly, [], START).seat_id == KCC
    assert first_unrecorded(Rotation(years=0, seat_ids=(KCC,), start=START), [], START) is None


def test_the_period_ending_today_is_still_the_one_to_record():
    assert first_unrecorded(KM, [], dt.date(2024, 6, 30)).number == 0
    assert first_unrecorded(KM, [], dt.date(2024, 7, 1)).number == 1
