"""What every meeting page reads of its committee and rarely changes (closure days, the ToR
versions in the rules' history, the previous minutes' PDFs) is kept in the cache under those
models' generation (issue 17: a rebuilt meeting page costs at most 10 queries). A write to
those models is seen at once; a value read inside a transaction that rolls back is not kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from committees.calendars import calendar_for
from committees.models import ClosureDay
from committees.selectors import tor_version_on

# Kept only in a shared cache (Redis); the demo's per-process cache reads every time.
pytestmark = pytest.mark.usefixtures("redis_url")

DAY = dt.date(2030, 12, 30)  # a Monday


def test_a_new_closure_day_is_seen_by_the_next_calendar(
    committee, django_capture_on_commit_callbacks, django_assert_num_queries
):
    rules = committee.rules
    with django_capture_on_commit_callbacks(execute=True):
        assert calendar_for(rules).is_working_day(DAY)
    with django_assert_num_queries(0):
        assert calendar_for(rules).is_working_day(DAY)  # kept: no query
    with django_capture_on_commit_callbacks(execute=True):
        ClosureDay.objects.create(committee=committee, date=DAY, description="Office closed")
    assert not calendar_for(rules).is_working_day(DAY)


def test_a_deleted_closure_day_is_gone_from_the_next_calendar(
    committee, django_capture_on_commit_callbacks
):
    day = ClosureDay.objects.create(committee=committee, date=DAY, description="Office closed")
    rules = committee.rules
    with django_capture_on_commit_callbacks(execute=True):
        assert not calendar_for(rules).is_working_day(DAY)
        day.delete()
    assert calendar_for(rules).is_working_day(DAY)


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_that_rolls_back_is_not_kept(committee):
    rules = committee.rules

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        ClosureDay.objects.create(committee=committee, date=DAY, description="Never saved")
        assert not calendar_for(rules).is_working_day(DAY)  # what the transaction sees
        raise Undo
    assert not ClosureDay.objects.exists()
    assert calendar_for(rules).is_working_day(DAY)


def test_a_new_tor_version_is_seen_by_the_next_meeting_page(
    committee, django_capture_on_commit_callbacks
):
    rules = committee.rules
    with django_capture_on_commit_callbacks(execute=True):
        before = tor_version_on(committee, dt.date(2031, 1, 10))
    with django_capture_on_commit_callbacks(execute=True):
        rules.tor_version = "Version 9 (test)"
        rules.tor_version_from = dt.date(2030, 1, 1)
        rules.save()
    after = tor_version_on(committee, dt.date(2031, 1, 10))
    assert after is not None and after != before
    assert after.version == "Version 9 (test)"
