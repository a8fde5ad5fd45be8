"""The register's rules: publication, history as of a date, lateness, the annual confirmation."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from members import interests as svc
from members.errors import InterestError
from members.models import Interest, InterestCategory, Person

LONDON = zoneinfo.ZoneInfo("Europe/London")
SECRET = "WITHHELD-INTEREST-test-9F3K"
PENDING_TEXT = "PENDING-ONLY-TEXT-7Q"


def at(y: int, m: int, d: int, h: int = 12) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=LONDON)


def person(user) -> Person:
    return Person.objects.get(user=user)


def declare(p: Person, involved: str, description: str, *, start=dt.date(2024, 1, 1), by=None):
    return svc.declare_interest(
        person=p,
        category=InterestCategory.FINANCIAL,
        involved=involved,
        description=description,
        start_date=start,
        by=by,
    )


# --- Pure rules -----------------------------------------------------------------------------


def test_declared_on_day_28_is_on_time_and_day_29_is_late():
    began = dt.date(2025, 3, 1)
    assert not svc.declaration_is_late(changed_on=began, declared_on=dt.date(2025, 3, 29))
    assert svc.declaration_is_late(changed_on=began, declared_on=dt.date(2025, 3, 30))


def test_interests_held_before_appointment_are_due_28_days_after_appointment():
    kw = {"changed_on": dt.date(2015, 6, 1), "appointed_on": dt.date(2025, 1, 10)}
    assert not svc.declaration_is_late(declared_on=dt.date(2025, 2, 7), **kw)
    assert svc.declaration_is_late(declared_on=dt.date(2025, 2, 8), **kw)


def test_confirmation_is_overdue_after_a_year():
    today = dt.date(2025, 6, 15)
    assert svc.confirmation_overdue(last_confirmed=None, today=today)
    assert not svc.confirmation_overdue(last_confirmed=dt.date(2024, 6, 16), today=today)
    assert svc.confirmation_overdue(last_confirmed=dt.date(2024, 6, 15), today=today)
    assert svc.one_year_before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


# --- Lateness and confirmation through the services -----------------------------------------


@pytest.mark.django_db
def test_late_flag_set_when_declared_more_than_28_days_after_it_began(personas):
    p = person(personas["member"])  # appointed 1 January 2024
    with time_machine.travel(at(2025, 4, 1), tick=False):
        on_time = declare(p, "Acme Ltd", "Director", start=dt.date(2025, 3, 10))
        late = declare(p, "Beta plc", "Shares", start=dt.date(2025, 2, 1))
    assert not on_time.is_late
    assert late.is_late
    # A change restarts the 28 days from the date of the change.
    with time_machine.travel(at(2025, 6, 1), tick=False):
        svc.update_interest(
            interest=on_time,
            category=on_time.category,
            involved="Acme Ltd",
            description="Chair",
            start_date=on_time.start_date,
            end_date=None,
            changed_on=dt.date(2025, 5, 20),
        )
    on_time.refresh_from_db()
    assert not on_time.is_late and on_time.state == Interest.State.PENDING


@pytest.mark.django_db
def test_annual_confirmation_flag_turns_on_a_year_after_confirming(personas, committee):
    p = person(personas["member"])
    with time_machine.travel(at(2025, 3, 1), tick=False):
        svc.confirm_register(person=p)
    with time_machine.travel(at(2026, 2, 28), tick=False):
        rows = {r.membership.person_id: r for r in svc.confirmation_status(committee)["rows"]}
        assert not rows[p.pk].overdue
        assert rows[person(personas["participant"]).pk].overdue  # never confirmed
    with time_machine.travel(at(2026, 3, 2), tick=False):
        rows = {r.membership.person_id: r for r in svc.confirmation_status(committee)["rows"]}
        assert rows[p.pk].overdue


@pytest.mark.django_db
def test_nil_return_refused_while_current_interests_exist(personas):
    p = person(personas["member"])
    declare(p, "Acme Ltd", "Director")
    with pytest.raises(InterestError, match="current interest"):
        svc.submit_nil_return(person=p)


# --- Publication rules ----------------------------------------------------------------------


@pytest.fixture
def register_states(personas):
    """member: one published, one pending, one withheld; participant: a nil return."""
    staff = personas["secretariat"]
    p = person(personas["member"])
    published = declare(p, "Published Trust", "Governor (unpaid)")
    svc.publish_interest(interest=published, by=staff)
    declare(p, "Pending Ltd", PENDING_TEXT)
    withheld = declare(p, "Sensitive body", SECRET)
    svc.withhold_interest(interest=withheld, reason="Personal safety", by=staff)
    svc.submit_nil_return(person=person(personas["participant"]))
    return {"published": published, "withheld": withheld}


@pytest.mark.django_db
def test_register_lists_only_published_entries(committee, register_states, personas):
    rows = svc.register_for(committee)
    by_person = {r.membership.person.user_id: r for r in rows}
    texts = [i.description for i in by_person[personas["member"].pk].interests]
    assert texts == ["Governor (unpaid)"]
    participant = by_person[personas["participant"].pk]
    assert participant.interests == [] and participant.membership.nil_return is not None
    # Observers are not on the register; members and participants are.
    assert personas["observer"].pk not in by_person
    assert personas["chair"].pk in by_person


@pytest.mark.django_db
def test_register_partial_never_renders_pending_or_withheld(committee, register_states):
    html = render_to_string(
        "members/includes/register_table.html", {"register": svc.register_for(committee)}
    )
    assert "Governor (unpaid)" in html
    assert "Nil return" in html
    assert SECRET not in html and "Sensitive body" not in html
    assert PENDING_TEXT not in html and "Pending Ltd" not in html


@pytest.mark.django_db
def test_public_page_and_api_never_show_pending_or_withheld(client, committee, register_states):
    page = client.get(reverse("interests:register", args=[committee.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Governor (unpaid)" in body
    assert SECRET not in body and PENDING_TEXT not in body

    api = client.get(f"/api/v1/interest-registers/{committee.slug}/")
    assert api.status_code == 200
    raw = api.content.decode()
    assert "Governor (unpaid)" in raw
    assert SECRET not in raw and PENDING_TEXT not in raw and "Personal safety" not in raw
    data = json.loads(raw)
    assert {e["person"] for e in data["entries"]} >= {"Member Persona", "Participant Persona"}


@pytest.mark.django_db
def test_withholding_a_published_entry_removes_it_everywhere(client, committee, personas):
    staff = personas["secretariat"]
    entry = declare(person(personas["member"]), "Clinic", SECRET)
    svc.publish_interest(interest=entry, by=staff)
    assert SECRET in client.get(f"/committees/{committee.slug}/interests/").content.decode()
    svc.withhold_interest(interest=entry, reason="Safety", by=staff)
    assert SECRET not in client.get(f"/committees/{committee.slug}/interests/").content.decode()
    assert (
        SECRET not in client.get(f"/api/v1/interest-registers/{committee.slug}/").content.decode()
    )


@pytest.mark.django_db
def test_withheld_entry_is_never_shown_for_an_earlier_date(client, committee, personas):
    """Published in January, withheld in March: the register as it stood in February (page,
    API, the register packs are built from, the declarations at a meeting) no longer shows it;
    the secretariat's history of the entry keeps it."""
    staff = personas["secretariat"]
    p = person(personas["member"])
    with time_machine.travel(at(2025, 1, 10), tick=False):
        entry = declare(p, "Refuge Trust", SECRET)
    with time_machine.travel(at(2025, 1, 12), tick=False):
        svc.publish_interest(interest=entry, by=staff)
    with time_machine.travel(at(2025, 3, 1), tick=False):
        svc.withhold_interest(interest=entry, reason="Personal safety", by=staff)
    with time_machine.travel(at(2025, 4, 1), tick=False):
        for day in (dt.date(2025, 2, 1), dt.date(2025, 1, 12), None):
            rows = svc.register_for(committee, day)
            assert [i for r in rows for i in r.interests] == []
        when = svc.end_of_day(dt.date(2025, 2, 1))
        assert svc.published_interests([p.pk], when) == {}
        page = client.get(f"/committees/{committee.slug}/interests/?as_of=2025-02-01")
        assert page.status_code == 200
        assert SECRET not in page.content.decode()
        assert "Refuge Trust" not in page.content.decode()
        api = client.get(f"/api/v1/interest-registers/{committee.slug}/?as_of=2025-02-01")
        assert api.status_code == 200
        assert SECRET not in api.content.decode()
        client.force_login(staff)
        history = client.get(reverse("interests_admin:review", args=[entry.pk]))
        assert history.status_code == 200
        assert SECRET in history.content.decode()
    # Published again by the secretariat, it is shown again.
    with time_machine.travel(at(2025, 5, 1), tick=False):
        svc.publish_interest(interest=entry, by=staff)
        shown = [i.description for r in svc.register_for(committee) for i in r.interests]
        assert shown == [SECRET]


