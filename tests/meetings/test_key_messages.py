"""A summary of key messages after each meeting, from the M&SE ToR, Accountability and Reporting:
"Minutes, and a summary of key messages arising from each meeting will be submitted to all
members after each meeting and made available on the ICS website."

Drafted from the Part 1 record (never Part 2), edited, approved by the secretariat, sent to every
member and published on the meeting's page, the feed, the sitemap, search and the API; a draft is
never public; a published version is never changed, a revision is a new version.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from communications.models import OutboxMessage
from meetings import access
from meetings.conduct import services as record
from meetings.errors import ConductError
from meetings.minutes import key_messages as services
from meetings.minutes.rules import RecordItem, key_messages_allowed, key_messages_draft
from meetings.models import KeyMessages
from tests.conftest import full_sitemap, make_user
from tests.meetings.record_world import (  # noqa: F401
    QUORATE_NINE,
    business_item,
    km_fixture,
    mark_present,
    meeting_with_agenda,
    mse_fixture,
    part2_item,
)

DAY = dt.date(2026, 3, 10)
SECRET = "PART2-KEY-MESSAGES-SECRET"


@pytest.fixture
def world(mse, settings):
    """The M&SE-shaped committee with its rule on (as its ToR words it), a secretariat, a member
    who signs in, and a meeting with a Part 1 and a Part 2 decision."""
    settings.SITE_URL = "http://testserver"
    rules = mse.committee.rules
    rules.key_messages_required = True
    rules.save()
    sec = make_user("mse-secretariat")
    mse.committee.secretariat.add(sec)
    mse.users["secretariat"] = sec
    member = mse.p("m2")
    member.user = make_user("mse-m2")
    member.save()
    mse.users["member"] = member.user
    mse.users["outsider"] = make_user("mse-outsider")
    meeting = meeting_with_agenda(mse, DAY, business="Winter pressures plan")
    mark_present(mse, meeting, ["m1", "m2", "m3", "m4"])
    record.record_decision(
        item=business_item(meeting, "Winter pressures plan"),
        text="The partnership endorsed the winter pressures plan.",
    )
    record.record_decision(
        item=part2_item(meeting),
        text=f"Buy the Riverside site for £3m. {SECRET}",
        public_summary="Agreed a property matter.",
    )
    mse.meeting = meeting
    return mse


def _draft(world) -> KeyMessages:
    return services.start_key_messages(meeting=world.meeting, by=world.users["secretariat"])


def _published(world) -> KeyMessages:
    km = services.approve_key_messages(key_messages=_draft(world), by=world.users["secretariat"])
    return services.publish_key_messages(key_messages=km, by=world.users["secretariat"])


# --- the pure rules -----------------------------------------------------------------------


def test_the_draft_takes_part1_business_only():
    text = key_messages_draft(
        committee_name="Mid and South Essex ICP",
        date_text="Tuesday 10 March 2026",
        meeting_is_public=True,
        items=[
            RecordItem(1, "Apologies", 1, standard=True),
            RecordItem(2, "Winter plan", 1, decisions=((1, "Endorsed the plan."),)),
            RecordItem(3, "Health inequalities", 1),
            RecordItem(4, "Riverside site", 2, decisions=((2, f"Buy it. {SECRET}"),)),
        ],
    )
    assert "- Winter plan: Endorsed the plan." in text
    assert "- Health inequalities: discussed." in text
    assert "Riverside" not in text and SECRET not in text and "Apologies" not in text


def test_a_meeting_held_in_private_gives_no_business_to_the_draft():
    text = key_messages_draft(
        committee_name="X",
        date_text="today",
        meeting_is_public=False,
        items=[RecordItem(2, "Estates strategy", 1, decisions=((1, "Adopted."),))],
    )
    assert "held in private" in text and "Estates" not in text and "Adopted" not in text


@pytest.mark.parametrize(("required", "refused"), [(True, False), (False, True)])
def test_key_messages_only_where_the_rule_asks_for_them(required, refused):
    refusal = key_messages_allowed(required=required, citation="ToR, Accountability and Reporting")
    assert bool(refusal) is refused
    if refused:
        assert "(ToR, Accountability and Reporting)" in refusal


# --- drafting, approval, sending and publication --------------------------------------------


def test_kent_and_medway_rule_off_refuses_with_its_own_citation(km):
    """K&M's ToR ask for no key messages (the rule is off, the K&M default)."""
    meeting = meeting_with_agenda(km, DAY)
    assert km.committee.rules.key_messages_required is False
    with pytest.raises(ConductError, match=r"do not ask for a summary of key messages"):
        services.start_key_messages(meeting=meeting)
    assert not KeyMessages.objects.exists()


