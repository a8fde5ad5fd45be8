"""Six years of public record (issue 19, point 3): the retention job removes the personal data
each committee's rule says (non-members' attendance, former members' interests, alert
subscriptions not confirmed) and nothing else, logs what it removed, and the public site prints
the policy with an archive by year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import CommitteeRules, RetentionLog, RetentionRule, Role
from communications.models import Subscription
from meetings.models import Attendance, Decision, Meeting, Minutes
from members.models import Interest, Membership, Person
from public_site.retention import apply_retention
from public_site.tasks import apply_retention as apply_retention_task

NOW = dt.datetime(2030, 6, 1, 3, 0, tzinfo=dt.UTC)


def _person(name: str) -> Person:
    return Person.objects.create(first_name=name, last_name="Test", email=f"{name}@example.org")


def _member(committee, person, *, end=None, role=Role.MEMBER):
    return Membership.objects.create(
        committee=committee,
        person=person,
        role=role,
        voting=role == Role.MEMBER,
        start=dt.date(2024, 1, 1),
        end=end,
    )


def _interest(person) -> Interest:
    return Interest.objects.create(
        person=person,
        category="financial",
        involved="Acme Ltd",
        description="Shares",
        start_date=dt.date(2024, 1, 1),
        changed_on=dt.date(2024, 1, 1),
        declared_at=timezone.now(),
        state=Interest.State.PUBLISHED,
    )


def _attend(meeting, person, capacity) -> Attendance:
    return Attendance.objects.create(meeting=meeting, person=person, capacity=capacity)


def _subscription(committee, email, *, created, confirmed=None, unsubscribed=None):
    s = Subscription.objects.create(committee=committee, email=email)
    Subscription.objects.filter(pk=s.pk).update(
        created_at=created, confirmed_at=confirmed, unsubscribed_at=unsubscribed
    )
    return s


@pytest.fixture
def retention_world(committee, db):
    from committees.models import Committee

    other = Committee.objects.create(name="Other", slug="other")
    CommitteeRules.objects.create(committee=other)
    RetentionRule.objects.create(committee=committee, non_member_attendance_months=12)
    RetentionRule.objects.create(committee=other, non_member_attendance_months=36)
    old = Meeting.objects.create(committee=committee, date=dt.date(2028, 1, 10), start_time="10:00")
    recent = Meeting.objects.create(
        committee=committee, date=dt.date(2030, 3, 1), start_time="10:00"
    )
    other_old = Meeting.objects.create(
        committee=other, date=dt.date(2028, 1, 10), start_time="10:00"
    )
    member, participant, deputy = _person("member"), _person("participant"), _person("deputy")
    _member(committee, member)
    _member(committee, participant, role=Role.PARTICIPANT)
    guest, watcher = _person("guest"), _person("watcher")
    kept = {
        _attend(old, member, Attendance.Capacity.MEMBER).pk,
        _attend(old, participant, Attendance.Capacity.PARTICIPANT).pk,
        _attend(old, deputy, Attendance.Capacity.DEPUTY).pk,
        _attend(recent, guest, Attendance.Capacity.ATTENDEE).pk,
        _attend(other_old, watcher, Attendance.Capacity.OBSERVER).pk,  # its rule: 36 months
    }
    removed = {
        _attend(old, guest, Attendance.Capacity.ATTENDEE).pk,
        _attend(old, watcher, Attendance.Capacity.OBSERVER).pk,
    }
    left_long_ago, left_lately, moved_on, never = (
        _person("left"),
        _person("lately"),
        _person("moved"),
        _person("never"),
    )
    _member(committee, left_long_ago, end=dt.date(2029, 6, 1))  # 12 months > 6
    _member(committee, left_lately, end=dt.date(2030, 3, 1))  # 3 months < 6
    _member(committee, moved_on, end=dt.date(2029, 1, 1))
    _member(other, moved_on)  # still on another committee
    interests_removed = {_interest(left_long_ago).pk, _interest(left_long_ago).pk}
    interests_kept = {_interest(p).pk for p in (left_lately, moved_on, never, member)}
    day = dt.timedelta(days=1)
    subs_removed = {
        _subscription(committee, "a@example.org", created=NOW - 61 * day).pk,
        _subscription(
            committee,
            "b@example.org",
            created=NOW - 400 * day,
            confirmed=NOW - 399 * day,
            unsubscribed=NOW - 45 * day,
        ).pk,
    }
    subs_kept = {
        _subscription(committee, "c@example.org", created=NOW - 10 * day).pk,
        _subscription(
            committee, "d@example.org", created=NOW - 400 * day, confirmed=NOW - 399 * day
        ).pk,
        _subscription(
            committee,
            "e@example.org",
            created=NOW - 400 * day,
            confirmed=NOW - 399 * day,
            unsubscribed=NOW - 5 * day,
        ).pk,
    }
    return {
        "committee": committee,
        "attendance": (kept, removed),
        "interests": (interests_kept, interests_removed),
        "subscriptions": (subs_kept, subs_removed),
    }


def test_the_job_removes_what_the_rule_says_and_nothing_else(retention_world, time_machine):
    time_machine.move_to(NOW)
    w = retention_world
    counts = {m: m.objects.count() for m in (Meeting, Minutes, Decision, Membership, Person)}
    history_before = Interest.history.filter(id__in=w["interests"][1]).count()
    assert history_before == 2

    assert apply_retention_task() == 2 + 2 + 2  # the Celery task runs the same job

    kept, removed = w["attendance"]
    assert set(Attendance.objects.values_list("pk", flat=True)) == kept
    assert not Attendance.history.filter(id__in=removed).exists()
    kept, removed = w["interests"]
    assert set(Interest.objects.values_list("pk", flat=True)) == kept
    assert not Interest.history.filter(id__in=removed).exists()
    assert Interest.history.filter(id__in=kept).count() == len(kept)
    kept, removed = w["subscriptions"]
    assert set(Subscription.objects.values_list("pk", flat=True)) == kept
    assert counts == {m: m.objects.count() for m in counts}  # the record and people stay

    logs = {(log.kind, log.count) for log in RetentionLog.objects.filter(committee=w["committee"])}
    assert logs == {("attendance", 2), ("interests", 2), ("subscription", 2)}
    text = " ".join(RetentionLog.objects.values_list("detail", flat=True))
    assert "guest" not in text.lower() and "@" not in text  # the log holds no personal data

    assert apply_retention() == []  # a second run finds nothing more


def test_the_rule_keeps_six_years_at_least_and_says_so_clearly(client, personas, committee):
    client.force_login(personas["secretariat"])
    url = reverse("secretariat:retention_edit", args=[committee.slug])
    response = client.post(
        url,
        {
            "record_years": "3",
            "non_member_attendance_months": "12",
            "former_member_interests_months": "2",
            "unconfirmed_subscription_days": "30",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Keep the public record for at least 6 years." in body
    assert "at least six months" in body
    assert not RetentionRule.objects.filter(committee=committee).exists()
    ok = client.post(
        url,
        {
            "record_years": "10",
            "non_member_attendance_months": "12",
            "former_member_interests_months": "6",
            "unconfirmed_subscription_days": "30",
        },
    )
    assert ok.status_code == 302
    assert RetentionRule.objects.get(committee=committee).record_years == 10
    client.force_login(personas["member"])
    assert client.get(url).status_code == 404


def test_public_site_prints_the_policy_and_an_archive_by_year(client, committee, time_machine):
    time_machine.move_to(NOW)
    for year in (2024, 2027, 2029):
        Meeting.objects.create(committee=committee, date=dt.date(year, 3, 1), start_time="10:00")
    RetentionRule.objects.create(committee=committee, non_member_attendance_months=18)
    page = client.get(committee.get_absolute_url()).content.decode()
    assert "Archive by year" in page
    for year in (2024, 2027, 2029):
        assert f"{reverse('public:meetings', args=['test-jc'])}?year={year}" in page
    # the 2024 meetings are six years old and still listed
    past = client.get(reverse("public:meetings", args=["test-jc"]) + "?year=2024")
    assert past.status_code == 200 and "1 March 2024" in past.content.decode()
    policy = client.get(reverse("public:record_policy", args=["test-jc"])).content.decode()
    assert "at least <strong>6 years</strong>" in policy
    assert "18 months after the meeting" in policy
