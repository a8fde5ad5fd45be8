"""Reads of the partnership's structure, and who may manage which committee.

Access is decided here and only here: views, the API and later feeds call these helpers, and a
committee a user may not manage is a 404 (never a 403) so its management screens do not leak.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from committees.models import Committee


def committees_for_secretariat(user) -> QuerySet[Committee]:
    """The committees a user runs: those they are secretariat of, or all for a superuser."""
    if not user.is_authenticated:
        return Committee.objects.none()
    qs = Committee.objects.select_related("parent").order_by("name")
    if user.is_superuser:
        return qs
    return qs.filter(secretariat=user)


def get_committee_for_secretariat(user, slug: str) -> Committee:
    """The committee with this slug if the user may manage it, else Http404."""
    committee = committees_for_secretariat(user).filter(slug=slug).first()
    if committee is None:
        raise Http404("No such committee")
    return committee


def is_staff_user(user) -> bool:
    """Django staff, superuser, or secretariat of any committee.

    The one staff rule: who manages the directory (organisations, places, people), creates
    committees, keeps the closure days, and must use two-factor authentication.
    """
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.secretariat_of.exists()
