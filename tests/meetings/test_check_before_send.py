"""Check before you send (issue 13): dispatch, notice, cancellation and the minutes' circulation
show who will receive what, which attachments, Part 2 or not, and what becomes public; nothing
is sent or changed until the check page's own button (confirm=1) is pressed."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communications.models import OutboxMessage
from meetings.agenda import services
from meetings.models import Agenda, Meeting, Part
from tests.conftest import PASSWORD
from tests.meetings.conftest import pdf_bytes
from tests.meetings.processed import processed
from tests.meetings.test_dispatch import agree


def _with_part2(meeting, people, grounds):
    agenda = services.get_or_create_agenda(meeting=meeting)
    item = services.add_item(
        agenda=agenda,
        by=None,
        title="Acquisition of Site X",
        part=Part.PRIVATE,
        part2_ground=grounds[0],
        public_description="A property matter",
    )
    # Uploads are processed by Celery after commit: here the task body runs now.
    processed(
        services.upload_paper(
            item=item,
            by=people["secretariat"],
            uploaded=SimpleUploadedFile("x.pdf", pdf_bytes()),
            title="Site X valuation",
        )
    )
    return agree(meeting, people)


def test_dispatch_check_shows_recipients_by_role_part2_and_what_goes_public(
    meeting, people, grounds, client
):
    _with_part2(meeting, people, grounds)
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("agenda:dispatch", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Check before you send" in page
    assert "Members (3)" in page and "Participants (1)" in page
    assert "participant@example.org" in page
    assert "A calendar invitation (.ics)" in page  # the summons: no notice earlier
    assert "1 Part 2 item(s) with 1 paper(s)" in page
    assert "The Part 1 agenda" in page
    # The check page itself never shows the Part 2 title beside the public lines.
    assert 'name="confirm" value="1"' in page
    # Neither the GET nor the old direct POST sends anything.
    assert client.post(url).status_code == 200
    assert not OutboxMessage.objects.filter(message_name="dispatch_papers").exists()
    assert Agenda.objects.get(meeting=meeting).state == Agenda.State.AGREED
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert Agenda.objects.get(meeting=meeting).state == Agenda.State.DISPATCHED
    assert OutboxMessage.objects.filter(message_name="dispatch_papers").count() == 4


def test_dispatch_check_of_an_unagreed_agenda_offers_no_send_button(meeting, people, client):
    services.get_or_create_agenda(meeting=meeting)
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("agenda:dispatch", args=[meeting.pk])).content.decode()
    assert "This cannot be sent yet" in page and "not agreed yet" in page
    assert 'name="confirm"' not in page


def test_check_pages_are_the_secretariats_only(meeting, people, client):
    agree(meeting, people)
    client.login(username="chair", password=PASSWORD)
    assert client.get(reverse("agenda:dispatch", args=[meeting.pk])).status_code == 404
    url = reverse("meetings_admin:meeting_notice", args=[meeting.committee.slug, meeting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert not OutboxMessage.objects.filter(message_name="notice").exists()


def test_notice_check_lists_the_members_and_the_ics(meeting, people, client):
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("meetings_admin:meeting_notice", args=[meeting.committee.slug, meeting.pk])
    page = client.get(url).content.decode()
    assert "Give notice of the meeting" in page and "A calendar invitation (.ics)" in page
    assert "member@example.org" in page
    assert not OutboxMessage.objects.exists()
    client.post(url, {"confirm": "1"})
    assert OutboxMessage.objects.filter(message_name="notice").exists()


def test_cancel_check_names_who_had_notice_and_keeps_the_meeting_until_confirmed(
    meeting, people, client
):
    from meetings.scheduling.services import issue_notice

    issue_notice(meeting=meeting)
    OutboxMessage.objects.filter(message_name="notice").update(state=OutboxMessage.State.SENT)
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("meetings_admin:meeting_cancel", args=[meeting.committee.slug, meeting.pk])
    page = client.post(url, {"reason": "No business & <nothing> to decide"}).content.decode()
    assert "Everyone who was sent the notice" in page
    assert "member@example.org" in page
    assert "No business &amp; &lt;nothing&gt; to decide" in page  # escaped, carried forward
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED
    client.post(url, {"reason": "No business & <nothing> to decide", "confirm": "1"})
    cancelled = Meeting.objects.get(pk=meeting.pk)
    assert cancelled.status == Meeting.Status.CANCELLED
    assert cancelled.cancellation_reason == "No business & <nothing> to decide"
    assert OutboxMessage.objects.filter(message_name="meeting-cancelled").exists()


def test_cancel_without_a_reason_still_asks_for_one(meeting, people, client):
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("meetings_admin:meeting_cancel", args=[meeting.committee.slug, meeting.pk])
    page = client.post(url, {"reason": "", "confirm": "1"}).content.decode()
    assert "Check before you send" not in page
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED


def test_circulating_and_publishing_minutes_need_the_check_page(meeting, people, client):
    from meetings.models import Minutes

    minutes = Minutes.objects.create(
        meeting=meeting,
        sections=[
            {"key": "a", "heading": "Home care", "part": 1, "text": "Discussed."},
            {"key": "b", "heading": "Riverside", "part": 2, "text": "Private words."},
        ],
    )
    client.login(username="secretariat", password=PASSWORD)
    url = reverse("record:minutes_action", args=[meeting.pk, "circulate"])
    page = client.post(url).content.decode()
    assert "Check before you send" in page and "member@example.org" in page
    assert "The draft has Part 2 sections" in page
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.DRAFT
    assert not OutboxMessage.objects.filter(message_name="minutes_circulated").exists()
    client.post(url, {"confirm": "1"})
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.CIRCULATED
    assert OutboxMessage.objects.filter(message_name="minutes_circulated").exists()
    # Publishing: unapproved minutes get the check page with the reason and no button.
    page = client.post(reverse("record:minutes_action", args=[meeting.pk, "publish"]))
    text = page.content.decode()
    assert "Only approved minutes are published." in text and 'name="confirm"' not in text
