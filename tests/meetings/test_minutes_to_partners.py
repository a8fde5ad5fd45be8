"""K&M ToR 12.4: "A copy of the minutes of Joint Committee meetings will be presented to KCC,
Medway Council and the ICB." Once published, the Part 1 minutes go to each statutory partner's
governance contact; the product records when and to whom; a partner without a contact gets a
clear warning, not a crash."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.forms import OrganisationForm
from communications.models import OutboxMessage
from meetings.conduct import services as record
from meetings.minutes import reporting
from meetings.minutes import services as minutes_services
from meetings.minutes.rules import Partner, partner_plan
from meetings.models import Meeting, Minutes, MinutesDocument, MinutesPresentation
from tests import snapshots
from tests.meetings.record_world import (
    QUORATE_NINE,
    business_item,
    km_world,
    mark_present,
    meeting_with_agenda,
    part2_item,
)

SECRET = "PART2-PARTNER-SECRET"
KCC = Partner(1, "Kent County Council", "Dana Clerk", "dana@kent.example")
ICB = Partner(3, "Kent and Medway ICB")


# --- the pure rule --------------------------------------------------------------------------


def test_each_partner_with_a_contact_is_sent_and_one_without_is_warned_about():
    plans = partner_plan(
        partners=[KCC, ICB], rule_on=True, meeting_is_public=True, citation="ToR 12.4"
    )
    assert [(p.partner.id, p.send) for p in plans] == [(1, True), (3, False)]
    assert plans[1].warning.startswith("Kent and Medway ICB has no governance contact")
    assert "(ToR 12.4)" in plans[1].warning


@pytest.mark.parametrize(("rule_on", "sent"), [(True, 2), (False, 0)])
def test_only_where_the_committees_rule_says_so(rule_on, sent):
    plans = partner_plan(partners=[KCC, ICB], rule_on=rule_on, meeting_is_public=True, citation="")
    assert len(plans) == sent


def test_nothing_of_a_meeting_held_in_private_and_nobody_twice():
    assert partner_plan(partners=[KCC], rule_on=True, meeting_is_public=False, citation="") == []
    again = partner_plan(
        partners=[KCC, ICB], rule_on=True, meeting_is_public=True, already_sent=[1], citation=""
    )
    assert [p.partner.id for p in again] == [3]


# --- publishing sends, and records -----------------------------------------------------------


def _partners_world():
    km = km_world()
    c = km.committee
    c.statutory_partners.add(km.orgs["kcc"], km.orgs["medway"], km.orgs["icb"])
    for key, name in (("kcc", "Dana Clerk"), ("medway", "Sam Officer")):
        org = km.orgs[key]
        org.governance_contact_name = name
        org.governance_contact_email = f"governance@{key}.example"
        org.save()
    first = meeting_with_agenda(km, dt.date(2026, 3, 10))
    second = meeting_with_agenda(km, dt.date(2026, 5, 12), business="Winter plan")
    for m in (first, second):
        mark_present(km, m, QUORATE_NINE)
    record.record_decision(item=business_item(first), text="Award the home care contract.")
    record.save_item_note(item=part2_item(first), discussion=f"Valuation. {SECRET}")
    record.record_decision(
        item=part2_item(first), text=f"Buy it. {SECRET}", public_summary="Agreed a property matter."
    )
    minutes = minutes_services.approve_minutes(
        minutes=minutes_services.generate_minutes(meeting=first),
        at_item=second.agenda.items.get(standard_key="minutes"),
    )
    km.meeting, km.minutes = first, minutes
    return km


@pytest.fixture
def world(db, settings, tmp_path):
    """K&M with KCC and Medway given governance contacts and the ICB without one; minutes of a
    meeting with Part 2 business, approved at the next meeting (built once per session and
    restored for each test, tests/snapshots.py)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.SITE_URL = "http://testserver"
    return snapshots.restore(("partners-world", timezone.localdate()), _partners_world)


def _sent():
    return OutboxMessage.objects.filter(message_name=reporting.MINUTES_TO_PARTNER)