def test_draft_is_written_from_the_part1_record(world):
    km = _draft(world)
    assert km.state == KeyMessages.State.DRAFT and km.version == 1
    assert "Winter pressures plan: The partnership endorsed the winter pressures plan." in km.text
    for private in (SECRET, "Riverside", "Agreed a property matter", "A property matter"):
        assert private not in km.text
    with pytest.raises(ConductError, match="not published yet"):
        _draft(world)


def test_approve_then_send_to_every_member_once_and_publish(world):
    km = _draft(world)
    with pytest.raises(ConductError, match="approves the key messages before"):
        services.publish_key_messages(key_messages=km)
    km = services.update_key_messages(key_messages=km, text="- The winter plan was endorsed.")
    km = services.approve_key_messages(key_messages=km, by=world.users["secretariat"])
    assert km.state == KeyMessages.State.APPROVED and km.approved_by == world.users["secretariat"]
    assert not OutboxMessage.objects.filter(message_name=services.KEY_MESSAGES_PUBLISHED).exists()

    km = services.publish_key_messages(key_messages=km)
    assert km.is_published and km.published_at is not None and km.sent_to == 4
    sent = OutboxMessage.objects.filter(message_name=services.KEY_MESSAGES_PUBLISHED)
    members = {world.p(k).email for k in ("m1", "m2", "m3", "m4")}
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(members)
    assert all("The winter plan was endorsed." in m.body_text for m in sent)
    assert world.p("deputy").email not in set(sent.values_list("recipient", flat=True))


def test_editing_an_approved_version_returns_it_to_draft(world):
    km = services.approve_key_messages(key_messages=_draft(world))
    km = services.update_key_messages(key_messages=km, text="Changed after approval.")
    assert km.state == KeyMessages.State.DRAFT and km.approved_at is None
    with pytest.raises(ConductError, match="approves the key messages before"):
        services.publish_key_messages(key_messages=km)


def test_published_key_messages_are_never_overwritten_a_revision_is_a_new_version(world):
    v1 = _published(world)
    original = v1.text
    with pytest.raises(ConductError, match="never changed"):
        services.update_key_messages(key_messages=v1, text="Rewritten.")
    v2 = services.start_key_messages(meeting=world.meeting)
    assert (v2.version, v2.replaces_id, v2.text) == (2, v1.pk, original)
    with pytest.raises(ConductError, match="Nothing was changed"):
        services.update_key_messages(key_messages=v2, text=original, reason="No change.")
        services.approve_key_messages(key_messages=v2)
    v2 = services.update_key_messages(key_messages=v2, text=original + "\n- Corrected.")
    with pytest.raises(ConductError, match="Say why version 2"):
        services.approve_key_messages(key_messages=v2)
    v2 = services.update_key_messages(
        key_messages=v2, text=original + "\n- Corrected.", reason="A date was wrong."
    )
    with pytest.raises(ConductError, match="later version"):
        services.update_key_messages(key_messages=v1, text="Sneaky.")
    v2 = services.publish_key_messages(key_messages=services.approve_key_messages(key_messages=v2))
    v1.refresh_from_db()
    assert v1.text == original and v1.is_published
    assert v2.is_published and v2.reason == "A date was wrong."


# --- who sees what ----------------------------------------------------------------------------


def _readers(world):
    return {
        "secretariat": world.users["secretariat"],
        "member": world.users["member"],
        "outsider": world.users["outsider"],
        "anonymous": AnonymousUser(),
    }


