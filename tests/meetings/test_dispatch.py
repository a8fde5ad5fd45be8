"""Dispatch (ToR 12.2): only when agreed; emails every member and participant with a link and no
attachments; records when, and shows it against the papers deadline."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communications.models import OutboxMessage
from icp_secretariat.lib.workdays import WorkingCalendar
from meetings.agenda import services
from meetings.agenda.rules import dispatch_compliance
from meetings.errors import AgendaError
from meetings.models import Agenda, Meeting, Part
from tests.conftest import PASSWORD
from tests.meetings.conftest import pdf_bytes
from tests.meetings.processed import processed


def agree(meeting, people):
    agenda = services.get_or_create_agenda(meeting=meeting)
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    return services.agree_agenda(agenda=agenda, by=people["chair"], version=agenda.version)


def test_cannot_dispatch_a_draft_or_awaiting_agenda(meeting, people):
    agenda = services.get_or_create_agenda(meeting=meeting)
    with pytest.raises(AgendaError, match="not agreed"):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    services.send_to_chair(agenda=agenda, by=people["secretariat"])
    with pytest.raises(AgendaError, match="not agreed"):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])


def test_only_the_committees_secretariat_dispatches(meeting, people):
    agenda = agree(meeting, people)
    for who in ("chair", "other_secretariat", "member"):
        with pytest.raises(AgendaError, match="secretariat"):
            services.dispatch_agenda(agenda=agenda, by=people[who])


def test_dispatch_emails_members_and_participants_with_a_link_and_no_attachments(
    meeting, people, grounds
):
    agenda = services.get_or_create_agenda(meeting=meeting)
    item = services.add_item(
        agenda=agenda,
        by=None,
        title="Acquisition of Site X",
        part=Part.PRIVATE,
        part2_ground=grounds[0],
        public_description="A property matter",
    )
    processed(
        services.upload_paper(
            item=item,
            by=people["secretariat"],
            uploaded=SimpleUploadedFile("x.pdf", pdf_bytes()),
            title="Site X valuation",
        )
    )
    agree(meeting, people)
    agenda.refresh_from_db()
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    agenda.refresh_from_db()
    assert agenda.state == Agenda.State.DISPATCHED
    assert agenda.dispatched_by == people["secretariat"]
    assert agenda.dispatched_at is not None
    sent = OutboxMessage.objects.filter(message_name="dispatch_papers")
    recipients = set(sent.values_list("recipient", flat=True))
    # Members (chair, member, leader) and the participant; not observers, attendees, outsiders.
    assert recipients == {
        "chair@example.org",
        "member@example.org",
        "leader@example.org",
        "participant@example.org",
    }
    for msg in sent:
        # No paper is attached: only the calendar invitation of the summons (no notice before).
        assert [a["filename"] for a in msg.attachments] == ["invite.ics"]
        assert f"/my/meetings/{meeting.pk}/" in msg.body_text
        assert "Acquisition of Site X" not in msg.body_text + msg.body_html + msg.subject
        assert "Site X valuation" not in msg.body_text
        assert "A property matter" in msg.body_text


def test_dispatch_includes_observers_invited_to_the_meeting(meeting, people):
    from members.models import Person

    services.invite_to_meeting(
        meeting=meeting, person=Person.objects.get(user=people["observer"]), part2=True, by=None
    )
    agenda = agree(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    assert OutboxMessage.objects.filter(
        message_name="dispatch_papers", recipient="observer@example.org"
    ).exists()


def test_dispatching_twice_is_refused_and_sends_no_second_copy(meeting, people):
    agenda = agree(meeting, people)
    services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    n = OutboxMessage.objects.filter(message_name="dispatch_papers").count()
    with pytest.raises(AgendaError):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    assert OutboxMessage.objects.filter(message_name="dispatch_papers").count() == n


CAL = WorkingCalendar("ENG")


@pytest.mark.parametrize(
    "dispatched, late_by",
    [
        (dt.date(2026, 5, 22), 0),  # on the deadline (Fri 22 May 2026 for Tue 2 Jun)
        (dt.date(2026, 5, 20), 0),  # early
        (dt.date(2026, 5, 23), 1),  # Saturday after: counted as late by one working day
        (dt.date(2026, 5, 26), 1),  # Tue 26 May (Mon 25 May is a bank holiday)
        (dt.date(2026, 5, 27), 2),
    ],
)
def test_compliance_against_the_papers_deadline(dispatched, late_by):
    c = dispatch_compliance(CAL, deadline=dt.date(2026, 5, 22), dispatched_on=dispatched)
    assert c.late_by == late_by
    assert c.on_time == (late_by == 0)
    assert ("late by" in c.describe()) == (late_by > 0)


@pytest.mark.parametrize(
    "today, late_if_sent",
    [
        (dt.date(2026, 5, 21), 0),  # before the deadline
        (dt.date(2026, 5, 22), 0),  # on it
        (dt.date(2026, 5, 23), 1),  # the Saturday after
        (dt.date(2026, 5, 27), 2),  # Wed, the bank holiday Monday not counted
    ],
)
def test_a_dispatch_not_made_says_how_late_it_would_be_today(today, late_if_sent):
    c = dispatch_compliance(CAL, deadline=dt.date(2026, 5, 22), dispatched_on=None, today=today)
    assert c.late_if_sent_today == late_if_sent and c.late_by == 0 and not c.on_time
    assert c.missed == (late_if_sent > 0)
    text = c.describe()
    assert text.startswith("Not yet dispatched")
    if late_if_sent:
        assert "22 May 2026) has passed" in text
        assert f"late by {late_if_sent} working day" in text
    else:
        assert text == "Not yet dispatched; papers deadline 22 May 2026."
    # Once dispatched, only the dispatch day counts, whatever today is.
    sent = dispatch_compliance(
        CAL, deadline=dt.date(2026, 5, 22), dispatched_on=dt.date(2026, 5, 20), today=today
    )
    assert sent.on_time and not sent.missed


def test_a_missed_deadline_is_shown_before_dispatch_on_the_builder_and_the_check_page(
    committee, people, client
):
    # Seen in the demo: the meeting was the next day, its papers deadline a week gone, and
    # the builder said only "Not yet dispatched; papers deadline 30 November 2026." while the
    # check page gave no warning before a late dispatch.
    meeting = Meeting.objects.create(
        committee=committee, date=dt.date(2026, 6, 2), start_time=dt.time(10)
    )
    agree(meeting, people)
    client.login(username="secretariat", password=PASSWORD)
    builder = reverse("agenda:builder", args=[meeting.pk])
    check = reverse("agenda:dispatch", args=[meeting.pk])
    agendas = reverse("agenda:meetings")
    with time_machine.travel(dt.datetime(2026, 5, 22, 12, 0, tzinfo=dt.UTC)):  # the deadline
        assert "Deadline missed" not in client.get(builder).text
        assert "This dispatch is late" not in client.get(check).text
        listed = client.get(agendas).text
        assert "Papers due by 22 May 2026" in listed and "Papers deadline missed" not in listed
    with time_machine.travel(dt.datetime(2026, 5, 27, 12, 0, tzinfo=dt.UTC)):
        # The secretariat's list of agendas says so too (it said only "Agreed").
        listed = client.get(agendas).text
        assert "Papers deadline missed" in listed and "due by 22 May 2026" in listed
        page = client.get(builder).text
        assert "Deadline missed" in page
        assert "the papers deadline (22 May 2026) has passed" in page
        assert "late by 2 working days" in page
        page = client.get(check).text
        assert "This dispatch is late" in page
        assert "Friday 22 May 2026 (5 clear working days before the meeting)" in page
        assert "late by 2 working days" in page
        assert 'name="confirm" value="1"' in page  # a warning, not a bar: it can still go
        assert client.post(check, {"confirm": "1"}).status_code == 302
        page = client.get(builder).text
        assert "due by" not in client.get(agendas).text  # sent: nothing is due any more
    assert "Late by 2 working days" in page and "Deadline missed" not in page


def test_builder_shows_dispatch_on_time_or_late(committee, people, client):
    meeting = Meeting.objects.create(
        committee=committee, date=dt.date(2026, 6, 2), start_time=dt.time(10)
    )
    agenda = agree(meeting, people)
    with time_machine.travel(dt.datetime(2026, 5, 27, 9, 0, tzinfo=dt.UTC)):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])
    assert services.papers_deadline(meeting) == dt.date(2026, 5, 22)
    client.login(username="secretariat", password=PASSWORD)
    page = client.get(reverse("agenda:builder", args=[meeting.pk]))
    assert "Late by 2 working days" in page.text
    assert "22 May 2026" in page.text


def test_an_urgent_meeting_called_at_short_notice_is_not_late_with_its_papers(
    committee, people, client
):
    # Seen in the demo: the urgent meeting of 9 June, its notice and papers sent together on 5
    # June, said publicly "Dispatched late by 4 working days on 5 June 2026 (deadline 1 June
    # 2026)", a deadline before the meeting was called. ToR 7.3: an urgent meeting's notice is
    # as the Chair specifies; its papers are due with the notice.
    meeting = Meeting.objects.create(
        committee=committee,
        date=dt.date(2026, 6, 2),
        start_time=dt.time(10),
        kind=Meeting.Kind.URGENT,
        urgent_reason="A decision is needed before the contract lapses.",
    )
    agenda = agree(meeting, people)
    with time_machine.travel(dt.datetime(2026, 5, 27, 9, 0, tzinfo=dt.UTC)):
        services.dispatch_agenda(agenda=agenda, by=people["secretariat"])  # the summons
    meeting.refresh_from_db()
    assert services.papers_deadline(meeting) == dt.date(2026, 5, 27)
    compliance = services.dispatch_compliance(meeting)
    assert compliance.short_notice and compliance.late_by == 0
    public = client.get(meeting.get_absolute_url()).content.decode()
    cited = committee.rules.cite("urgent_meeting")  # the committee's own paragraph (K&M: 7.3)
    assert (
        "Dispatched on 27 May 2026 with the notice of this urgent meeting, called at short "
        f"notice ({cited})." in unescape(public)
    )
    assert "late" not in public.lower().split("agenda and papers published")[1][:300]
    client.login(username="secretariat", password=PASSWORD)
    assert "Late by" not in client.get(reverse("agenda:builder", args=[meeting.pk])).text
    listing = client.get(reverse("meetings_admin:meeting_list", args=[committee.slug])).text
    assert "Missed" not in listing


def test_dispatch_view_publishes_part1(meeting, people, client):
    agree(meeting, people)
    url = reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk])
    assert "Declarations of interest" not in client.get(url).text
    client.login(username="secretariat", password=PASSWORD)
    check = client.post(reverse("agenda:dispatch", args=[meeting.pk]))
    assert check.status_code == 200 and "Check before you send" in check.text
    client.logout()
    assert "Declarations of interest" not in client.get(url).text
    client.login(username="secretariat", password=PASSWORD)
    resp = client.post(reverse("agenda:dispatch", args=[meeting.pk]), {"confirm": "1"})
    assert resp.status_code == 302
    client.logout()
    assert "Declarations of interest" in client.get(url).text
