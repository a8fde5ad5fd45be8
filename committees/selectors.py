"""Reads of the partnership's structure, and who may manage which committee.

Access is decided here and only here: views, the API and later feeds call these helpers, and a
committee a user may not manage is a 404 (never a 403) so its management screens do not leak.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from committees.models import Committee, CommitteeRules
from committees.tor_history import RulesRecord, version_in_force
from icp_secretariat.lib import public_cache


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


def is_administrator(user) -> bool:
    """An administrator of the installation (Django staff or superuser): keeps what spans
    partnerships, such as closure days for every committee and anyone's details."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def is_staff_user(user) -> bool:
    """Django staff, superuser, or secretariat of any committee.

    The one staff rule: who manages the directory (organisations, places, people), creates
    committees, keeps the closure days, and must use two-factor authentication.
    """
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.secretariat_of.exists()


# ---------------------------------------------------------------- the rules in force on a day


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def rules_on(committee: Committee, day: dt.date):
    """The committee's rules as they stood at the end of `day` (a historical record of
    CommitteeRules: its fields, `history_date`, `history_user` and `.instance` for `cite`), or
    None where no rules had been recorded by then."""
    record = (
        CommitteeRules.history.filter(committee_id=committee.pk, history_date__lte=_end_of(day))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None or record.history_type == "-":
        return None
    return record


def first_rules_record(committee: Committee):
    return (
        CommitteeRules.history.filter(committee_id=committee.pk)
        .order_by("history_date", "history_id")
        .first()
    )


def tor_version_on(committee: Committee, day: dt.date) -> RulesRecord | None:
    """The version of the committee's Terms of Reference a meeting on `day` was held under."""
    # The rules' history changes only with a write to the rules (its rows are written beside
    # them): read from the cache until then, so a meeting page rebuilt reads none of it.
    rows = public_cache.remember(
        f"tor-versions:{committee.pk}",
        (public_cache.model_topic(CommitteeRules),),
        lambda: list(
            CommitteeRules.history.filter(committee_id=committee.pk).values_list(
                "history_date", "tor_version", "tor_version_from"
            )
        ),
    )
    records = [
        RulesRecord(timezone.localtime(at).date(), version or "", version_from)
        for at, version, version_from in rows
    ]
    return version_in_force(records, day)