def test_publishing_sends_part1_minutes_to_each_contact_and_warns_about_the_icb(world):
    minutes = minutes_services.publish_minutes(minutes=world.minutes, by=world.users["secretariat"])
    assert sorted(_sent().values_list("recipient", flat=True)) == [
        "governance@kcc.example",
        "governance@medway.example",
    ]
    for message in _sent():
        assert "to award the home care contract." in message.body_text
        assert "Agreed a property matter." in message.body_text  # the Part 1 line for Part 2
        assert SECRET not in message.body_text and SECRET not in message.subject
        assert "(ToR 12.4)" in message.body_text
    assert minutes.partner_warnings == [
        "ICB (test) has no governance contact, so the minutes were not sent to it (ToR 12.4). "
        "Add a contact on the organisation's page, then send again."
    ]
    rows = {p.organisation.name: p for p in MinutesPresentation.objects.filter(minutes=minutes)}
    assert rows["KCC (test)"].status == "sent"
    assert rows["KCC (test)"].contact_email == "governance@kcc.example"
    assert rows["KCC (test)"].contact_name == "Dana Clerk" and rows["KCC (test)"].at is not None
    assert rows["KCC (test)"].message.recipient == "governance@kcc.example"
    assert rows["ICB (test)"].status == "no_contact" and rows["ICB (test)"].message is None


def test_rule_off_sends_nothing(world):
    rules = world.committee.rules
    rules.minutes_to_partners = False
    rules.save()
    minutes = minutes_services.publish_minutes(minutes=world.minutes)
    assert minutes.partner_warnings == []
    assert not _sent().exists() and not MinutesPresentation.objects.exists()


def test_minutes_of_a_meeting_held_in_private_are_not_sent(world):
    world.meeting.is_public = False
    world.meeting.save()
    minutes_services.publish_minutes(minutes=world.minutes)
    assert not _sent().exists()


def test_sending_again_reaches_only_the_partner_given_a_contact_since(world):
    minutes = minutes_services.publish_minutes(minutes=world.minutes)
    icb = world.orgs["icb"]
    icb.governance_contact_name = "Board Secretary"
    icb.governance_contact_email = "board@icb.example"
    icb.save()
    assert reporting.present_minutes_to_partners(minutes=minutes) == []
    assert _sent().count() == 3 and _sent().filter(recipient="board@icb.example").count() == 1


def test_a_correction_sends_the_corrected_version(world):
    minutes = minutes_services.publish_minutes(minutes=world.minutes)
    v2 = minutes_services.correct_minutes(
        minutes=minutes, texts={"quorum": "Quorate throughout."}, reason="Quorum wording."
    )
    to_kcc = _sent().filter(recipient="governance@kcc.example").order_by("pk")
    assert to_kcc.count() == 2
    assert "version 2" in to_kcc.last().body_text and "Quorum wording." in to_kcc.last().body_text
    assert MinutesPresentation.objects.filter(minutes=v2, status="sent").count() == 2


def test_the_meeting_page_shows_when_and_to_whom_and_the_warning(world, client):
    client.force_login(world.users["secretariat"])
    url = world.meeting.get_secretariat_url()
    before = client.get(url).content.decode()
    assert 'id="minutes-to-partners"' in before and "Not sent yet" in before
    assert "ICB (test) has no governance contact" in before
    response = client.post(
        reverse("record:minutes_action", args=[world.meeting.pk, "publish"]),
        {"confirm": "1"},
        follow=True,
    )
    assert "ICB (test) has no governance contact, so the minutes were not sent" in (
        response.content.decode()
    )
    page = client.get(url).content.decode()
    assert "sent" in page and "Dana Clerk &lt;governance@kcc.example&gt;" in page
    assert "Sam Officer &lt;governance@medway.example&gt;" in page
    minutes_page = client.get(reverse("record:minutes_edit", args=[world.meeting.pk]))
    assert "governance@kcc.example" in minutes_page.content.decode()
    # The ICB still waits (no contact): the button to send to the partners not yet sent them.
    assert "Send to the partners not yet sent them" in page
    response = client.post(reverse("record:minutes_action", args=[world.meeting.pk, "present"]))
    assert response.status_code == 302
    assert _sent().count() == 2  # nobody twice
    # Once every partner has this version, no button that would send nothing (seen in the
    # demo: offered though all three partners had been sent the minutes).
    icb = world.orgs["icb"]
    icb.governance_contact_name = "Board Secretary"
    icb.governance_contact_email = "board@icb.example"
    icb.save()
    client.post(reverse("record:minutes_action", args=[world.meeting.pk, "present"]))
    assert _sent().count() == 3
    page = client.get(url).content.decode()
    assert "Send to the partners not yet sent them" not in page
    assert "Every statutory partner has been sent version 1 of the minutes." in page


