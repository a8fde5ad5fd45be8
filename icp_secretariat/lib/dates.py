"""Dates people type: one safe range and the form fields that hold it (issue 16, points 7-8).

A meeting dated 9999-12-31 broke the meetings list (its deadlines fall past year 9999), and a
huge day, month or year in a GOV.UK date field answered 500 (`OverflowError`, not the
`ValueError` the field catches). Every date a person types is between 1 January 2000 and
31 December 2100; outside that the form (or the service) says so in words.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
RANGE_MESSAGE = (
    f"Enter a date between {EARLIEST.day} January {EARLIEST.year} and "
    f"{LATEST.day} December {LATEST.year}"
)


def out_of_range(value: dt.date | None) -> str | None:
    """The message for a date outside the range, or None when it is fine (or empty)."""
    if value is None or EARLIEST <= value <= LATEST:
        return None
    return RANGE_MESSAGE


def check_in_range(value: dt.date | None) -> None:
    message = out_of_range(value)
    if message:
        raise ValidationError(message, code="date_range")


class SafeDateField(forms.DateField):
    """A `DateField` refusing dates outside 2000-2100 with a clear message."""

    default_validators = [check_in_range]


class SafeDateInputField(DateInputField):
    """The GOV.UK day / month / year field, never raising anything but a form error: numbers
    too big for a date (`OverflowError`), impossible days and years outside 2000-2100 each get
    a message."""

    default_validators = [check_in_range]

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        # No int() of a thousand digits, no OverflowError from date(): check sizes first.
        digits = [str(part).lstrip("0") or "0" for part in (day, month, year)]
        if any(len(part) > 4 for part in digits):
            raise ValidationError(f"Enter a real date: {RANGE_MESSAGE.lower()}", code="invalid")
        day, month, year = (int(part) for part in digits)
        if not 1 <= month <= 12:
            raise ValidationError("Enter a month from 1 to 12", code="invalid")
        if not EARLIEST.year <= year <= LATEST.year:
            raise ValidationError(RANGE_MESSAGE, code="date_range")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(
                f"Enter a real date: that month has no day {day}", code="invalid"
            ) from None
