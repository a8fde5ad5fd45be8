"""The public meeting page before its agenda goes out: what it says of the papers follows
today's date (a deadline to come, or gone by), and yesterday's copy of the page is neither
served nor confirmed today by the public cache (icp_secretariat/lib/public_cache.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from meetings.agenda.services import papers_deadline
from meetings.models import Meeting

pytestmark = pytest.mark.django_db
MEETING_DAY = dt.date(2030, 9, 3)  # a Tuesday


@pytest.fixture
def meeting(committee) -> Meeting:
    return Meeting.objects.create(
        committee=committee, date=MEETING_DAY, start_time=dt.time(10), venue="Harbour Hall"
    )


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def test_papers_due_then_overdue_and_yesterdays_copy_is_not_kept(client, meeting):
    deadline = papers_deadline(meeting)
    due = f"{deadline:%A} {deadline.day} {deadline:%B %Y}"
    url = meeting.get_absolute_url()
    with time_machine.travel(_noon(deadline - dt.timedelta(days=7)), tick=False) as traveller:
        before = client.get(url)
        assert f"The agenda and papers will be published by {due}." in before.text
        assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304

        traveller.move_to(_noon(deadline + dt.timedelta(days=1)))  # nothing written since
        assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
        assert since.status_code == 200
        after = client.get(url).text
        assert "will be published" not in after
        assert f"The agenda and papers have not been published yet: they were due by {due}." in (
            after
        )
        assert client.get(url, HTTP_IF_NONE_MATCH=since["ETag"]).status_code == 304


def test_a_cancelled_meeting_promises_no_papers(client, meeting):
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    with time_machine.travel(_noon(MEETING_DAY - dt.timedelta(days=30)), tick=False):
        page = client.get(meeting.get_absolute_url()).text
    assert "This meeting has been cancelled." in page
    assert "will be published" not in page and "were due" not in page


def test_the_meetings_list_says_when_papers_are_due_and_when_they_are_late(client, meeting):
    # Seen in the demo: the list said "Not yet published" for the next day's meeting whose
    # papers were a week overdue, as for one months away.
    deadline = papers_deadline(meeting)
    url = f"/committees/{meeting.committee.slug}/meetings/"
    with time_machine.travel(_noon(deadline - dt.timedelta(days=7)), tick=False) as traveller:
        assert f"Due by {deadline:%-d %b %Y}" in client.get(url).text
        traveller.move_to(_noon(deadline + dt.timedelta(days=1)))
        page = client.get(url).text
        assert f"Not yet published (due by {deadline:%-d %b %Y})" in page
        meeting.status = Meeting.Status.CANCELLED
        meeting.save()
        page = client.get(url).text
        assert "due by" not in page.lower()
