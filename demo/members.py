"""Demo register entries for the Kent & Medway and Mid & South Essex committees.

`load()` is idempotent: a person who already has an entry or a confirmation is left alone, and
a missing committee (or one without members yet) is skipped. Entries go through the services so
their history is real; a few history rows are moved back in time so "as it stood on" shows change.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from committees.models import Committee
from members import interests as svc
from members.models import Confirmation, Interest, InterestCategory, Membership

SLUGS = ("kent-medway-icp", "mid-south-essex-icp")


def _backdate(interest: Interest, when: dt.datetime) -> None:
    """Move the latest history row of `interest` (and its own timestamps) back to `when`."""
    latest = interest.history.order_by("-history_date", "-history_id").first()
    type(latest).objects.filter(history_id=latest.history_id).update(history_date=when)


def _people(committee: Committee) -> list:
    seen, people = set(), []
    memberships = (
        Membership.objects.current()
        .filter(committee=committee, role__in=svc.REGISTER_ROLES)
        .select_related("person")
        .order_by("seat__order", "pk")
    )
    for m in memberships:
        if m.person_id not in seen:
            seen.add(m.person_id)
            people.append(m.person)
    return [
        p
        for p in people
        if not Interest.objects.filter(person=p).exists()
        and not Confirmation.objects.filter(person=p).exists()
    ]


def _declare(person, category, involved, description, start, end=None, *, late=False) -> Interest:
    interest = svc.declare_interest(
        person=person,
        category=category,
        involved=involved,
        description=description,
        start_date=start,
        end_date=end,
    )
    if not late:
        _declared_in_time(interest)
    return interest


def _declared_in_time(interest: Interest) -> None:
    """As if declared when the member would have: ten days after the interest began or changed,
    or after their appointment if later (never after today), so that only the demo's deliberate
    late declaration is listed as late, not every entry the demo wrote today."""
    appointed = svc.appointed_on(interest.person)
    due = svc.declaration_due(changed_on=interest.changed_on, appointed_on=appointed)
    on = min(due - dt.timedelta(days=svc.DECLARE_WITHIN_DAYS - 10), timezone.localdate())
    late = svc.declaration_is_late(
        changed_on=interest.changed_on, declared_on=on, appointed_on=appointed
    )
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    Interest.objects.filter(pk=interest.pk).update(declared_at=at, is_late=late)
    interest.declared_at, interest.is_late = at, late


@transaction.atomic
def _load_committee(committee: Committee, staff, tag: str) -> None:
    # The withheld entry is the marker that this committee's demo register is already loaded.
    if Interest.objects.filter(involved=f"WITHHELD-INTEREST-{tag} body").exists():
        return
    people = _people(committee)
    if len(people) < 6:
        return
    now = timezone.now()
    today = timezone.localdate()
    a, b, c, d, e, f = people[:6]

    # A: published long ago, changed since and re-published: "as of" 60 days ago shows the old.
    entry = _declare(
        a,
        InterestCategory.FINANCIAL,
        "Medway Care Homes Ltd",
        "Non-executive director (paid)",
        dt.date(2019, 4, 1),
    )
    _backdate(entry, now - dt.timedelta(days=120))
    svc.publish_interest(interest=entry, by=staff)
    _backdate(entry, now - dt.timedelta(days=118))
    svc.update_interest(
        interest=entry,
        category=entry.category,
        involved=entry.involved,
        description="Chair of the board (paid)",
        start_date=entry.start_date,
        end_date=None,
        changed_on=today - dt.timedelta(days=20),
    )
    _backdate(entry, now - dt.timedelta(days=20))
    svc.publish_interest(interest=entry, by=staff)
    other = _declare(
        a,
        InterestCategory.NON_FINANCIAL_PERSONAL,
        "Kent Wildlife Trust",
        "Trustee (unpaid)",
        dt.date(2021, 9, 1),
    )
    svc.publish_interest(interest=other, by=staff)
    svc.confirm_register(person=a)

    # B: a councillor's registrable interests, published; one pending review.
    dpi = _declare(
        b,
        InterestCategory.COUNCILLOR_DPI,
        "Land at Rochester Riverside",
        "Owner of residential property let to tenants",
        dt.date(2016, 5, 1),
    )
    svc.publish_interest(interest=dpi, by=staff)
    _declare(
        b,
        InterestCategory.COUNCILLOR_ORI,
        "Medway Citizens Advice",
        "Member of the management committee",
        today - dt.timedelta(days=5),
    )

    # C: a withheld entry with the phrase the tests look for, and a published indirect one.
    withheld = _declare(
        c,
        InterestCategory.INDIRECT,
        f"WITHHELD-INTEREST-{tag} body",
        f"WITHHELD-INTEREST-{tag}: close relative employed at a refuge (address protected)",
        dt.date(2020, 1, 1),
    )
    svc.withhold_interest(
        interest=withheld, reason="Risk to the safety of a family member.", by=staff
    )
    indirect = _declare(
        c,
        InterestCategory.INDIRECT,
        "Maidstone and Tunbridge Wells NHS Trust",
        "Spouse employed as a consultant physician",
        dt.date(2012, 8, 1),
    )
    svc.publish_interest(interest=indirect, by=staff)

    # D and E: nil returns.
    svc.submit_nil_return(person=d)
    svc.submit_nil_return(person=e)

    # F: a late declaration (began 60 days ago), pending review, and an ended interest.
    _declare(
        f,
        InterestCategory.NON_FINANCIAL_PROFESSIONAL,
        "Royal College of General Practitioners",
        "Clinical adviser on integrated care",
        today - dt.timedelta(days=60),
        late=True,
    )
    ended = _declare(
        f,
        InterestCategory.FINANCIAL,
        "Digital Health Partners LLP",
        "Paid consultancy",
        dt.date(2022, 1, 1),
        today - dt.timedelta(days=40),
    )
    svc.publish_interest(interest=ended, by=staff)


def load() -> None:
    for slug, tag in zip(SLUGS, ("KM", "MSE"), strict=True):
        committee = Committee.objects.filter(slug=slug).first()
        if committee is None:
            continue
        staff = committee.secretariat.first()
        _load_committee(committee, staff, tag)
