"""The agenda service: standard items, numbering with Part 2 after Part 1, the Chair's agreement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.agenda import services
from meetings.agenda.rules import move, renumber
from meetings.errors import AgendaError
from meetings.models import Agenda, AgendaItem, Part


def titles(agenda):
    return [(i.number, i.part, i.title) for i in AgendaItem.objects.filter(agenda=agenda)]


def test_renumber_puts_part2_after_part1_and_keeps_order_within_parts():
    assert renumber([(10, 2), (11, 1), (12, 2), (13, 1)]) == [(11, 1), (13, 2), (10, 3), (12, 4)]


def test_move_swaps_neighbours_and_stops_at_the_ends():
    assert move([1, 2, 3], 2, "up") == [2, 1, 3]
    assert move([1, 2, 3], 1, "up") == [1, 2, 3]
    assert move([1, 2, 3], 3, "down") == [1, 2, 3]
    assert move([1, 2, 3], 2, "sideways") == [1, 2, 3]


def test_new_agenda_starts_with_the_standard_items(meeting):
    agenda = services.get_or_create_agenda(meeting=meeting)
    got = [t for _, _, t in titles(agenda)]
    assert got == [
        "Welcome, introductions and apologies for absence",
        "Declarations of interest",
        "Minutes of the last meeting, matters arising and action log",
        "Register of Members' Interests",
        "Any other business",
        "Date of next meeting",
    ]
    # Idempotent: a second call does not add them again.
    services.get_or_create_agenda(meeting=meeting)
    assert agenda.items.count() == 6


def test_business_items_go_before_aob_and_part2_after_everything(meeting, grounds, personas):
    agenda = services.get_or_create_agenda(meeting=meeting)
    by = personas["secretariat"]
    p2 = services.add_item(
        agenda=agenda,
        by=by,
        title="Contract award",
        part=Part.PRIVATE,
        part2_ground=grounds[0],
        public_description="A procurement decision",
    )
    strategy = services.add_item(agenda=agenda, by=by, title="Strategy refresh", purpose="decision")
    rows = titles(agenda)
    assert rows[4] == (5, 1, "Strategy refresh")
    assert rows[5][2] == "Any other business"
    # The exclusion of the press and public (issue 13) ends Part 1.
    assert rows[-2] == (8, 1, "Exclusion of the press and public")
    assert rows[-1] == (9, 2, "Contract award")
    # Moving the Part 2 item "up" never takes it above a Part 1 item.
    services.move_item(item=p2, direction="up", by=by)
    assert titles(agenda)[-1] == (9, 2, "Contract award")
    # Moving a Part 1 item down past the last Part 1 item stays in Part 1.
    services.move_item(item=strategy, direction="down", by=by)
    assert [t for _, _, t in titles(agenda)][4:6] == ["Any other business", "Strategy refresh"]
    # Turning a Part 1 item into Part 2 renumbers it after the Part 1 items.
    services.update_item(
        item=AgendaItem.objects.get(pk=strategy.pk),
        by=by,
        part=Part.PRIVATE,
        part2_ground=grounds[1],
        public_description="A staffing matter",
    )
    assert [(n, p) for n, p, _ in titles(agenda)] == [
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 1),
        (5, 1),
        (6, 1),
        (7, 1),
        (8, 2),
        (9, 2),
    ]


def test_reorder_with_part2_first_is_still_saved_part1_first(meeting, grounds, personas):
    agenda = services.get_or_create_agenda(meeting=meeting)
    p2 = services.add_item(
        agenda=agenda,
        by=None,
        title="Secret",
        part=2,
        part2_ground=grounds[0],
        public_description="Private business",
    )
    ids = [p2.pk] + [i.pk for i in agenda.items.exclude(pk=p2.pk).order_by("number")]
    services.reorder_items(agenda=agenda, order=ids, by=None)
    assert AgendaItem.objects.get(pk=p2.pk).number == 8  # after the exclusion item (issue 13)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"part": 2, "public_description": "x"}, "ground"),
        ({"part": 2, "ground": True, "public_description": "  "}, "public description"),
        ({"title": "  "}, "title"),
    ],
)
def test_part2_item_needs_a_ground_and_public_description(meeting, grounds, fields, message):
    agenda = services.get_or_create_agenda(meeting=meeting)
    fields = dict(fields)
    if fields.pop("ground", False):
        fields["part2_ground"] = grounds[0]
    fields.setdefault("title", "Item")
    with pytest.raises(AgendaError, match=message):
        services.add_item(agenda=agenda, by=None, **fields)
    assert agenda.items.count() == 6


def test_part2_ground_from_another_committee_is_refused(meeting, other_committee):
    from committees.models import Part2Ground

    foreign = Part2Ground.objects.create(committee=other_committee, reference="X", text="Other")
    agenda = services.get_or_create_agenda(meeting=meeting)
    with pytest.raises(AgendaError, match="this committee"):
        services.add_item(
            agenda=agenda, by=None, title="T", part=2, part2_ground=foreign, public_description="P"
        )


def _agreed(meeting, people):
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    return services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)


def test_chair_agrees_and_secretariat_is_told(meeting, people):
    from communications.models import OutboxMessage

    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    to_chair = OutboxMessage.objects.get(
        message_name="agenda_for_agreement", recipient="chair@example.org"
    )
    assert f"/my/meetings/{meeting.pk}/agenda/" in to_chair.body_text
    agenda.refresh_from_db()
    agenda = services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    assert agenda.state == Agenda.State.AGREED
    assert agenda.agreed_by == people["chair"]
    assert OutboxMessage.objects.filter(message_name="agenda_agreed").exists()


def test_under_km_rule_only_the_chair_agrees_a_member_or_leadership_team_may_not(meeting, people):
    """K&M ToR 12.1.1: "Agreement of the agenda with the Chair" (the default rule)."""
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    with pytest.raises(AgendaError, match="agreed by the Chair .*not one of them"):
        services.agree_agenda(agenda=agenda, by=people["member"], version=agenda.version)
    with pytest.raises(AgendaError):
        services.agree_agenda(agenda=agenda, by=people["secretariat"], version=agenda.version)
    with pytest.raises(AgendaError, match="not one of them"):
        services.agree_agenda(agenda=agenda, by=people["leadership"], version=agenda.version)
    agenda = services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)
    assert agenda.state == Agenda.State.AGREED


def test_any_change_after_agreement_needs_agreement_again(meeting, people):
    agenda = _agreed(meeting, people)
    v = agenda.version
    services.add_item(agenda=agenda, by=people["secretariat"], title="Late addition")
    agenda.refresh_from_db()
    assert agenda.state == Agenda.State.DRAFT
    assert agenda.version == v + 1
    assert agenda.agreed_at is None
    with pytest.raises(AgendaError, match="not agreed"):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def test_chair_cannot_agree_a_version_they_did_not_see(meeting, people):
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    seen = agenda.version
    services.add_item(agenda=agenda, by=people["secretariat"], title="Sneaky change")
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    with pytest.raises(AgendaError, match="changed"):
        services.agree_agenda(agenda=agenda, by=people["chair"], version=seen)


def test_return_with_comments_needs_comments_and_goes_back(meeting, people):
    from communications.models import OutboxMessage

    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    with pytest.raises(AgendaError, match="Say what should change"):
        services.return_agenda(agenda=agenda, by=people["chair"], comments="  ")
    services.return_agenda(agenda=agenda, by=people["chair"], comments="Add the finance report")
    agenda.refresh_from_db()
    assert agenda.state == Agenda.State.RETURNED
    assert (
        "Add the finance report"
        in OutboxMessage.objects.get(message_name="agenda_returned").body_text
    )
    with pytest.raises(AgendaError, match="not agreed"):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def test_dispatched_agenda_items_cannot_change(meeting, people):
    agenda = _agreed(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    item = agenda.items.first()
    with pytest.raises(AgendaError, match="dispatched"):
        services.update_item(item=item, by=people["secretariat"], title="Changed")
    with pytest.raises(AgendaError, match="already"):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def test_renumbering_costs_the_same_queries_for_a_long_agenda(meeting):
    agenda = services.get_or_create_agenda(meeting=meeting)

    def reverse_all() -> tuple[int, list[int]]:
        order = list(agenda.items.order_by("number").values_list("pk", flat=True))[::-1]
        with CaptureQueriesContext(connection) as ctx:
            services.reorder_items(agenda=agenda, order=order, by=None)
        return len(ctx.captured_queries), order

    def add(n: int) -> None:
        for k in range(n):
            services.add_item(agenda=agenda, by=None, title=f"Item {k}", part=1)

    add(4)
    short, order = reverse_all()
    # Every item took the number of its place in the order given (all Part 1 here).
    assert list(agenda.items.order_by("number").values_list("pk", flat=True)) == order
    assert list(agenda.items.order_by("number").values_list("number", flat=True)) == list(
        range(1, len(order) + 1)
    )
    add(20)
    long, order = reverse_all()
    assert list(agenda.items.order_by("number").values_list("pk", flat=True)) == order
    assert long == short  # one statement renumbers them all, not one a row
