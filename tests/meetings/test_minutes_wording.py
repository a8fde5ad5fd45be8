"""Minutes in a clerk's words (issue 13): RESOLVED only for what was decided; a motion that fell
is minuted as lost with its count and takes no decision number; "(in the Chair)", who took the
Chair for an item and who resumed it; start and finish times on the 24-hour clock; approval only
at a meeting that has been held; a quorum error names its meeting."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from meetings.conduct import services as record
from meetings.errors import ConductError
from meetings.minutes import services as minutes_services
from meetings.models import Decision
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    VOTERS,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
)

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def meeting(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, VOTERS[:12])
    return meeting


def _texts(meeting):
    return {
        s["key"]: s["text"] for s in minutes_services.generate_minutes(meeting=meeting).sections
    }


def test_a_lost_motion_is_minuted_as_lost_with_its_count_and_no_number(km, meeting):
    item = business_item(meeting)
    lost = record.record_decision(
        item=item, text="Award the contract to Acme.", method="vote", votes_for=3, votes_against=8
    )
    assert not lost.passed and lost.number == "" and lost.sequence is None
    carried = record.record_decision(
        item=item,
        text="The committee asks for a new tender.",
        method="vote",
        votes_for=9,
        votes_against=2,
        abstentions=1,
    )
    # The next decision takes the first number: the lost motion used none.
    assert carried.number == "KMICP/2026/01"
    text = _texts(meeting)[f"item-{item.pk}"]
    assert (
        "A motion to award the contract to Acme was put to the vote and was lost "
        "(3 for, 8 against)." in text
    )
    assert "RESOLVED (KMICP/2026/01) that the committee asks for a new tender." in text
    assert "Carried on a vote (9 for, 2 against, 1 abstaining)." in text
    assert text.count("RESOLVED") == 1
    assert text.index("A motion to award") < text.index("RESOLVED")  # in the order taken
    assert Decision.objects.filter(number="").count() == 1


def test_in_the_chair_and_who_took_the_chair_for_an_item(km, meeting):
    item = business_item(meeting)
    # The Chair withdraws from the business item: the Vice-Chair presides (ToR 6.8).
    record.record_declaration(
        item=item, person=km.p("kcc_leader"), interest="Spouse works for Acme", action="withdrew"
    )
    texts = _texts(meeting)
    assert "- Kcc Leader Testperson (in the Chair), Seat of kcc_leader" in texts["present"]
    assert texts["present"].count("(in the Chair)") == 1
    assert texts[f"item-{item.pk}"].startswith(
        "Medway Leader Testperson took the Chair for this item."
    )
    later = [s for s in meeting.agenda.items.order_by("number") if s.number > item.number][0]
    assert texts[f"item-{later.pk}"].startswith("Kcc Leader Testperson resumed the Chair.")
    # Items with the usual Chair say nothing about who presided.
    first = meeting.agenda.items.order_by("number").first()
    assert "Chair" not in texts[f"item-{first.pk}"]


def test_start_and_finish_times_on_the_24_hour_clock(km, meeting):
    assert _texts(meeting)["times"] == "The meeting started at 14:00."
    record.set_meeting_times(
        meeting=meeting, started_at=dt.time(14, 4), finished_at=dt.time(16, 35)
    )
    minutes_services.generate_minutes(meeting=meeting, replace_draft=True)
    texts = {s["key"]: s["text"] for s in meeting.minutes.get(is_current=True).sections}
    assert texts["times"] == "The meeting started at 14:04 and finished at 16:35."
    with pytest.raises(ConductError, match=r"cannot finish \(13:00\) before it started \(14:04\)"):
        record.set_meeting_times(
            meeting=meeting, started_at=dt.time(14, 4), finished_at=dt.time(13, 0)
        )


def test_minutes_are_approved_only_at_a_meeting_that_has_been_held(km, meeting):
    minutes = minutes_services.generate_minutes(meeting=meeting)
    later = meeting_with_agenda(km, dt.date(2026, 5, 12), business="Winter plan")
    mark_present(km, later, QUORATE_NINE)
    at = later.agenda.items.get(standard_key="minutes")
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ConductError, match="12 May 2026 has not taken place"):
            minutes_services.approve_minutes(minutes=minutes, at_item=at)
    with time_machine.travel(dt.datetime(2026, 5, 12, 16, tzinfo=dt.UTC), tick=False):
        minutes = minutes_services.approve_minutes(minutes=minutes, at_item=at)
    approval = Decision.objects.get(item=at)
    texts = {s["key"]: s["text"] for s in minutes_services.build_sections(later)}
    assert (
        f"RESOLVED ({approval.number}) that the minutes of the meeting held on Tuesday 10 March "
        "2026 were approved as a true record." in texts[f"item-{at.pk}"]
    )


def test_the_minutes_page_offers_approval_only_at_a_meeting_held(km, meeting, client):
    # Seen in the demo: October's draft minutes offered "Approved at" the meetings of 8
    # December (the next day), 2 February and 25 May 2027, each refused once chosen; and the
    # choices came in no set order.
    from django.urls import reverse

    minutes_services.generate_minutes(meeting=meeting)
    cancelled = meeting_with_agenda(km, dt.date(2026, 4, 14), business="Housing")
    cancelled.status = cancelled.Status.CANCELLED
    cancelled.save(update_fields=["status"])
    later = meeting_with_agenda(km, dt.date(2026, 5, 12), business="Winter plan")
    after = meeting_with_agenda(km, dt.date(2026, 7, 7), business="Strategy")
    client.force_login(km.users["secretariat"])
    url = reverse("record:minutes_edit", args=[meeting.pk])
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        page = client.get(url).content.decode()
    assert "Record the approval" not in page
    item = later.agenda.items.get(standard_key="minutes").number
    assert (
        f"These minutes are approved at the next meeting, on 12 May 2026 (item {item}): record "
        "the approval here once it has been held." in page
    )
    with time_machine.travel(dt.datetime(2026, 7, 7, 16, tzinfo=dt.UTC), tick=False):
        page = client.get(url).content.decode()
    assert "Record the approval" in page and "approved at the next meeting" not in page
    assert "14 April 2026" not in page  # cancelled
    assert page.index("The meeting of 12 May 2026") < page.index("The meeting of 7 July 2026")
    assert after.agenda.items.filter(standard_key="minutes").exists()


def test_an_inquorate_error_names_the_meeting(km):
    meeting = meeting_with_agenda(km, DAY)
    mark_present(km, meeting, QUORATE_NINE[:-1])
    with pytest.raises(ConductError, match="The meeting of Tuesday 10 March 2026 is not quorate"):
        record.record_decision(item=business_item(meeting), text="Award it.")


def test_approving_minutes_at_an_inquorate_meeting_names_both_meetings(km, meeting):
    minutes = minutes_services.generate_minutes(meeting=meeting)
    later = meeting_with_agenda(km, dt.date(2026, 5, 12), business="Winter plan")
    mark_present(km, later, QUORATE_NINE[:-1])
    at = later.agenda.items.get(standard_key="minutes")
    with time_machine.travel(dt.datetime(2026, 5, 12, 16, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ConductError) as refused:
            minutes_services.approve_minutes(minutes=minutes, at_item=at)
    assert str(refused.value).startswith(
        "The minutes of the meeting of Tuesday 10 March 2026 cannot be approved at the meeting "
        "of Tuesday 12 May 2026: The meeting of Tuesday 12 May 2026 is not quorate for item"
    )


def test_minutes_pdf_title_part2_stamp_and_the_chairs_signature(km, meeting, settings, tmp_path):
    from io import BytesIO

    from pypdf import PdfReader

    from meetings.minutes.tasks import build_minutes_document, minutes_dir

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    part2 = meeting.agenda.items.get(part=2)
    record.record_decision(
        item=part2, text="Buy the Riverside site.", public_summary="Agreed a purchase."
    )
    minutes = minutes_services.generate_minutes(meeting=meeting)

    def pages(audience):
        doc = build_minutes_document(minutes.pk, audience)
        reader = PdfReader(BytesIO((minutes_dir() / doc.storage_name).read_bytes()))
        return reader, [p.extract_text() for p in reader.pages]

    reader, texts = pages("members")
    assert reader.metadata.title == (
        "Minutes: Kent and Medway ICP Joint Committee (test), Tuesday 10 March 2026"
    )
    stamped = [t for t in texts if "Confidential – Part 2" in t]
    assert stamped and all("Part 2 (private)" in t for t in stamped)
    assert "Confidential – Part 2" not in texts[0]
    assert not any("Signed:" in t for t in texts)  # a draft is not signed
    _, public = pages("public")
    assert not any("Confidential – Part 2" in t for t in public)

    later = meeting_with_agenda(km, dt.date(2026, 5, 12), business="Winter plan")
    mark_present(km, later, QUORATE_NINE)
    minutes = minutes_services.approve_minutes(
        minutes=minutes, at_item=later.agenda.items.get(standard_key="minutes")
    )
    _, texts = pages("members")
    assert "Signed:" in texts[-1] and "Chair" in texts[-1]
