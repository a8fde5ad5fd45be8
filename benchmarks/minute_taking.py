"""Count of the clerk's clicks to record a meeting: the old record screens against the
minute-taking mode (issue 13).

The scripted meeting: 9 agenda items, 22 voting members present, 2 declarations of interest,
4 decisions (2 of them by a vote) and 3 actions. Each way is driven through the real views with
Django's test client in a throwaway test database (SQLite in memory by default; PostgreSQL when
DATABASE_URL points at one, as `test_<name>` or TEST_DB_NAME), and the record it leaves is
checked to be the same. It prints, for each way, the full page loads (every HTML page the
browser draws, the page after a form's redirect included), the form submits, and the in-place
updates (htmx answers: part of a page, no page load).

    .venv/bin/python benchmarks/minute_taking.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.test_settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from committees.models import Committee, CommitteeRules, OfficeKind, Organisation  # noqa: E402
from meetings.agenda import services as agenda  # noqa: E402
from meetings.models import Action, Attendance, Decision, Declaration, Meeting  # noqa: E402
from members.models import Membership, Office, Person  # noqa: E402

DAY = dt.date(2026, 3, 10)
PRESENT = 22
DECLARATIONS = 2  # on items 5 and 6
DECISIONS = [  # (item position, by a vote?)
    (5, True),
    (6, False),
    (7, True),
    (8, False),
]
ACTIONS = [5, 7, 8]


@dataclass
class Count:
    pages: int = 0
    submits: int = 0
    in_place: int = 0
    choices: int = 0  # attendance statuses chosen one by one


class CountingClient:
    """Loads and submits as a browser would: a POST's redirect is followed by a page load."""

    def __init__(self, client: Client, *, htmx: bool = False) -> None:
        self.client, self.htmx, self.count = client, htmx, Count()

    def load(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        self.count.pages += 1
        return response.content.decode()

    def submit(self, url: str, data: dict) -> str:
        self.count.submits += 1
        extra = {"HTTP_HX_REQUEST": "true"} if self.htmx else {}
        response = self.client.post(url, data, **extra)
        if response.status_code == 302:
            return self.load(response["Location"])
        body = response.content.decode()
        assert response.status_code == 200, (url, response.status_code, _errors(body))
        if self.htmx:
            self.count.in_place += 1
        else:
            self.count.pages += 1
        return response.content.decode()


def _errors(body: str) -> list[str]:
    import re

    return re.findall(r"<li>([^<]{10,300})</li>", body)[:5]


def build(n: int) -> tuple[Meeting, list[Person], object]:
    committee = Committee.objects.create(
        name=f"Benchmark ICP {n}", slug=f"bench-{n}", short_name=f"Bench {n}"
    )
    CommitteeRules.objects.create(committee=committee, quorum_basis="fixed", quorum_number=9)
    org = Organisation.objects.create(name=f"Benchmark ICB {n}", kind="icb")
    people = []
    for k in range(PRESENT):
        person = Person.objects.create(
            first_name=f"Member{k:02}", last_name=f"Bench{n}", email=f"m{k}-{n}@example.org"
        )
        Membership.objects.create(
            committee=committee,
            person=person,
            role="member",
            voting=True,
            organisation=org,
            start=dt.date(2024, 1, 1),
        )
        people.append(person)
    Office.objects.create(
        committee=committee, person=people[0], kind=OfficeKind.CHAIR, start=dt.date(2024, 1, 1)
    )
    clerk = get_user_model().objects.create_user(f"clerk-{n}", password="x")
    committee.secretariat.add(clerk)
    meeting = Meeting.objects.create(committee=committee, date=DAY, start_time=dt.time(14))
    the_agenda = agenda.get_or_create_agenda(meeting=meeting)
    while the_agenda.items.count() < 9:
        agenda.add_item(
            agenda=the_agenda,
            by=None,
            title=f"Business {the_agenda.items.count()}",
            purpose="decision",
            description="For decision.",
        )
    return meeting, people, clerk


def _decision(by_vote: bool, k: int) -> dict:
    data = {"text": f"Approve the plan number {k}.", "method": "consensus"}
    if by_vote:
        data.update(method="vote", votes_for="14", votes_against="5", abstentions="2")
    return data


def _declaration(person: Person) -> dict:
    return {"person": person.pk, "interest": "Director of a provider", "action": "not_voting"}


def _action(person: Person, k: int) -> dict:
    return {"description": f"Report back {k}.", "owner": person.pk, "due": "2026-04-30"}


def old_screens(meeting: Meeting, people: list[Person], c: CountingClient) -> None:
    """The record screen and one page per item; back to the screen to reach the next item."""
    items = list(meeting.agenda.items.order_by("number"))
    screen = reverse("record:screen", args=[meeting.pk])
    c.load(screen)
    data = {"person": [p.pk for p in people]}
    data.update({f"status-{p.pk}": "present" for p in people})
    c.count.choices += len(people)  # one select per person, from "Not recorded"
    c.submit(reverse("record:attendance", args=[meeting.pk]), data)
    declared = iter(people[1 : 1 + DECLARATIONS])
    for position, item in enumerate(items, start=1):
        if position > 1:
            c.load(screen)  # back to the list of items
        c.load(reverse("record:item", args=[meeting.pk, item.pk]))
        if position in (5, 6):
            c.submit(
                reverse("record:declare", args=[meeting.pk, item.pk]), _declaration(next(declared))
            )
        for at, by_vote in DECISIONS:
            if at == position:
                c.submit(
                    reverse("record:decide", args=[meeting.pk, item.pk]), _decision(by_vote, at)
                )
        if position in ACTIONS:
            c.submit(
                reverse("record:action_add", args=[meeting.pk, item.pk]),
                _action(people[2], position),
            )
    c.load(reverse("record:minutes_edit", args=[meeting.pk]))


def mode(meeting: Meeting, people: list[Person], c: CountingClient) -> None:
    """Attendance ("All present"), then item by item with Next; saves update in place."""
    items = list(meeting.agenda.items.order_by("number"))
    start = reverse("record:mode", args=[meeting.pk])
    c.load(start)
    c.submit(start, {"all_present": "1"})
    # The grid comes back with everyone ticked present: no exceptions to change here.
    data = {f"status-{p.pk}": "present" for p in people}
    data["started-at"] = "14:02"
    c.submit(start, data)  # saves and lands on item 1
    declared = iter(people[1 : 1 + DECLARATIONS])

    def act(item, what, payload):
        c.submit(reverse("record:mode_act", args=[meeting.pk, item.pk, what]), payload)

    for position, item in enumerate(items, start=1):
        if position > 1:
            c.load(reverse("record:mode_item", args=[meeting.pk, item.pk]))  # Next
        if position in (5, 6):
            act(item, "declaration", _declaration(next(declared)))
        for at, by_vote in DECISIONS:
            if at == position:
                act(item, "decision", _decision(by_vote, at))
        if position in ACTIONS:
            act(item, "action", _action(people[2], position))
    close = reverse("record:mode_close", args=[meeting.pk])
    c.load(close)
    c.submit(close, {"finished-at": "15:48"})  # saves and lands on the minutes


def check(meeting: Meeting) -> None:
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == PRESENT
    assert Declaration.objects.filter(item__agenda__meeting=meeting).count() == DECLARATIONS
    decisions = Decision.objects.filter(meeting=meeting)
    assert decisions.count() == len(DECISIONS)
    assert decisions.filter(method="vote").count() == sum(v for _, v in DECISIONS)
    assert Action.objects.filter(meeting=meeting).count() == len(ACTIONS)


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = {}
        for n, (label, run, htmx) in enumerate(
            (("old record screens", old_screens, False), ("minute-taking mode", mode, True)),
            start=1,
        ):
            meeting, people, clerk = build(n)
            client = Client()
            client.force_login(clerk)
            counting = CountingClient(client, htmx=htmx)
            run(meeting, people, counting)
            check(meeting)
            results[label] = counting.count
        print(
            f"A 9-item meeting: {PRESENT} present, {DECLARATIONS} declarations, "
            f"{sum(v for _, v in DECISIONS)} votes, {len(DECISIONS)} decisions, "
            f"{len(ACTIONS)} actions ({connection.vendor})"
        )
        print(
            f"{'':22}{'page loads':>12}{'form submits':>14}{'in-place updates':>18}"
            f"{'attendance choices':>20}"
        )
        for label, count in results.items():
            print(
                f"{label:22}{count.pages:>12}{count.submits:>14}{count.in_place:>18}"
                f"{count.choices:>20}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
