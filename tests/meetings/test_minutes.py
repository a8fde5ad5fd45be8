"""Minutes: generated from the record, circulated, approved at the next meeting, published,
never edited once approved (a correction is a new version); the action log carried forward."""

from __future__ import annotations

import datetime as dt

import pytest

from communications.models import OutboxMessage
from meetings.conduct import services as record
from meetings.conduct.selectors import carried_forward_actions, record_state
from meetings.errors import ConductError
from meetings.minutes import services as minutes_services
from meetings.models import Action, Decision, Minutes
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
)

FIRST = dt.date(2026, 3, 10)
SECOND = dt.date(2026, 5, 12)


@pytest.fixture
def two_meetings(km, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    first = meeting_with_agenda(km, FIRST)
    second = meeting_with_agenda(km, SECOND, business="Winter plan")
    mark_present(km, first, QUORATE_NINE + ["kcc_exec2"])
    mark_present(km, first, ["district4"], status="apologies")
    mark_present(km, second, QUORATE_NINE)
    return first, second


def test_draft_minutes_come_from_the_record(km, two_meetings):
    first, _ = two_meetings
    item = business_item(first)
    record.record_declaration(
        item=item, person=km.p("icb_ned"), interest="Director of Acme", action="not_voting"
    )
    record.save_item_note(item=item, discussion="Members asked about the price.")
    record.record_decision(item=item, text="Award the contract to Acme.")
    record.add_action(
        meeting=first, item=item, description="Report back on mobilisation.",
        owner=km.p("icb_chair"), due=dt.date(2026, 4, 30),
    )  # fmt: skip
    p2 = first.agenda.items.get(part=2)
    record.record_decision(
        item=p2, text="Buy the Riverside site for PART2-ONLY £1m.", public_summary="Agreed to buy."
    )
    minutes = minutes_services.generate_minutes(meeting=first)
    texts = {s["key"]: s["text"] for s in minutes.sections}
    assert "Kcc Leader Testperson" in texts["present"]
    assert "District4 Testperson" in texts["apologies"]
    item_text = texts[f"item-{item.pk}"]
    for phrase in (
        "declared an interest: Director of Acme",
        "Stayed for the discussion but did not vote",
        "Members asked about the price.",
        "RESOLVED (KMICP/2026/01) to award the contract to Acme.",
        "ACTION: Report back on mobilisation.",
    ):
        assert phrase in item_text
    part1 = " ".join(s["text"] for s in minutes.sections_for(1))
    assert "PART2-ONLY" not in part1 and "Agreed to buy." in part1
    assert "PART2-ONLY" in " ".join(s["text"] for s in minutes.sections_for(2))
    with pytest.raises(ConductError, match="already exist"):
        minutes_services.generate_minutes(meeting=first)


def test_circulate_approve_at_next_meeting_publish_and_correct(km, two_meetings):
    first, second = two_meetings
    minutes = minutes_services.generate_minutes(meeting=first)
    minutes = minutes_services.update_minutes(
        minutes=minutes, texts={"quorum": "Quorate throughout."}
    )
    minutes = minutes_services.circulate_minutes(minutes=minutes)
    first.refresh_from_db()
    assert first.minutes_circulated_at is not None
    sent = OutboxMessage.objects.filter(message_name=minutes_services.MINUTES_CIRCULATED)
    assert sent.filter(recipient=km.p("icb_ned").email).exists()
    assert sent.filter(recipient=km.p("participant").email).exists()
    assert not sent.filter(recipient=km.p("observer").email).exists()

    # Approved on the next meeting's "minutes of the last meeting" item, as a decision there.
    wrong = second.agenda.items.get(title="Winter plan")
    with pytest.raises(ConductError, match="minutes of the last meeting"):
        minutes_services.approve_minutes(minutes=minutes, at_item=wrong, by=None)
    with pytest.raises(ConductError, match="later meeting"):
        minutes_services.approve_minutes(
            minutes=minutes, at_item=first.agenda.items.get(standard_key="minutes")
        )
    at = second.agenda.items.get(standard_key="minutes")
    minutes = minutes_services.approve_minutes(minutes=minutes, at_item=at)
    assert minutes.state == Minutes.State.APPROVED and minutes.approved_at_item == at
    approval = Decision.objects.get(item=at)
    assert "approved as a true record" in approval.text
    assert record_state(second).item(at.pk).decisions == [approval]

    # Approved minutes refuse edits; a correction is version 2 with its reason.
    with pytest.raises(ConductError, match="never edited in place"):
        minutes_services.update_minutes(minutes=minutes, texts={"quorum": "Changed."})
    minutes = minutes_services.publish_minutes(minutes=minutes)
    assert minutes.is_published
    with pytest.raises(ConductError, match="Say why"):
        minutes_services.correct_minutes(minutes=minutes, texts={"quorum": "Quorate."}, reason=" ")
    v2 = minutes_services.correct_minutes(
        minutes=minutes, texts={"quorum": "Quorate throughout the meeting."}, reason="Typo."
    )
    assert (v2.version, v2.reason, v2.state, v2.replaces_id) == (
        2,
        "Typo.",
        "published",
        minutes.pk,
    )
    minutes.refresh_from_db()
    assert not minutes.is_current
    assert dict((s["key"], s["text"]) for s in minutes.sections)["quorum"] == "Quorate throughout."
    assert list(Minutes.objects.filter(meeting=first).values_list("version", flat=True)) == [2, 1]


def test_approval_needs_the_next_meeting_quorate(km, two_meetings):
    first, second = two_meetings
    minutes = minutes_services.circulate_minutes(
        minutes=minutes_services.generate_minutes(meeting=first)
    )
    mark_present(km, second, ["icb_chair", "icb_ned"], status="apologies")
    with pytest.raises(ConductError, match="not quorate"):
        minutes_services.approve_minutes(
            minutes=minutes, at_item=second.agenda.items.get(standard_key="minutes")
        )


def test_open_actions_are_carried_forward_to_the_next_meeting(km, two_meetings):
    first, second = two_meetings
    keep = record.add_action(
        meeting=first, description="Open one", owner=km.p("icb_chair"), due=dt.date(2026, 4, 1)
    )
    done = record.add_action(
        meeting=first, description="Done long ago", owner=km.p("icb_ned"), due=dt.date(2026, 4, 1)
    )
    Action.objects.filter(pk=done.pk).update(
        state="done", closed_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    recent = record.add_action(
        meeting=first, description="Done lately", owner=km.p("icb_ned"), due=dt.date(2026, 4, 1)
    )
    record.update_action(action=recent, state="done", update="Sent round.")
    assert carried_forward_actions(first) == []
    log = carried_forward_actions(second)
    assert keep in log and recent in log and done not in log
    texts = {s["key"]: s["text"] for s in minutes_services.build_sections(second)}
    minutes_item = second.agenda.items.get(standard_key="minutes")
    assert (
        "Open one (Icb Chair Testperson, due 1 April 2026): Open"
        in texts[f"item-{minutes_item.pk}"]
    )
    with pytest.raises(ConductError, match="why"):
        record.update_action(action=keep, state="dropped")


def test_action_owner_reminded_once_before_the_due_date(km, two_meetings):
    first, _ = two_meetings
    action = record.add_action(
        meeting=first, description="Write the plan", owner=km.p("icb_ned"), due=dt.date(2026, 4, 10)
    )
    early = dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC)
    assert record.plan_action_reminders(early) == []
    now = dt.datetime(2026, 4, 6, 9, tzinfo=dt.UTC)
    assert len(record.plan_action_reminders(now)) == 1
    assert record.plan_action_reminders(now) == []
    message = OutboxMessage.objects.get(message_name=record.ACTION_DUE)
    assert message.recipient == km.p("icb_ned").email and "Write the plan" in message.body_text
    record.update_action(action=action, state="done")
    assert record.plan_action_reminders(dt.datetime(2026, 4, 7, 9, tzinfo=dt.UTC)) == []
