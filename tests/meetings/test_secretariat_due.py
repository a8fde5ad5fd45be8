"""Issue 13: the secretariat dashboard's "Due" list across its committees, most urgent first,
each line linking to where the work is done, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Committee, CommitteeRules
from communications.models import OutboxMessage
from meetings.agenda import services as agenda_services
from meetings.models import (
    Agenda,
    ItemRequest,
    Meeting,
    Minutes,
    Paper,
    SupplementaryAgenda,
)
from members.models import Interest, Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2030, 6, 3, 9, 0, tzinfo=dt.UTC)  # a Monday


def _busy_committee(committee, requester) -> dict:
    """A meeting in 3 days with no notice, papers not sent, its agenda waiting for the Chair and
    an item request pending; a meeting held a week ago with draft minutes; a failed email."""
    soon = Meeting.objects.create(
        committee=committee, date=dt.date(2030, 6, 6), start_time=dt.time(14), venue="Hall"
    )
    agenda = agenda_services.get_or_create_agenda(meeting=soon)
    Agenda.objects.filter(pk=agenda.pk).update(state=Agenda.State.AWAITING_CHAIR)
    ItemRequest.objects.create(
        meeting=soon,
        requested_by=requester,
        title="Dementia services",
        summary="s",
        why="w",
        timing=ItemRequest.Timing.ON_TIME,
    )
    held = Meeting.objects.create(
        committee=committee,
        date=dt.date(2030, 5, 27),
        start_time=dt.time(10),
        notice_given_at=TODAY - dt.timedelta(days=30),
        papers_dispatched_at=TODAY - dt.timedelta(days=20),
    )
    Minutes.objects.create(meeting=held)
    OutboxMessage.objects.create(
        recipient="x@example.org",
        message_name="notice",
        idempotency_key=f"k-{committee.pk}",
        committee=committee,
        subject="Notice",
        body_text="t",
        state=OutboxMessage.State.FAILED,
    )
    return {"soon": soon, "held": held}


def _after_dispatch(committee) -> Meeting:
    """A meeting in 4 days whose agenda and papers went out: supplementary agenda 1 waiting for
    the Chair; two late or revised papers readers have not been told of, and papers that are not
    to be announced (told already, replaced, still processing, an original)."""
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2030, 6, 7),
        start_time=dt.time(10),
        notice_given_at=TODAY - dt.timedelta(days=20),
        papers_dispatched_at=TODAY - dt.timedelta(days=6),
    )
    agenda = agenda_services.get_or_create_agenda(meeting=meeting)
    Agenda.objects.filter(pk=agenda.pk).update(
        state=Agenda.State.DISPATCHED, dispatched_at=TODAY - dt.timedelta(days=6)
    )
    SupplementaryAgenda.objects.create(
        agenda=agenda, number=1, state=SupplementaryAgenda.State.DISPATCHED
    )
    SupplementaryAgenda.objects.create(
        agenda=agenda, number=2, state=SupplementaryAgenda.State.AWAITING_CHAIR
    )
    item = agenda.items.order_by("number").first()

    def paper(title, status, **extra):
        return Paper.objects.create(
            item=item, title=title, storage_name="x.pdf", size=1, sha256="0" * 64,
            status=status, **extra,
        )  # fmt: skip

    paper("Original", Paper.Status.ORIGINAL)
    paper("Late one", Paper.Status.LATE)
    paper("Revised one", Paper.Status.REVISED)
    paper("Told already", Paper.Status.LATE, announced_at=TODAY - dt.timedelta(days=1))
    paper("Replaced", Paper.Status.LATE, is_current=False)
    paper("Processing", Paper.Status.LATE, is_current=False, state=Paper.State.PROCESSING)
    return meeting


@time_machine.travel(TODAY, tick=False)
def test_supplementary_agendas_and_unannounced_papers_are_due(client, personas, committee):
    meeting = _after_dispatch(committee)
    # Not yet dispatched: its late paper goes out with the agenda, nothing to announce.
    other = Meeting.objects.create(
        committee=committee, date=dt.date(2030, 6, 20), start_time=dt.time(10)
    )
    first = agenda_services.get_or_create_agenda(meeting=other).items.first()
    Paper.objects.create(
        item=first, title="t", storage_name="y.pdf", size=1, sha256="0" * 64, status="late"
    )
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("secretariat:dashboard")
    body = client.get(url).content.decode()
    due = body[body.index('id="due"') : body.index("</ul>", body.index('id="due"'))]
    supplement = reverse("agenda:supplementary", args=[meeting.pk, 2])
    assert f"Supplementary agenda 2 for {meeting} is waiting for the Chair" in due
    assert f'href="{supplement}"' in due and "Supplementary agenda 1 " not in due
    assert f"2 late or revised papers for {meeting} not yet announced" in due
    builder = reverse("agenda:builder", args=[meeting.pk])
    assert f'href="{builder}#papers-to-announce"' in due
    assert f"for {other} not yet announced" not in due
    # The link leads to the button, and once readers are told the line goes.
    assert "Tell members about these papers" in client.get(builder).content.decode()
    agenda_services.announce_papers(meeting=meeting, by=personas["secretariat"])
    assert "not yet announced" not in client.get(url).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_lists_what_is_due_most_urgent_first(client, personas, committee):
    made = _busy_committee(committee, personas["member"])
    soon, held = made["soon"], made["held"]
    Interest.objects.create(
        person=Person.objects.get(user=personas["member"]),
        category="financial",
        involved="Acme Ltd",
        description="Director",
        start_date=dt.date(2030, 1, 1),
        changed_on=dt.date(2030, 1, 1),
        declared_at=TODAY - dt.timedelta(days=2),
    )
    client.login(username="secretariat", password=PASSWORD)
    body = client.get(reverse("secretariat:dashboard")).content.decode()
    due = body[body.index('id="due"') : body.index("</ul>", body.index('id="due"'))]
    lines = [
        (f"Notice of {soon}", reverse("meetings_admin:meeting", args=[committee.slug, soon.pk])),
        (f"Agenda and papers for {soon}", reverse("agenda:builder", args=[soon.pk])),
        (f"The agenda for {soon} is waiting", reverse("agenda:builder", args=[soon.pk])),
        (f"1 item request for {soon}", reverse("agenda:requests", args=[soon.pk])),
        ("1 register of interests entry waiting", reverse("interests_admin:index")),
        ("1 email failed to send", reverse("communications:outbox") + "?state=failed"),
        (f"Draft minutes of {held} are ready", reverse("record:minutes_edit", args=[held.pk])),
    ]
    for text, url in lines:
        assert text in due, text
        assert f'href="{url}"' in due, url
    # Missed deadlines (notice and papers of a meeting in three days) come before the rest.
    assert due.index("Overdue") < due.index(f"Notice of {soon}")
    assert due.index(f"Notice of {soon}") < due.index(f"Draft minutes of {held}")
    assert due.index("1 email failed") < due.index("1 register of interests entry")


@time_machine.travel(TODAY, tick=False)
def test_an_agenda_awaiting_agreement_names_whose_by_the_committees_rule(
    client, personas, committee
):
    # Seen in the demo: the M&SE secretariat was told "The agenda ... is waiting for the
    # Chair's agreement. Record the Chair's agreement", but M&SE's agenda is agreed by the Chair
    # and every Vice-Chair.
    soon = _busy_committee(committee, personas["member"])["soon"]
    from html import unescape

    client.login(username="secretariat", password=PASSWORD)
    body = unescape(client.get(reverse("secretariat:dashboard")).content.decode())
    assert f"The agenda for {soon} is waiting for the Chair's agreement." in body
    committee.rules.agenda_agreed_by = CommitteeRules.AgendaAgreedBy.CHAIR_AND_VICE_CHAIRS
    committee.rules.save()
    body = unescape(client.get(reverse("secretariat:dashboard")).content.decode())
    assert (
        f"The agenda for {soon} is waiting for agreement by the Chair and every Vice-Chair." in body
    )
    assert "Record their agreements" in body and "Chair's agreement" not in body


@time_machine.travel(TODAY, tick=False)
def test_nothing_due_says_so(client, personas, committee):
    client.login(username="secretariat", password=PASSWORD)
    body = client.get(reverse("secretariat:dashboard")).content.decode()
    assert "Nothing is due" in body


@time_machine.travel(TODAY, tick=False)
def test_another_committees_work_is_not_listed(client, personas, committee):
    other = Committee.objects.create(name="Someone Else's", slug="else")
    CommitteeRules.objects.create(committee=other)
    made = _busy_committee(other, personas["member"])
    client.login(username="secretariat", password=PASSWORD)
    body = client.get(reverse("secretariat:dashboard")).content.decode()
    assert str(made["soon"]) not in body and "email failed" not in body


@time_machine.travel(TODAY, tick=False)
def test_the_due_list_costs_the_same_queries_for_many_committees(client, personas, committee):
    _busy_committee(committee, personas["member"])
    _after_dispatch(committee)
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("secretariat:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        extra = Committee.objects.create(name=f"Extra {n}", slug=f"extra-{n}")
        CommitteeRules.objects.create(committee=extra, holiday_region="WLS" if n % 2 else "ENG")
        extra.secretariat.add(personas["secretariat"])
        _busy_committee(extra, personas["member"])
        _after_dispatch(extra)
    with CaptureQueriesContext(connection) as five:
        body = client.get(url).content.decode()
    assert body.count("is waiting for the Chair") == 5 + 5
    assert body.count("late or revised papers") == 5
    assert len(five.captured_queries) == len(one.captured_queries), [
        q["sql"] for q in five.captured_queries
    ]
