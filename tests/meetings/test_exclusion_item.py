"""Issue 13: an automatic "Exclusion of the press and public" item stands before the Part 2
items, with the grounds of each Part 2 item, when (and only when) the meeting has Part 2
business; it follows the items as they change."""

from __future__ import annotations

import pytest

from meetings.agenda import services
from meetings.errors import AgendaError
from meetings.models import Part

pytestmark = pytest.mark.django_db


def _items(agenda):
    return list(agenda.items.order_by("number").values_list("number", "title", "part"))


def test_part2_business_brings_the_exclusion_item_with_its_grounds(meeting, grounds):
    agenda = services.get_or_create_agenda(meeting=meeting)
    assert not agenda.items.filter(standard_key="exclusion").exists()
    first = services.add_item(
        agenda=agenda,
        by=None,
        title="Riverside site",
        part=Part.PRIVATE,
        part2_ground=grounds[0],
        public_description="A property matter",
    )
    services.add_item(
        agenda=agenda,
        by=None,
        title="A staffing case",
        part=Part.PRIVATE,
        part2_ground=grounds[1],
        public_description="A staffing matter",
    )
    items = _items(agenda)
    titles = [t for _, t, _ in items]
    at = titles.index("Exclusion of the press and public")
    # Last of Part 1, straight before the Part 2 items.
    assert items[at][2] == Part.PUBLIC
    assert [p for _, _, p in items[at + 1 :]] == [Part.PRIVATE, Part.PRIVATE]
    exclusion = agenda.items.get(standard_key="exclusion")
    first.refresh_from_db()
    assert f"Item {first.number}: 7.1.2 Commercially sensitive" in (exclusion.description)
    assert "7.1.4 Information about individuals" in exclusion.description
    assert "Riverside" not in exclusion.description  # the public agenda never names Part 2
    assert "A property matter" not in exclusion.description  # cited by number and ground

    # A Part 1 item added later still goes before the closing items, not after the exclusion.
    services.add_item(agenda=agenda, by=None, title="Winter plan", part=Part.PUBLIC)
    titles = [t for _, t, _ in _items(agenda)]
    assert titles.index("Winter plan") < titles.index("Any other business")
    assert titles.index("Exclusion of the press and public") == len(titles) - 3

    with pytest.raises(AgendaError, match="Part 2"):
        services.delete_item(item=exclusion, by=None)


def test_the_exclusion_item_goes_when_the_part2_business_does(meeting, grounds):
    agenda = services.get_or_create_agenda(meeting=meeting)
    item = services.add_item(
        agenda=agenda,
        by=None,
        title="Riverside site",
        part=Part.PRIVATE,
        part2_ground=grounds[0],
        public_description="A property matter",
    )
    assert agenda.items.filter(standard_key="exclusion").exists()
    services.update_item(item=item, by=None, part=Part.PUBLIC)
    assert not agenda.items.filter(standard_key="exclusion").exists()
    numbers = [n for n, _, _ in _items(agenda)]
    assert numbers == list(range(1, len(numbers) + 1))
