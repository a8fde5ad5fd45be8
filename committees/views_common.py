"""Helpers shared by the secretariat views: access decorators and the form-then-service step."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm
from django.http import Http404

from committees.selectors import is_staff_user


def directory_manager_required(view: Callable) -> Callable:
    """Signed in (else to the login page) and a secretariat officer or staff (else 404)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_user(request.user):
            raise Http404("Not found")
        return view(request, *args, **kwargs)

    return wrapper


def add_validation_error(form: BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the form has
    that field, otherwise at the top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


def run_service(form: BaseForm, action: Callable[[dict[str, Any]], Any]) -> Any | None:
    """Validate the form, then call the service with its cleaned data. Returns the service's
    result, or None when the form (or the service's own validation) found a problem."""
    if not form.is_valid():
        return None
    try:
        return action(dict(form.cleaned_data))
    except ValidationError as exc:
        add_validation_error(form, exc)
        return None


def list_context(
    *, title: str, columns: list[str], rows: list[dict], **extra: Any
) -> dict[str, Any]:
    """Context for the generic secretariat list table: rows are {"url", "cells"}."""
    return {"title": title, "columns": columns, "rows": rows, **extra}
