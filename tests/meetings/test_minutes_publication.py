"""Minutes publication keeps to its order (issue 16): only approved minutes are published, nothing
published goes back to approval or circulation, approved minutes stay private until published,
and a correction leaves only the current version in the feed and search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from communications.models import OutboxMessage
from meetings import access, links
from meetings.errors import ConductError
from meetings.minutes import services as minutes_services
from meetings.models import Decision, Minutes, Part
from public_site.publications import recent_publications
from public_site.search import run_search
from tests.meetings.record_published import (  # noqa: F401
    _published_world,
    km_fixture,
    published_fixture,
)


def _minutes_url(km, meeting_id: int) -> str:
    return reverse("record:minutes", args=[km.committee.slug, meeting_id])


def test_only_approved_minutes_are_published(km, published):
    for key in ("draft", "circulated"):
        minutes = published[key]
        state = minutes.state
        with pytest.raises(ConductError, match=r"^Only approved minutes are published\.$"):
            minutes_services.publish_minutes(minutes=minutes)
        minutes.refresh_from_db()
        assert minutes.state == state and minutes.published_at is None
    # Published minutes are not published a second time (no second alert, no new date).
    done = published["minutes"]
    done.refresh_from_db()
    when = done.published_at
    with pytest.raises(ConductError, match=r"^Only approved minutes are published\.$"):
        minutes_services.publish_minutes(minutes=done)
    done.refresh_from_db()
    assert done.published_at == when
    assert OutboxMessage.objects.filter(message_name="alert_published").count() == 1


def test_published_minutes_are_not_approved_or_circulated_again(km, published):
    done = published["minutes"]
    # The meeting of 14 July 2026 has been held: only the state of the minutes stops approval.
    later = published["circulated"].meeting.agenda.items.get(standard_key="minutes")
    approved_at = done.approved_at_item_id
    sent = OutboxMessage.objects.filter(message_name=minutes_services.MINUTES_CIRCULATED).count()
    with pytest.raises(ConductError, match=r"^These minutes are already approved\.$"):
        minutes_services.approve_minutes(minutes=done, at_item=later)
    with pytest.raises(ConductError, match=r"^Only draft minutes are circulated for comment\.$"):
        minutes_services.circulate_minutes(minutes=done)
    with pytest.raises(
        ConductError,
        match=r"^Approved minutes are never edited in place: make a correction, which creates a "
        r"new version with its reason\.$",
    ):
        minutes_services.update_minutes(minutes=done, texts={"quorum": "Changed."})
    with pytest.raises(ConductError, match="approved: they cannot be generated again"):
        minutes_services.generate_minutes(meeting=done.meeting, replace_draft=True)
    done.refresh_from_db()
    assert done.state == Minutes.State.PUBLISHED
    assert done.approved_at_item_id == approved_at
    assert not Decision.objects.filter(item=later).exists()
    assert (
        OutboxMessage.objects.filter(message_name=minutes_services.MINUTES_CIRCULATED).count()
        == sent
    )
    # Approved minutes (not yet published) are not approved or circulated again either.
    approved = published["circulated"]
    Minutes.objects.filter(pk=approved.pk).update(state=Minutes.State.APPROVED)
    approved.refresh_from_db()
    with pytest.raises(ConductError, match=r"^These minutes are already approved\.$"):
        minutes_services.approve_minutes(minutes=approved, at_item=later)
    with pytest.raises(ConductError, match="Only draft minutes are circulated"):
        minutes_services.circulate_minutes(minutes=approved)


def test_approved_minutes_are_not_public_until_published(client, km, published):
    minutes = published["circulated"]
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.APPROVED)
    minutes.refresh_from_db()
    url = _minutes_url(km, minutes.meeting_id)
    for who in ("anonymous", "observer", "outsider"):
        user = AnonymousUser() if who == "anonymous" else km.users[who]
        assert not access.minutes_visible_to(user, minutes, Part.PUBLIC), who
        listed = access.minutes_visible_queryset(user, Part.PUBLIC)
        assert not listed.filter(pk=minutes.pk).exists(), who
        hits = [h.url for h in run_search(user, "circulated words") if h.kind == "minutes"]
        assert url not in hits, who
    # A member reads them; the public does not, in the page, the feed or the list of publications.
    assert access.minutes_visible_to(km.users["kcc_exec1"], minutes, Part.PUBLIC)
    assert client.get(url).status_code == 404
    assert url not in [p.url for p in recent_publications(committee=km.committee)]
    feed = client.get(reverse("feeds:committee_atom", args=[km.committee.slug])).content.decode()
    assert url not in feed

    # Published, they are public, and the committee's subscribers are sent the link.
    alerts = OutboxMessage.objects.filter(message_name="alert_published")
    alerted = set(alerts.values_list("pk", flat=True))
    minutes = minutes_services.publish_minutes(minutes=minutes)
    new = alerts.exclude(pk__in=alerted)
    assert new.exists()
    for alert in new:
        assert links.absolute(url) in alert.body_text
    assert access.minutes_visible_to(AnonymousUser(), minutes, Part.PUBLIC)
    assert client.get(url).status_code == 200
    assert url in [p.url for p in recent_publications(committee=km.committee)]


def test_a_correction_leaves_only_the_current_version_in_the_feed_and_search(client, km, published):
    minutes = published["minutes"]
    key = next(s["key"] for s in minutes.sections if "harbour staffing" in s["text"])
    v2 = minutes_services.correct_minutes(
        minutes=minutes,
        texts={key: "Members discussed harbour rotas."},
        reason="Wrong word.",
    )
    url = _minutes_url(km, minutes.meeting_id)
    pubs = [p for p in recent_publications(committee=km.committee) if p.kind == "minutes"]
    assert [p.url for p in pubs] == [url]
    assert "version 2: Wrong word." in pubs[0].summary
    feed = client.get(reverse("feeds:committee_atom", args=[km.committee.slug])).content.decode()
    assert feed.count("The approved minutes of the meeting on") == 1
    assert "version 2: Wrong word." in feed
    for who in ("anonymous", "kcc_exec1", "secretariat"):
        user = AnonymousUser() if who == "anonymous" else km.users[who]
        old = [h for h in run_search(user, "staffing") if h.kind == "minutes"]
        assert old == [], who  # only the superseded version says "staffing"
        new = [h for h in run_search(user, "rotas") if h.kind == "minutes"]
        assert [h.url for h in new] == [url], who
    v2.refresh_from_db()
    assert v2.is_current and v2.is_published


def test_draft_minutes_are_edited_then_circulated_to_members(km, published):
    draft = published["draft"]
    quorum = next(s for s in draft.sections if s["key"] == "quorum")
    edited = minutes_services.update_minutes(
        minutes=draft, texts={"quorum": "Quorate\r\nthroughout."}
    )
    draft.refresh_from_db()
    assert draft.sections == edited.sections
    texts = {s["key"]: s["text"] for s in draft.sections}
    assert texts["quorum"] == "Quorate\nthroughout." != quorum["text"]
    assert len(draft.sections) == len(edited.sections) and "present" in texts

    before = OutboxMessage.objects.filter(message_name=minutes_services.MINUTES_CIRCULATED)
    sent_before = set(before.values_list("pk", flat=True))
    circulated = minutes_services.circulate_minutes(minutes=draft)
    draft.refresh_from_db()
    assert draft.state == Minutes.State.CIRCULATED and draft.circulated_at is not None
    assert circulated.circulated_at == draft.circulated_at
    new = before.exclude(pk__in=sent_before)
    assert new.filter(recipient=km.p("icb_ned").email).exists()
    for message in new:
        assert message.meeting_id == draft.meeting_id
        assert message.committee_id == km.committee.pk
        assert km.committee.name in message.subject + message.body_text
        assert "Tuesday 12 May 2026" in message.subject
        assert f"meeting on Tuesday 12 May 2026 (version {draft.version})" in message.body_text
        assert f"Read them: {links.absolute(minutes_services.minutes_url(draft))}\n" in (
            message.body_text
        )
        assert message.idempotency_key.startswith(f"minutes_circulated:{draft.pk}:")
    draft.meeting.refresh_from_db()
    assert draft.meeting.minutes_circulated_at == draft.circulated_at
    # Circulated minutes may still be edited, until they are approved; an old version may not.
    minutes_services.update_minutes(minutes=draft, texts={"quorum": "Quorate."})
    Minutes.objects.filter(pk=draft.pk).update(is_current=False)
    draft.refresh_from_db()
    with pytest.raises(ConductError, match="never edited in place"):
        minutes_services.update_minutes(minutes=draft, texts={"quorum": "Again."})
    with pytest.raises(ConductError, match="Only draft minutes are circulated"):
        minutes_services.circulate_minutes(minutes=draft)


def test_minutes_are_approved_only_at_a_later_meeting_that_was_held(km, published):
    from django.utils import timezone

    from meetings.models import Meeting
    from tests.meetings.record_world import QUORATE_NINE, mark_present, meeting_with_agenda

    minutes = published["circulated"]  # of 14 July 2026
    first = published["first"].agenda.items.get(standard_key="minutes")  # 10 March 2026
    with pytest.raises(ConductError, match="^Minutes are approved at a later meeting of the same"):
        minutes_services.approve_minutes(minutes=minutes, at_item=first)
    same_day = minutes.meeting.agenda.items.get(standard_key="minutes")
    with pytest.raises(ConductError, match="^Minutes are approved at a later meeting"):
        minutes_services.approve_minutes(minutes=minutes, at_item=same_day)
    today = timezone.localdate()
    future = meeting_with_agenda(km, today + dt.timedelta(days=30), business="Autumn plan")
    with pytest.raises(ConductError, match="has not taken place: minutes are approved only at a"):
        minutes_services.approve_minutes(
            minutes=minutes, at_item=future.agenda.items.get(standard_key="minutes")
        )
    # Held yesterday, with nobody recorded present: the approval, a decision, is refused, and
    # the message names both meetings.
    from meetings.conduct.services import date_text

    inquorate = meeting_with_agenda(km, today - dt.timedelta(days=1), business="Yesterday's plan")
    with pytest.raises(ConductError) as refused:
        minutes_services.approve_minutes(
            minutes=minutes, at_item=inquorate.agenda.items.get(standard_key="minutes")
        )
    assert str(refused.value).startswith(
        "The minutes of the meeting of Tuesday 14 July 2026 cannot be approved at the meeting of "
        f"{date_text(inquorate.date)}: "
    )
    assert "so no decision can be recorded" in str(refused.value)  # and why: not quorate
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.CIRCULATED
    held = meeting_with_agenda(km, today, business="Today's plan")
    mark_present(km, held, QUORATE_NINE)
    wrong = held.agenda.items.get(title="Today's plan")
    with pytest.raises(ConductError, match="^Record the approval on the later meeting's 'minutes"):
        minutes_services.approve_minutes(minutes=minutes, at_item=wrong)
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.CANCELLED)
    at = held.agenda.items.get(standard_key="minutes")
    at.agenda.meeting.refresh_from_db()
    with pytest.raises(ConductError, match="has not taken place"):
        minutes_services.approve_minutes(minutes=minutes, at_item=at)
    # Held wholly in private: the approval is a Part 2 decision, whose public summary is what the
    # public register shows.
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.SCHEDULED, is_public=False)
    held.refresh_from_db()
    at = held.agenda.items.get(standard_key="minutes")
    secretariat = km.users["secretariat"]
    approved = minutes_services.approve_minutes(minutes=minutes, at_item=at, by=secretariat)
    approved.refresh_from_db()  # held today
    assert approved.state == Minutes.State.APPROVED and approved.approved_at_item == at
    decision = Decision.objects.get(item=at)
    assert decision.text == (
        "The minutes of the meeting held on Tuesday 14 July 2026 were approved as a true record."
    )
    assert decision.part == Part.PRIVATE and decision.public_summary == (
        "The minutes of the meeting held on Tuesday 14 July 2026 were approved."
    )
    assert decision.recorded_by == secretariat
    assert approved.approved_at == decision.recorded_at


def test_corrections_are_refused_for_drafts_old_versions_no_reason_or_no_change(km, published):
    with pytest.raises(
        ConductError,
        match=r"^Draft minutes are edited directly; corrections are for approved ones\.$",
    ):
        minutes_services.correct_minutes(
            minutes=published["draft"], texts={"quorum": "Changed."}, reason="Typo."
        )
    done = published["minutes"]
    key = done.sections[0]["key"]
    with pytest.raises(
        ConductError, match=r"^Say why the minutes are corrected: the reason is shown with them\.$"
    ):
        minutes_services.correct_minutes(minutes=done, texts={key: "Changed."}, reason="  ")
    with pytest.raises(ConductError, match=r"^Nothing was changed: change the text that needs"):
        minutes_services.correct_minutes(
            minutes=done, texts={key: done.sections[0]["text"]}, reason="Typo."
        )
    v2 = minutes_services.correct_minutes(minutes=done, texts={key: "Changed."}, reason=" Typo. ")
    assert (v2.version, v2.reason, v2.replaces_id) == (done.version + 1, "Typo.", done.pk)
    done.refresh_from_db()
    assert not done.is_current and done.sections[0]["text"] != "Changed."
    with pytest.raises(ConductError, match=r"^Correct the current version of the minutes\.$"):
        minutes_services.correct_minutes(minutes=done, texts={key: "Again."}, reason="Typo.")
