"""Dates people type: one safe range and the form fields that hold it (issue 16, points 7-8).

A meeting dated 9999-12-31 broke the meetings list (its deadlines fall past year 9999), and a
huge day, month or year in a GOV.UK date field answered 500 (`OverflowError`, not the
`ValueError` the field catches). Every date a person types is between 1 January 2000 and
31 December 2100; outside that the form (or the service) says so in words.
"""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

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


_ISO = re.compile(r"^\s*(\d+)-(\d+)-(\d+)\s*$")


def _iso_parts(value: str) -> tuple[str, str, str] | None:
    """'2027-01-15' as ('15', '1', '2027') strings (not checked as a date), or None."""
    match = _ISO.match(value)
    if match is None:
        return None
    year, month, day = match.groups()
    return day, month, year


class DayMonthYearWidget(DateInputWidget):
    """The GOV.UK date input (three boxes: day, month, year, posted as `name_0`, `name_1`,
    `name_2`). It also takes one ISO value posted as `name` (`name=2027-01-15`), as scripts,
    API-like posts and older pages send it: the parts go through the same checks as typed boxes;
    a single value that is not ISO comes back as text, which the field refuses with a message."""

    def value_from_datadict(self, data, files, name):
        if any(f"{name}_{i}" in data for i in range(3)) or name not in data:
            return super().value_from_datadict(data, files, name)
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            return ["", "", ""]
        parts = _iso_parts(value)
        return list(parts) if parts else value

    def id_for_label(self, id_):
        # Labels and error summaries point at the first box (the day), as GOV.UK asks.
        return f"{id_}_0" if id_ else ""

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def decompress(self, value):
        if isinstance(value, str):
            return _iso_parts(value) or (None, None, None)
        return super().decompress(value)


class SafeDateInputField(DateInputField):
    """The GOV.UK day / month / year field, never raising anything but a form error: numbers
    too big for a date (`OverflowError`), impossible days and years outside 2000-2100 each get
    a message. The one date field of every form (issue 13: one date input pattern everywhere);
    its widget also takes a single ISO value (see `DayMonthYearWidget`).

    `any_year=True` lifts the 2000-2100 range (years 1-9999) for look-ups that are queries,
    not stored dates (the rules in force on a date)."""

    widget = DayMonthYearWidget
    default_validators = [check_in_range]
    earliest_year, latest_year = EARLIEST.year, LATEST.year

    def __init__(self, *, any_year: bool = False, error_messages=None, widget=None, **kwargs):
        if widget is not None and not isinstance(widget, forms.MultiWidget):
            # A leftover single `type="date"` input (forms.DateInput): always the three boxes.
            widget = None
        if widget is not None:
            kwargs["widget"] = widget
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)
        for part, name in zip(self.fields, ("day", "month", "year"), strict=True):
            part.validators = [RegexValidator(r"^[0-9]+$", f"Enter the {name} as a number")]
        self.error_messages["invalid"] = "Enter a real date as day, month and year"
        self.error_messages.update(error_messages or {})
        if any_year:
            self.earliest_year, self.latest_year = 1, 9999
            self.validators = [v for v in self.validators if v is not check_in_range]

    def clean(self, value):
        # Boxes holding only spaces are not empty to Django's check of a required field, and
        # each box cleans to nothing: without this a required date came back None (a clean_
        # method comparing it to today was a 500).
        result = super().clean(value)
        if result is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return result

    def has_changed(self, initial, data):
        if isinstance(data, str):
            return True
        return super().has_changed(initial, data)

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        # No int() of a thousand digits, no OverflowError from date(): check sizes first.
        digits = [str(part).strip().lstrip("0") or "0" for part in (day, month, year)]
        if any(len(part) > 4 for part in digits):
            raise ValidationError(f"Enter a real date: {RANGE_MESSAGE.lower()}", code="invalid")
        day, month, year = (int(part) for part in digits)
        if not 1 <= month <= 12:
            raise ValidationError("Enter a month from 1 to 12", code="invalid")
        if not self.earliest_year <= year <= self.latest_year:
            if self.earliest_year == EARLIEST.year and self.latest_year == LATEST.year:
                raise ValidationError(RANGE_MESSAGE, code="date_range")
            raise ValidationError("Enter a real year, for example 2025", code="invalid")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(
                f"Enter a real date: that month has no day {day}", code="invalid"
            ) from None


# One date field everywhere: forms that asked for the single `type="date"` input now get the
# GOV.UK day / month / year boxes under the same name.
SafeDateField = SafeDateInputField
