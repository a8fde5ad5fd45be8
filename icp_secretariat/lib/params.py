"""Whole numbers from what a request sends (a query string, a form's field or its name).

`str.isdigit()` is not the test for them: it is true of "²", which `int()` refuses (a 500), and
a run of digits can be past what the database's integers hold (a 500 on SQLite when the value
is bound, an error on PostgreSQL for a key it compares). A value that is not a whole number
here is treated as absent, or refused with a message, by the caller; never a 500.
"""

from __future__ import annotations

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