def test_a_draft_or_approved_version_is_the_secretariats_only(world):
    km = _draft(world)
    for state in (KeyMessages.State.DRAFT, KeyMessages.State.APPROVED):
        KeyMessages.objects.filter(pk=km.pk).update(state=state)
        km.refresh_from_db()
        for name, user in _readers(world).items():
            expected = name == "secretariat"
            assert access.key_messages_visible_to(user, km) is expected, (state, name)
            listed = access.key_messages_visible_queryset(user).filter(pk=km.pk).exists()
            assert listed is expected, (state, name)


@pytest.mark.parametrize("public", [True, False])
def test_published_key_messages_are_public_for_a_public_meeting_else_members_only(world, public):
    world.meeting.is_public = public
    world.meeting.save()
    km = _published(world)
    for name, user in _readers(world).items():
        expected = name in ("secretariat", "member") or public
        assert access.key_messages_visible_to(user, km) is expected, name
        assert access.key_messages_visible_queryset(user).filter(pk=km.pk).exists() is expected


def test_the_meeting_page_and_its_own_page_show_only_what_is_published(world, client):
    km = _draft(world)
    km = services.update_key_messages(key_messages=km, text="DRAFT-ONLY words.")
    page = world.meeting.get_absolute_url()
    own = reverse("record:key_messages", args=[world.committee.slug, world.meeting.pk])
    assert "DRAFT-ONLY" not in client.get(page).content.decode()
    assert client.get(own).status_code == 404
    client.force_login(world.users["secretariat"])
    assert client.get(own).status_code == 404  # a draft is not on the public pages at all
    client.logout()

    km = services.update_key_messages(key_messages=km, text="- PUBLISHED-WORDS about winter.")
    services.publish_key_messages(key_messages=services.approve_key_messages(key_messages=km))
    body = client.get(page).content.decode()
    assert 'id="key-messages"' in body and "PUBLISHED-WORDS" in body
    response = client.get(own)
    assert response.status_code == 200 and "PUBLISHED-WORDS" in response.content.decode()

    v2 = services.start_key_messages(meeting=world.meeting)
    services.update_key_messages(key_messages=v2, text="UNPUBLISHED-V2", reason="Revised.")
    body = client.get(own).content.decode()
    assert "PUBLISHED-WORDS" in body and "UNPUBLISHED-V2" not in body


def test_feed_sitemap_search_and_api_carry_published_key_messages_only(world, client):
    km = _draft(world)
    km = services.update_key_messages(key_messages=km, text="- Harbourside DRAFTWORD plan.")
    own = reverse("record:key_messages", args=[world.committee.slug, world.meeting.pk])
    client.force_login(world.users["secretariat"])
    assert client.get("/api/v1/key-messages/").json()["count"] == 0
    assert own not in client.get(reverse("public:search"), {"q": "DRAFTWORD"}).content.decode()
    client.logout()
    feed = reverse("feeds:committee_atom", args=[world.committee.slug])
    assert "Key messages" not in client.get(feed).content.decode()

    km = services.update_key_messages(key_messages=km, text="- Harbourside PUBWORD plan.")
    services.publish_key_messages(key_messages=services.approve_key_messages(key_messages=km))
    assert own in client.get(feed).content.decode()
    assert own in full_sitemap(client)
    search = client.get(reverse("public:search"), {"q": "PUBWORD"}).content.decode()
    assert own in search
    data = client.get("/api/v1/key-messages/", {"committee": world.committee.slug}).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["meeting"], row["version"], row["url"]) == (world.meeting.pk, 1, own)
    assert "PUBWORD" in row["text"] and SECRET not in row["text"]


def test_private_meetings_key_messages_stay_out_of_the_public_feed_and_api(world, client):
    world.meeting.is_public = False
    world.meeting.save()
    km = services.update_key_messages(key_messages=_draft(world), text="PRIVWORD for members.")
    services.publish_key_messages(key_messages=services.approve_key_messages(key_messages=km))
    assert client.get("/api/v1/key-messages/").json()["count"] == 0
    feed = reverse("feeds:committee_atom", args=[world.committee.slug])
    assert "PRIVWORD" not in client.get(feed).content.decode()
    client.force_login(world.users["member"])
    assert client.get("/api/v1/key-messages/").json()["count"] == 1


# --- the secretariat's screen -----------------------------------------------------------------


