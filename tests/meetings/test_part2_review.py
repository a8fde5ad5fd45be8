"""Part 2 that lapses (issue 19, point 2): a review date per Part 2 item, a reminder when it
falls due (beat job and a line on the secretariat's screens), and the two explicit steps:
re-publish as Part 1 (recorded, public everywhere, new pack and minutes) or extend with a reason.
Nothing Part 2 becomes public without the step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from communications.models import OutboxMessage
from documents.models import DocumentBuild
from meetings.errors import ConductError
from meetings.minutes import part2_review
from meetings.models import Decision, Minutes, Part, Part2Review
from meetings.tasks import plan_part2_review_reminders
from public_site.search import run_search
from tests.meetings.conftest import SECRET_TITLE
from tests.meetings.test_access import dispatch, login, paper_url

DUE = dt.date(2030, 9, 1)


@pytest.fixture
def lapsing(world):
    """The public meeting dispatched, its Part 2 item with a decision, published minutes and a
    review date that has come."""
    meeting, people = world["meeting"], world["people"]
    dispatch(meeting, people)
    item = meeting.agenda.items.get(part=Part.PRIVATE)
    item.part2_review_date = DUE
    item.save()
    Decision.objects.create(
        item=item,
        meeting=meeting,
        committee=meeting.committee,
        year=2030,
        sequence=1,
        number="TJC/2030/01",
        part=Part.PRIVATE,
        text="LAPSING-DECISION-TEXT",
        public_summary="A property matter was decided.",
    )
    Minutes.objects.create(
        meeting=meeting,
        state=Minutes.State.PUBLISHED,
        sections=[
            {"key": "present", "heading": "Present", "part": 1, "text": "Everyone."},
            {
                "key": f"item-{item.pk}",
                "heading": "9. Riverside",
                "part": 2,
                "text": "SECRET-MINUTE",
            },
        ],
    )
    return dict(world, item=item)


def _public_sees(world, client) -> dict[str, bool]:
    anon = AnonymousUser()
    meeting = world["meeting"]
    hits = {h.url for h in run_search(anon, "valuation report")}
    api_papers = client.get("/api/v1/papers/").content.decode()
    api_items = client.get("/api/v1/agenda-items/").content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    minutes = client.get(reverse("record:minutes", args=["test-jc", meeting.pk])).content.decode()
    register = client.get(reverse("record:decisions", args=["test-jc"])).content.decode()
    embed = client.get(reverse("embed:agenda", args=["test-jc", meeting.pk])).content.decode()
    paper = paper_url(world["pub_p2"])
    return {
        "search": paper in hits,
        "api papers": str(world["pub_p2"].public_id) in api_papers,
        "api items": SECRET_TITLE in api_items,
        "page": paper in page and SECRET_TITLE in page,
        "paper": client.get(paper).status_code == 200,
        "minutes": "SECRET-MINUTE" in minutes,
        "decision": "LAPSING-DECISION-TEXT" in register,
        "embed": SECRET_TITLE in embed,
    }


def test_a_lapsed_item_is_public_only_after_the_explicit_step(lapsing, time_machine):
    time_machine.move_to(dt.datetime(2030, 9, 2, 9, 0))
    client = Client()
    before = _public_sees(lapsing, client)
    assert not any(before.values()), before  # the date passing publishes nothing

    item = lapsing["item"]
    sec = lapsing["people"]["secretariat"]
    review = part2_review.republish_item(item=item, reason="Contract awarded on 1 August.", by=sec)
    assert review.action == Part2Review.Action.REPUBLISHED and review.by == sec
    assert review.ground.startswith("7.1.2") and review.old_review_date == DUE

    after = _public_sees(lapsing, client)
    assert all(after.values()), after
    page = client.get(lapsing["meeting"].get_absolute_url()).content.decode()
    assert "when the ground for confidentiality lapsed" in page
    # a new version of the public pack and of the minutes
    assert DocumentBuild.objects.filter(meeting=lapsing["meeting"], reason__contains="re-published")
    current = Minutes.objects.get(meeting=lapsing["meeting"], is_current=True)
    assert current.version == 2 and current.is_published
    assert "Contract awarded" in current.reason
    assert Minutes.objects.get(meeting=lapsing["meeting"], version=1).sections[1]["part"] == 2


def test_republish_and_extend_refuse_without_a_reason_or_a_future_date(lapsing, time_machine):
    time_machine.move_to(dt.datetime(2030, 9, 2, 9, 0))  # both meetings held
    item = lapsing["item"]
    with pytest.raises(ConductError, match="Say why"):
        part2_review.republish_item(item=item, reason="  ")
    with pytest.raises(ConductError, match="after today"):
        part2_review.extend_review(
            item=item, new_date=dt.date(2030, 1, 1), reason="x", today=dt.date(2030, 9, 2)
        )
    with pytest.raises(ConductError, match="private"):
        private_item = lapsing["private"].agenda.items.get(part=Part.PRIVATE)
        part2_review.republish_item(item=private_item, reason="Lapsed.")
    item.refresh_from_db()
    assert item.part == Part.PRIVATE and not Part2Review.objects.exists()


def test_reminder_when_due_once_and_a_line_the_secretariat_sees(lapsing, time_machine):
    people = lapsing["people"]
    time_machine.move_to(dt.datetime(2030, 8, 31, 9, 0))
    assert plan_part2_review_reminders() == 0
    time_machine.move_to(dt.datetime(2030, 9, 1, 9, 0))
    assert plan_part2_review_reminders() == 1
    assert plan_part2_review_reminders() == 0  # once per review date
    message = OutboxMessage.objects.get(message_name=part2_review.PART2_REVIEW_DUE)
    assert message.recipient == people["secretariat"].email
    assert "Nothing becomes public until you do so" in message.body_text

    client = Client()
    login(client, people, "secretariat")
    dashboard = client.get(reverse("secretariat:dashboard")).content.decode()
    assert "1 Part 2 item is due for review" in dashboard
    url = reverse("record:part2_reviews", args=["test-jc"])
    assert url in dashboard
    page = client.get(url).content.decode()
    assert "Review due" in page and SECRET_TITLE in page

    # extend with a reason: no longer due, recorded; the reminder comes again at the new date
    response = client.post(
        reverse("record:part2_extend", args=["test-jc", lapsing["item"].pk]),
        {"new_date": "2031-03-31", "reason": "Negotiations continue."},
    )
    assert response.status_code == 302
    assert "due for review" not in client.get(reverse("secretariat:dashboard")).content.decode()
    review = Part2Review.objects.get()
    assert (
        review.action == Part2Review.Action.EXTENDED and review.reason == "Negotiations continue."
    )
    assert review.new_review_date == dt.date(2031, 3, 31)
    lapsing["item"].refresh_from_db()
    assert lapsing["item"].part == Part.PRIVATE

    bad = client.post(
        reverse("record:part2_extend", args=["test-jc", lapsing["item"].pk]),
        {"new_date": "next year", "reason": "x"},
        follow=True,
    )
    assert bad.status_code == 200
    assert "Enter the new review date as day, month and year" in bad.content.decode()

    login(client, people, "member")
    assert client.get(url).status_code == 404
    post = client.post(
        reverse("record:part2_republish", args=["test-jc", lapsing["item"].pk]), {"reason": "x"}
    )
    assert post.status_code == 404
    lapsing["item"].refresh_from_db()
    assert lapsing["item"].part == Part.PRIVATE


def test_the_agenda_form_keeps_a_review_date_for_part2_items_only(world):
    from meetings.agenda import services

    agenda = world["meeting"].agenda
    item = services.add_item(
        agenda=agenda,
        by=None,
        title="Contract",
        part=2,
        part2_ground=world["pub_p2"].item.part2_ground,
        public_description="A contract",
        part2_review_date=DUE,
    )
    assert item.part2_review_date == DUE
    item = services.update_item(item=item, by=None, part=1)
    assert item.part2_review_date is None


def _page(client, **params) -> str:
    return client.get(reverse("record:part2_reviews", args=["test-jc"]), params).content.decode()


def test_only_business_taken_in_private_is_reviewed(lapsing, time_machine):
    """An item on the agenda of a meeting to come has not been taken in private: it was listed
    for review (with "Re-publish as Part 1"), counted as due and reminded of. It is now left to
    the agenda until its meeting is held; re-publishing it is refused with what to do."""
    item, people = lapsing["item"], lapsing["people"]
    item.part2_review_date = dt.date(2030, 5, 1)
    item.save()
    time_machine.move_to(dt.datetime(2030, 5, 2, 9, 0))  # before the meeting of 4 June 2030
    client = Client()
    login(client, people, "secretariat")
    page = _page(client)
    assert SECRET_TITLE not in page and "Review due" not in page
    to_come = lapsing["item"].__class__.objects.filter(part=Part.PRIVATE).count()
    assert f"{to_come} Part 2 items on the agendas of meetings to come are not listed" in page
    assert plan_part2_review_reminders() == 0
    assert "due for review" not in client.get(reverse("secretariat:dashboard")).content.decode()
    with pytest.raises(ConductError, match="4 June 2030 is still to come"):
        part2_review.republish_item(item=item, reason="Lapsed.")
    item.refresh_from_db()
    assert item.part == Part.PRIVATE

    time_machine.move_to(dt.datetime(2030, 6, 4, 16, 0))  # the meeting's own day, after it
    login(client, people, "secretariat")  # a month on, the session has expired
    page = _page(client)
    assert SECRET_TITLE in page and "Review due" in page
    assert "1 Part 2 item is due for review" in page
    assert plan_part2_review_reminders() == 1


def test_the_review_list_comes_a_page_at_a_time_due_first(
    lapsing, time_machine, django_assert_max_num_queries
):
    """Items taken in private stay on the list until re-published, so over the years it only
    grows: it comes 20 to a page, the items due first, in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    time_machine.move_to(dt.datetime(2030, 9, 2, 9, 0))
    due, people = lapsing["item"], lapsing["people"]
    item = due.__class__.objects.get(pk=due.pk)  # copied below
    client = Client()
    login(client, people, "secretariat")

    def add(n: int, start: int) -> None:
        for number in range(start, start + n):
            item.pk = None
            item.number, item.title = number, f"Contract {number}"
            item.part2_review_date = dt.date(2031, 1, 1) + dt.timedelta(days=number)
            item.save()

    add(5, 100)
    with CaptureQueriesContext(connection) as few:
        _page(client)
    add(40, 200)  # the one due (1 September 2030) sorts first
    with CaptureQueriesContext(connection) as many:
        first = _page(client)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert first.index(f'id="item-{due.pk}"') < first.index("Contract 100")
    assert first.count('class="govuk-summary-card"') == 20
    total = item.__class__.objects.filter(part=Part.PRIVATE).count()  # every meeting is held
    assert total == 47  # the two meetings' own, and 45 more
    assert f"Items 1 to 20 of {total}, soonest review first." in first
    assert "1 Part 2 item is due for review" in first
    last = _page(client, page=3)
    assert last.count('class="govuk-summary-card"') == total - 40
    assert "Contract 239" in last and f'id="item-{due.pk}"' not in last
    # the private meeting's item has no review date: last, on PostgreSQL as on SQLite
    assert last.index("Contract 239") < last.index(lapsing["private"].date.strftime("%-d %B %Y"))