def test_sending_before_publication_is_refused_with_a_message(world, client):
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("record:minutes_action", args=[world.meeting.pk, "present"]), follow=True
    )
    assert "Publish the minutes first" in response.content.decode()
    assert not _sent().exists()


@pytest.mark.django_db
def test_a_governance_contact_needs_an_email_address():
    form = OrganisationForm(
        data={"name": "Medway Council", "kind": "upper_tier", "governance_contact_name": "Sam"}
    )
    assert not form.is_valid()
    assert "governance_contact_email" in form.errors


# --- a correction is a new version that keeps the history of the one it corrects ------------


@pytest.fixture
def built(monkeypatch, django_capture_on_commit_callbacks):
    """Run a service, then what it left for after commit with the worker's tasks run in place
    (the minutes PDFs are built by `build_minutes_pdf`); returns the service's result."""
    from icp_secretariat.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def _pdfs(minutes) -> set[str]:
    return set(MinutesDocument.objects.filter(minutes=minutes).values_list("audience", flat=True))


def test_draft_minutes_circulated_are_built_for_the_members_only(world, built):
    second = Meeting.objects.get(committee=world.committee, date=dt.date(2026, 5, 12))
    draft = minutes_services.generate_minutes(meeting=second)
    circulated = built(lambda: minutes_services.circulate_minutes(minutes=draft))
    assert circulated.state == "circulated" and _pdfs(circulated) == {"members"}


def test_a_correction_of_published_minutes_keeps_their_dates_and_is_sent_and_built_for_all(
    world, built
):
    secretariat = world.users["secretariat"]
    circulated_at = timezone.now() - dt.timedelta(days=40)
    Minutes.objects.filter(pk=world.minutes.pk).update(circulated_at=circulated_at)
    world.minutes.refresh_from_db()
    published = built(
        lambda: minutes_services.publish_minutes(minutes=world.minutes, by=secretariat)
    )
    assert _pdfs(published) == {"public", "members"}
    sent = MinutesPresentation.objects.filter(minutes=published)
    assert sent.count() == 3 and {r.by for r in sent} == {secretariat}
    before = timezone.now()
    v2 = built(
        lambda: minutes_services.correct_minutes(
            minutes=published,
            texts={"quorum": "Quorate throughout."},
            reason="Wording.",
            by=secretariat,
        )
    )
    assert [w.split(",")[0] for w in v2.partner_warnings] == [
        "ICB (test) has no governance contact"
    ]
    v2.refresh_from_db()
    assert (v2.version, v2.state, v2.is_current) == (published.version + 1, "published", True)
    assert v2.created_by == secretariat
    assert v2.circulated_at == circulated_at
    assert v2.approved_at == published.approved_at is not None
    assert v2.approved_at_item == published.approved_at_item is not None
    assert v2.published_at >= before  # the corrected version is published now
    assert _pdfs(v2) == {"public", "members"}
    # Sent to the partners with contacts, each attempt recorded as the secretariat's.
    rows = MinutesPresentation.objects.filter(minutes=v2)
    assert sorted(rows.values_list("status", flat=True)) == ["no_contact", "sent", "sent"]
    assert {r.by for r in rows} == {secretariat}


def test_a_correction_of_approved_minutes_not_yet_published_stays_unpublished(world, built):
    secretariat = world.users["secretariat"]
    approved = world.minutes
    v2 = built(
        lambda: minutes_services.correct_minutes(
            minutes=approved,
            texts={"quorum": "Quorate throughout."},
            reason="Wording.",
            by=secretariat,
        )
    )
    assert v2.partner_warnings == []
    v2.refresh_from_db()
    assert (v2.state, v2.published_at, v2.created_by) == ("approved", None, secretariat)
    assert v2.approved_at == approved.approved_at is not None
    assert v2.approved_at_item == approved.approved_at_item is not None
    assert _pdfs(v2) == {"members"}
    assert not MinutesPresentation.objects.exists() and not _sent().exists()