@pytest.mark.django_db
def test_withholding_needs_a_reason(personas):
    entry = declare(person(personas["member"]), "Clinic", "GP partner")
    with pytest.raises(InterestError, match="reason"):
        svc.withhold_interest(interest=entry, reason="  ", by=personas["secretariat"])


# --- History ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_as_it_stood_on_an_earlier_date_shows_the_old_text(client, committee, personas):
    staff = personas["secretariat"]
    p = person(personas["member"])
    with time_machine.travel(at(2025, 1, 10), tick=False):
        entry = declare(p, "Acme Ltd", "Non-executive director")
    with time_machine.travel(at(2025, 1, 12), tick=False):
        svc.publish_interest(interest=entry, by=staff)
    with time_machine.travel(at(2025, 3, 1), tick=False):
        svc.update_interest(
            interest=entry,
            category=entry.category,
            involved="Acme Ltd",
            description="Chair of the board",
            start_date=entry.start_date,
            end_date=None,
            changed_on=dt.date(2025, 2, 20),
        )
    with time_machine.travel(at(2025, 3, 5), tick=False):
        # Pending after the edit: the public still sees the last published text, not the new.
        now_rows = svc.register_for(committee)
        shown = [i.description for r in now_rows for i in r.interests]
        assert shown == ["Non-executive director"]
        svc.publish_interest(interest=entry, by=staff)

    with time_machine.travel(at(2025, 4, 1), tick=False):

        def texts(day):
            return [i.description for r in svc.register_for(committee, day) for i in r.interests]

        assert texts(dt.date(2025, 1, 11)) == []  # declared, not yet published
        assert texts(dt.date(2025, 2, 1)) == ["Non-executive director"]
        assert texts(dt.date(2025, 3, 6)) == ["Chair of the board"]
        page = client.get(f"/committees/{committee.slug}/interests/?as_of=2025-02-01")
        body = page.content.decode()
        assert "Non-executive director" in body and "Chair of the board" not in body
        assert "as it stood on 1 February 2025" in body
        api = client.get(f"/api/v1/interest-registers/{committee.slug}/?as_of=2025-02-01").json()
        descriptions = [i["description"] for e in api["entries"] for i in e["interests"]]
        assert descriptions == ["Non-executive director"]


