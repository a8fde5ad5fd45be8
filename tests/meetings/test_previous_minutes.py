"""The approved minutes of the last meeting attach themselves to the next agenda's minutes item
(issue 13): on the meeting page, as each reader may read them, and in the pack as the item's
paper; until approved the item says so. A new pack version follows, never an overwrite."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from documents.models import Audience, Kind
from documents.selectors import document_spec, pack_input
from meetings.agenda import services
from meetings.minutes.tasks import build_minutes_document
from meetings.models import Meeting, Minutes
from tests.conftest import PASSWORD
from tests.meetings.test_dispatch import agree

SECRET = "PART2-PREVIOUS-SECRET-harbour"


def _previous(committee) -> tuple[Meeting, Minutes]:
    before = Meeting.objects.create(
        committee=committee, date=dt.date(2030, 3, 5), start_time=dt.time(14)
    )
    minutes = Minutes.objects.create(
        meeting=before,
        state=Minutes.State.CIRCULATED,
        sections=[
            {"key": "a", "heading": "Home care", "part": 1, "text": "Members discussed it."},
            {"key": "b", "heading": "Riverside", "part": 2, "text": SECRET},
        ],
    )
    return before, minutes


def _publish(minutes: Minutes) -> None:
    now = timezone.now()
    Minutes.objects.filter(pk=minutes.pk).update(
        state=Minutes.State.PUBLISHED, approved_at=now, published_at=now
    )
    for audience in ("public", "members"):
        assert build_minutes_document(minutes.pk, audience) is not None


def _titles(pack) -> list[str]:
    item = next(i for i in pack.items if i.title.startswith("Minutes"))
    return [p.title for p in item.papers], item.body_html


def test_not_yet_approved_is_said_and_nothing_is_attached(meeting, people, client):
    _previous(meeting.committee)
    services.dispatch_agenda(agenda=agree(meeting, people), by=people["secretariat"])
    page = client.get(reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk]))
    text = page.content.decode()
    assert (
        "The minutes of the meeting held on Tuesday 5 March 2030 have not yet been approved."
        in (text)
    )
    assert "minutes/1/" not in text
    pack, _ = pack_input(meeting, Audience.PUBLIC)
    papers, body = _titles(pack)
    assert papers == [] and "have not yet been approved" in body


def test_published_minutes_are_the_items_paper_for_each_reader(meeting, people, client):
    before, minutes = _previous(meeting.committee)
    services.dispatch_agenda(agenda=agree(meeting, people), by=people["secretariat"])
    old_hash = document_spec(meeting, Kind.PACK, Audience.PUBLIC).content_hash
    _publish(minutes)
    public_url = reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk])
    text = client.get(public_url).content.decode()
    assert "approved on" in text and "are attached" in text
    public_pdf = reverse(
        "record:minutes_pdf", args=[meeting.committee.slug, before.pk, 1, "public"]
    )
    members_pdf = reverse(
        "record:minutes_pdf", args=[meeting.committee.slug, before.pk, 1, "members"]
    )
    assert public_pdf in text and members_pdf not in text
    assert client.get(public_pdf).status_code == 200
    client.login(username="member", password=PASSWORD)
    member_page = client.get(reverse("portal_meetings:meeting", args=[meeting.pk])).content.decode()
    assert members_pdf in member_page
    # In the packs: the public minutes in the public pack, the members' in the members' pack.
    pub, _ = pack_input(meeting, Audience.PUBLIC)
    papers, _ = _titles(pub)
    assert papers == ["Minutes of the meeting held on Tuesday 5 March 2030"]
    item = next(i for i in pub.items if i.title.startswith("Minutes"))
    public_doc = minutes.documents.get(audience="public")
    assert item.papers[0].path.name == public_doc.storage_name
    mem, _ = pack_input(meeting, Audience.MEMBERS)
    item = next(i for i in mem.items if i.title.startswith("Minutes"))
    assert item.papers[-1].path.name == minutes.documents.get(audience="members").storage_name
    # The pack's content changed: a new version, the old one kept under its own hash.
    assert document_spec(meeting, Kind.PACK, Audience.PUBLIC).content_hash != old_hash


def test_a_cancelled_meeting_is_not_the_previous_one(meeting, people, client):
    _previous(meeting.committee)
    Meeting.objects.create(
        committee=meeting.committee,
        date=dt.date(2030, 5, 1),
        start_time=dt.time(14),
        status=Meeting.Status.CANCELLED,
    )
    services.dispatch_agenda(agenda=agree(meeting, people), by=people["secretariat"])
    text = client.get(
        reverse("meetings_public:meeting", args=[meeting.committee.slug, meeting.pk])
    ).content.decode()
    assert "held on Tuesday 5 March 2030" in text


def test_the_next_meetings_documents_are_rebuilt_when_the_minutes_pdf_is_published(
    meeting, people, django_capture_on_commit_callbacks
):
    from documents.models import DocumentBuild

    before, minutes = _previous(meeting.committee)
    services.dispatch_agenda(agenda=agree(meeting, people), by=people["secretariat"])
    builds = DocumentBuild.objects.filter(meeting=meeting).count()
    with django_capture_on_commit_callbacks():
        _publish(minutes)
    reasons = list(DocumentBuild.objects.filter(meeting=meeting).values_list("reason", flat=True))
    assert len(reasons) > builds
    assert "previous meeting's minutes published" in reasons


def test_the_kept_pdfs_of_the_previous_minutes_follow_a_new_build(
    meeting, django_capture_on_commit_callbacks, redis_url
):
    """The previous minutes' PDFs are kept in the cache for the next meeting's page (issue 17:
    at most 10 queries); a newly built PDF is seen at once."""
    from meetings.minutes.previous import previous_minutes

    _, minutes = _previous(meeting.committee)
    with django_capture_on_commit_callbacks(execute=True):
        assert previous_minutes(meeting).documents == {}
    with django_capture_on_commit_callbacks(execute=True):
        _publish(minutes)
    found = previous_minutes(meeting)
    assert found.published and set(found.documents) == {"public", "members"}
