"""The public site around a meeting: its page (schema.org data, links), calendars, the Atom feed,
the sitemap, caching with conditional requests, email alerts, and the members' portal."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from communications.models import CalendarToken, NotificationPreferences, OutboxMessage
from communications.services import build_email
from meetings.models import ItemRequest, Meeting
from tests.conftest import full_sitemap
from tests.meetings.conftest import SECRET_DESCRIPTION, SECRET_TITLE
from tests.meetings.test_access import dispatch, login, paper_url


def _page(client, meeting, **headers):
    return client.get(
        reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk]), **headers
    )


def test_meeting_page_has_event_data_webcast_and_calendar_link(client, world):
    meeting = world["meeting"]
    meeting.webcast_link = "https://webcast.example.org/icp"
    meeting.save()
    body = _page(client, meeting).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body).group(1)
    )
    assert data["@type"] == "Event"
    assert data["startDate"].startswith("2030-06-04T14:00:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert "https://webcast.example.org/icp" in body
    assert reverse("feeds:meeting_ics", args=["test-jc", meeting.pk]) in body


def test_calendars_list_public_meetings_without_agenda_lines(client, world):
    people = world["people"]
    dispatch(world["meeting"], people)
    response = client.get(reverse("feeds:committee_ics", args=["test-jc"]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["UID"]) for e in events] == [f"meeting-{world['meeting'].pk}@testserver"]
    text = response.content.decode()
    assert SECRET_TITLE not in text and SECRET_DESCRIPTION not in text
    one = client.get(reverse("feeds:meeting_ics", args=["test-jc", world["meeting"].pk]))
    assert one.status_code == 200 and b"BEGIN:VEVENT" in one.content
    private = client.get(reverse("feeds:meeting_ics", args=["test-jc", world["private"].pk]))
    assert private.status_code == 404


def test_atom_feed_and_sitemap_list_part1_only_after_dispatch(client, world):
    people = world["people"]
    feed_url = reverse("feeds:committee_atom", args=["test-jc"])
    before = client.get(feed_url).content.decode()
    assert "Minutes" not in before
    assert paper_url(world["pub_p1"]) not in full_sitemap(client)
    dispatch(world["meeting"], people)
    dispatch(world["private"], people)
    response = client.get(feed_url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert paper_url(world["pub_p1"]) in feed
    for key in ("pub_p2", "priv_p1", "priv_p2"):
        assert paper_url(world[key]) not in feed
    assert "Valuation report" not in feed and SECRET_TITLE not in feed
    sitemap = full_sitemap(client)
    assert paper_url(world["pub_p1"]) in sitemap
    assert world["meeting"].get_absolute_url() in sitemap
    assert world["private"].get_absolute_url() not in sitemap
    for key in ("pub_p2", "priv_p1", "priv_p2"):
        assert paper_url(world[key]) not in sitemap


def test_public_pages_answer_304_and_change_when_something_is_published(client, world):
    people = world["people"]
    first = _page(client, world["meeting"])
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    assert _page(client, world["meeting"], HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert _page(client, world["meeting"], HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert "Minutes" not in first.content.decode()

    dispatch(world["meeting"], people)  # publishing moves the generation on
    after = _page(client, world["meeting"], HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert paper_url(world["pub_p1"]) in after.content.decode()

    # A member is never served the shared copy, and their page is not shared either.
    login(client, people, "member")
    mine = _page(client, world["meeting"])
    assert SECRET_TITLE in mine.content.decode()
    assert "private" in mine["Cache-Control"] and not mine.has_header("ETag")
    client.logout()
    assert SECRET_TITLE not in _page(client, world["meeting"]).content.decode()


def test_cache_is_cleared_by_any_change_to_a_committee(client, committee):
    assert "Renamed committee" not in client.get("/").content.decode()
    committee.name = "Renamed committee"
    committee.save()
    assert "Renamed committee" in client.get("/").content.decode()


def test_public_committee_pages(client, world):
    committee = world["meeting"].committee
    committee.terms_of_reference = "# 1. Introduction\n\nThe ICP is a **joint committee**.\n- one"
    committee.save()
    home = client.get(reverse("public:committee", args=["test-jc"])).content.decode()
    for name in ("meetings", "membership", "terms_of_reference", "alerts_subscribe"):
        assert reverse(f"public:{name}", args=["test-jc"]) in home
    tor = client.get(reverse("public:terms_of_reference", args=["test-jc"])).content.decode()
    assert '<h2 class="govuk-heading-m">1. Introduction</h2>' in tor
    assert "<strong>joint committee</strong>" in tor
    meetings = client.get(reverse("public:meetings", args=["test-jc"])).content.decode()
    assert world["meeting"].get_absolute_url() in meetings
    assert (
        client.get(reverse("public:meetings", args=["test-jc"]), {"year": "x"}).status_code == 404
    )
    members = client.get(reverse("public:membership", args=["test-jc"])).content.decode()
    assert "Chair Persona" in members
    assert client.get(reverse("public:terms_of_reference", args=["other"])).status_code == 404


def test_alerts_double_opt_in_one_click_unsubscribe(world):
    people = world["people"]
    client = Client(enforce_csrf_checks=True)
    subscribe = reverse("public:alerts_subscribe", args=["test-jc"])
    page = client.get(subscribe)
    token = page.cookies["csrftoken"].value
    response = client.post(subscribe, {"email": "not-an-email", "csrfmiddlewaretoken": token})
    assert "Enter an email address in the right form" in response.content.decode()
    client.post(subscribe, {"email": "Resident@Example.org", "csrfmiddlewaretoken": token})
    confirm = OutboxMessage.objects.get(message_name="alert_confirm")
    assert confirm.recipient == "resident@example.org"
    link = re.search(r"http://testserver(/alerts/confirm/\S+/)", confirm.body_text).group(1)

    # Not confirmed yet: dispatch sends no alert.
    dispatch(world["meeting"], people)
    assert not OutboxMessage.objects.filter(message_name="alert_published").exists()

    assert b"Confirm my alerts" in client.get(link).content  # GET changes nothing
    client.post(link, {"csrfmiddlewaretoken": token})
    dispatch(world["private"], people)  # a private meeting's papers are not public news
    assert not OutboxMessage.objects.filter(message_name="alert_published").exists()

    from public_site.alerts import notify_subscribers

    meeting = world["meeting"]
    link_to = "http://testserver" + meeting.get_absolute_url()
    for _ in range(2):  # idempotent
        notify_subscribers(
            committee=meeting.committee, meeting=meeting, what="minutes", link=link_to
        )
    alert = OutboxMessage.objects.get(message_name="alert_published")
    assert "the minutes" in alert.subject
    unsubscribe = alert.headers["List-Unsubscribe"].strip("<>")
    assert alert.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    email = build_email(alert)
    email.send()
    sent = mail.outbox[-1].message()
    assert sent["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert unsubscribe in alert.body_text

    # RFC 8058: the mail provider POSTs without a CSRF token.
    path = unsubscribe.replace("http://testserver", "")
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.get(path[:-3] + "xx/").status_code == 404
    OutboxMessage.objects.filter(message_name="alert_published").delete()
    notify_subscribers(committee=meeting.committee, meeting=meeting, what="minutes", link=link_to)
    assert not OutboxMessage.objects.filter(message_name="alert_published").exists()
    bad = client.post("/alerts/confirm/bad-token/", {"csrfmiddlewaretoken": token})
    assert "not valid" in bad.content.decode()


def test_my_meetings_shows_papers_as_entitled_and_what_is_due(
    client, world, django_assert_max_num_queries
):
    people = world["people"]
    dispatch(world["meeting"], people)
    ItemRequest.objects.create(
        meeting=world["meeting"],
        requested_by=people["member"],
        title="Dentistry access",
        summary="s",
        why="w",
        timing="on_time",
    )
    login(client, people, "member")
    with django_assert_max_num_queries(20):
        body = client.get(reverse("portal:home")).content.decode()
    assert paper_url(world["pub_p2"]) in body  # Part 2, entitled
    assert paper_url(world["priv_p1"]) not in body  # not dispatched yet
    assert "Dentistry access" in body
    assert "register of interests needs confirming" in body
    login(client, people, "chair")
    body = client.get(reverse("portal:home")).content.decode()
    assert "1 item request awaits your decision" in body
    login(client, people, "observer")
    body = client.get(reverse("portal:home")).content.decode()
    assert paper_url(world["pub_p1"]) in body and paper_url(world["pub_p2"]) not in body


def test_my_meetings_promises_no_papers_for_a_cancelled_meeting(client, world):
    people = world["people"]
    login(client, people, "member")
    assert "No papers yet" in client.get(reverse("portal:home")).text  # neither dispatched
    dispatch(world["meeting"], people)
    world["private"].status = Meeting.Status.CANCELLED
    world["private"].save()
    body = client.get(reverse("portal:home")).text
    assert "No papers yet" not in body
    assert "No papers: the meeting is cancelled." in body


def test_my_meetings_says_when_papers_are_due_and_when_they_are_late(
    client, personas, committee, django_assert_max_num_queries
):
    # Seen in the demo: the member's next meeting was the next day, its papers a week overdue,
    # and "My meetings" said only "No papers yet."
    meetings = [
        Meeting.objects.create(committee=committee, date=d, start_time=dt.time(14))
        for d in (dt.date(2026, 6, 2), dt.date(2026, 6, 16), dt.date(2026, 7, 7))
    ]
    client.force_login(personas["member"])
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)):
        body = client.get(reverse("portal:home")).text
        assert (
            "No papers yet: they are due by Friday 22 May 2026." in body
        )  # 2 June; 25 May a holiday
        assert "they were due" not in body
    with time_machine.travel(dt.datetime(2026, 5, 27, 12, 0, tzinfo=dt.UTC)):
        with django_assert_max_num_queries(20) as few:
            body = client.get(reverse("portal:home")).text
        assert "No papers yet: they were due by Friday 22 May 2026." in body
        assert "No papers yet: they are due by Monday 8 June 2026." in body  # 16 June
        # Two more meetings cost no more queries.
        for d in (dt.date(2026, 9, 1), dt.date(2026, 10, 6)):
            Meeting.objects.create(committee=committee, date=d, start_time=dt.time(14))
        with django_assert_max_num_queries(len(few.captured_queries)):
            body = client.get(reverse("portal:home")).text
        assert body.count("No papers yet: they are due by") == 4
    meetings[0].status = Meeting.Status.CANCELLED
    meetings[0].save()
    with time_machine.travel(dt.datetime(2026, 5, 27, 12, 0, tzinfo=dt.UTC)):
        body = client.get(reverse("portal:home")).text
    assert "they were due" not in body and "No papers: the meeting is cancelled." in body
    # Sent, though with no paper this reader may open: nothing is still due.
    Meeting.objects.filter(pk=meetings[1].pk).update(
        papers_dispatched_at=dt.datetime(2026, 6, 5, 9, 0, tzinfo=dt.UTC)
    )
    with time_machine.travel(dt.datetime(2026, 6, 8, 12, 0, tzinfo=dt.UTC)):
        body = client.get(reverse("portal:home")).text
    assert "Monday 8 June 2026" not in body and body.count("they are due by") == 3


def test_personal_calendar_is_secret_revocable_and_has_no_part2(client, world):
    people = world["people"]
    dispatch(world["meeting"], people)
    login(client, people, "member")
    client.post(reverse("portal:calendar_regenerate"))
    token = CalendarToken.objects.get(user=people["member"]).token
    feed = reverse("feeds:personal_ics", args=[token])
    anon = Client()
    response = anon.get(feed)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 2  # the public and the private meeting
    assert SECRET_TITLE not in text and "Valuation" not in text
    assert "private, no-store" in response["Cache-Control"]
    client.post(reverse("portal:calendar_regenerate"))
    assert anon.get(feed).status_code == 404
    client.post(reverse("portal:calendar_revoke"))
    assert not CalendarToken.objects.filter(user=people["member"]).exists()
    assert client.get(reverse("portal:calendar_revoke")).status_code == 405


def test_notification_preferences_are_saved(client, world):
    people = world["people"]
    login(client, people, "member")
    assert client.get(reverse("portal:notifications")).status_code == 200
    assert not NotificationPreferences.objects.exists()  # GET writes nothing
    client.post(reverse("portal:notifications"), {"publication_alerts": "on"})
    prefs = NotificationPreferences.objects.get(user=people["member"])
    assert prefs.publication_alerts and not prefs.reminders
    from public_site.alerts import notify_subscribers

    meeting = world["meeting"]
    notify_subscribers(committee=meeting.committee, meeting=meeting, what="papers", link="x")
    assert OutboxMessage.objects.filter(
        message_name="alert_published", recipient=people["member"].email
    ).exists()


@pytest.mark.parametrize("path", ["/healthz"])
def test_healthz(client, path):
    assert client.get(path).content == b"ok"