@pytest.mark.django_db
def test_bad_as_of_date_gets_a_message_not_an_error(client, committee):
    page = client.get(f"/committees/{committee.slug}/interests/?as_of=31/02/2025")
    assert page.status_code == 200
    assert "is not a date" in page.content.decode()
    api = client.get(f"/api/v1/interest-registers/{committee.slug}/?as_of=nonsense")
    assert api.status_code == 400


@pytest.mark.django_db
def test_register_query_count_does_not_grow_with_size(
    committee, personas, django_assert_max_num_queries
):
    staff = personas["secretariat"]
    for key in ("member", "chair", "participant"):
        for n in range(4):
            e = declare(person(personas[key]), f"Body {n}", f"Role {n}")
            svc.publish_interest(interest=e, by=staff)
    with django_assert_max_num_queries(3):
        rows = svc.register_for(committee)
        assert sum(len(r.interests) for r in rows) == 12
        [r.membership.seat_title for r in rows]
        [i.get_category_display() for r in rows for i in r.interests]


# --- Demo -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_loads_every_state_once_and_keeps_withheld_private(client, committee, personas):
    from committees.models import Role, Seat
    from demo import members as demo
    from members.models import Membership

    committee.slug = "kent-medway-icp"
    committee.save()
    for n in range(6):
        p = Person.objects.create(first_name=f"Demo{n}", last_name="Person", email=f"d{n}@x.org")
        seat = Seat.objects.create(committee=committee, title=f"Demo seat {n}", role=Role.MEMBER)
        Membership.objects.create(
            committee=committee, person=p, role=Role.MEMBER, seat=seat, start=dt.date(2023, 1, 1)
        )
    demo.load()
    counts = {s: Interest.objects.filter(state=s).count() for s in Interest.State.values}
    demo.load()
    assert counts == {s: Interest.objects.filter(state=s).count() for s in Interest.State.values}
    assert all(counts.values())
    # Seen in the demo: six "late declarations", interests from 2012 and 2016 among them, all
    # declared the day the demo was loaded. Only the one the demo means to be late is late,
    # and every entry was declared when the rule says it was (none after today).
    late = Interest.objects.filter(is_late=True)
    assert list(late.values_list("involved", flat=True)) == [
        "Royal College of General Practitioners"
    ]
    for entry in Interest.objects.select_related("person"):
        declared = timezone.localdate(entry.declared_at)
        assert declared <= timezone.localdate()
        assert entry.is_late == svc.declaration_is_late(
            changed_on=entry.changed_on,
            declared_on=declared,
            appointed_on=svc.appointed_on(entry.person),
        )
    body = client.get("/committees/kent-medway-icp/interests/").content.decode()
    assert "Nil return" in body and "Chair of the board" in body
    assert "WITHHELD-INTEREST-" not in body
