"""Whole numbers from what a request sends (a query string, a form's field or its name).

`str.isdigit()` is not the test for them: it is true of "²", which `int()` refuses (a 500), and
a run of digits can be past what the database's integers hold (a 500 on SQLite when the value
is bound, an error on PostgreSQL for a key it compares). A value that is not a whole number
here is treated as absent, or refused with a message, by the caller; never a 500.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as FormError
from django.db import models
from rest_framework.exceptions import ValidationError

# The largest key a table here can hold (a signed 64-bit integer, PostgreSQL's and SQLite's).
MAX_KEY = 2**63 - 1


def whole_number(raw: str | None, *, maximum: int = MAX_KEY) -> int | None:
    """`raw` as a whole number when it is written with the digits 0 to 9 only (no sign, no
    spaces) and is at most `maximum`; None otherwise."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(maximum)):
        return None
    value = int(raw)
    return value if value <= maximum else None


def api_whole_number(request, name: str, *, what: str) -> int | None:
    """An API filter's whole number (`?meeting=12`): None when not given; a 400 that says what
    to give when it is not a whole number, as for `limit` and `offset` (`lib.pagination`)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    value = whole_number(raw)
    if value is None:
        raise ValidationError({name: [f"Give {what}: a whole number."]})
    return value


def guard_choice_keys() -> None:
    """Once, from an AppConfig.ready(): a multiple choice of rows (checkboxes of people, say)
    refuses a posted key past the database's integers as "not a valid value", before Django's
    own check of the choices queries with it. On SQLite that query could not bind the number: a
    20-digit key in place of a checkbox's was a 500 (PostgreSQL found no such row)."""
    from django.forms.models import ModelMultipleChoiceField

    original = ModelMultipleChoiceField._check_values
    if getattr(original, "guards_keys", False):
        return

    def _check_values(self, value):
        opts = self.queryset.model._meta
        field = (
            opts.pk if (self.to_field_name or "pk") == "pk" else opts.get_field(self.to_field_name)
        )
        if isinstance(field, models.IntegerField) and isinstance(value, list | tuple):
            for key in value:
                digits = str(key).strip().removeprefix("-")
                if digits.isascii() and digits.isdigit() and whole_number(digits) is None:
                    raise FormError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": key},
                    )
        return original(self, value)

    _check_values.guards_keys = True
    ModelMultipleChoiceField._check_values = _check_values