def test_the_secretariat_drafts_approves_and_publishes_on_its_screen(world, client):
    edit = reverse("record:key_messages_edit", args=[world.meeting.pk])
    for who in ("member", "outsider"):
        client.force_login(world.users[who])
        assert client.get(edit).status_code == 404
        action = reverse("record:key_messages_action", args=[world.meeting.pk, "start"])
        assert client.post(action).status_code == 404
    assert not KeyMessages.objects.exists()

    client.force_login(world.users["secretariat"])
    detail = client.get(world.meeting.get_secretariat_url()).content.decode()
    assert 'id="key-messages"' in detail and "Not drafted yet" in detail
    assert "ToR, Accountability and Reporting" in detail
    client.post(reverse("record:key_messages_action", args=[world.meeting.pk, "start"]))
    km = KeyMessages.objects.get()
    client.post(edit, {"text": "- SCREENWORD endorsed."})
    client.post(reverse("record:key_messages_action", args=[world.meeting.pk, "approve"]))
    client.post(reverse("record:key_messages_action", args=[world.meeting.pk, "publish"]))
    km.refresh_from_db()
    assert km.is_published and km.text == "- SCREENWORD endorsed."
    page = client.get(edit).content.decode()
    assert "Sent and published" in page and "to 4 members" in page
    response = client.post(reverse("record:key_messages_action", args=[world.meeting.pk, "nope"]))
    assert response.status_code == 302


def test_the_screen_says_so_where_the_rule_is_off(km, client):
    meeting = meeting_with_agenda(km, DAY)
    client.force_login(km.users["secretariat"])
    assert (
        "do not ask for key messages"
        in client.get(reverse("record:key_messages_edit", args=[meeting.pk])).content.decode()
    )
    response = client.post(
        reverse("record:key_messages_action", args=[meeting.pk, "start"]), follow=True
    )
    assert "do not ask for a summary of key messages" in response.content.decode()
    assert 'id="key-messages"' not in client.get(meeting.get_secretariat_url()).content.decode()


@pytest.mark.django_db
def test_the_demo_reports_each_meeting_as_its_tor_says(client, settings, tmp_path):
    """M&SE: key messages published for the earlier past meetings, the latest a draft, none
    with Part 2 content; K&M: none, but its published minutes went to the three partners."""
    from meetings.models import MinutesPresentation
    from tests.conftest import load_demo_once

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    load_demo_once()  # the whole demo, loaded once per session (its record included)
    mse = KeyMessages.objects.filter(meeting__committee__slug="mid-south-essex-icp")
    assert mse.filter(state="published").exists() and mse.filter(state="draft").exists()
    assert not any("PART2" in km.text for km in mse)
    assert not KeyMessages.objects.filter(meeting__committee__slug="kent-medway-icp").exists()
    published = mse.filter(state="published").select_related("meeting__committee").first()
    url = reverse("record:key_messages", args=["mid-south-essex-icp", published.meeting_id])
    assert client.get(url).status_code == 200
    sent = MinutesPresentation.objects.filter(
        minutes__meeting__committee__slug="kent-medway-icp", status="sent"
    )
    assert {p.organisation.short_name for p in sent} == {"ICB", "KCC", "Medway"}
    assert not MinutesPresentation.objects.filter(status="no_contact").exists()
    # The published key messages went to the members in the days after their meeting, as the
    # demo's other past mailings: not queued at load, so not sent again at every start of the
    # demo (104 emails dated the day it was started, each mailing "Key messages, <today>").
    for km in mse.filter(state="published").select_related("meeting"):
        assert km.created_at <= km.approved_at <= km.published_at
        assert timezone.localdate(km.published_at) > km.meeting.date
        assert timezone.localdate(km.published_at) < timezone.localdate()
        emails = OutboxMessage.objects.filter(meeting=km.meeting, message_name="key_messages")
        assert emails.count() == km.sent_to > 0
        assert not emails.exclude(state="sent").exists()
        assert set(emails.values_list("sent_at", flat=True)) == {km.published_at}
        day = timezone.localdate(km.published_at)
        assert set(emails.values_list("mailing", flat=True)) == {
            f"key_messages:m{km.meeting_id}:{day}"
        }
