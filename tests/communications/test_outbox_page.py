"""The communications page: per committee, failures first, Retry by POST."""

import pytest
from django.urls import reverse

from committees.models import Committee, CommitteeRules
from communications.mail import queue_message
from communications.models import OutboxMessage
from tests.conftest import PASSWORD

URL = "/dashboard/communications/"


def make(committee, key, state="sent", error=""):
    message, _ = queue_message(
        recipient=f"{key}@example.org",
        name="meeting-cancelled",
        idempotency_key=key,
        committee=committee,
        context={
            "date_text": "Tuesday 6 January 2026",
            "start_time": "14:00",
            "cancellation_reason": "x",
            "committee_name": committee.name,
        },
    )
    OutboxMessage.objects.filter(pk=message.pk).update(state=state, last_error=error)
    return message


@pytest.fixture
def other_committee(db):
    c = Committee.objects.create(name="Other Committee", slug="other")
    CommitteeRules.objects.create(committee=c)
    return c


@pytest.mark.django_db
def test_secretariat_sees_its_committees_messages_with_failures_first(
    client, personas, committee, other_committee, django_assert_max_num_queries
):
    make(committee, "ok1")
    make(committee, "bad", "failed", "SMTPDataError: (550, b'No such mailbox')")
    make(other_committee, "elsewhere")
    client.login(username="secretariat", password=PASSWORD)
    assert URL == reverse("communications:outbox")
    with django_assert_max_num_queries(10):
        page = client.get(URL).content.decode()
    assert "1 message could not be sent" in page
    assert page.index("bad@example.org") < page.index("ok1@example.org")
    assert "No such mailbox" in page
    assert "elsewhere@example.org" not in page
    filtered = client.get(URL, {"state": "sent"}).content.decode()
    assert "ok1@example.org" in filtered and "bad@example.org" not in filtered


@pytest.mark.django_db
def test_retry_puts_a_failed_message_back_in_the_queue(
    client, personas, committee, django_capture_on_commit_callbacks
):
    bad = make(committee, "bad", "failed", "550")
    client.login(username="secretariat", password=PASSWORD)
    assert client.get(reverse("communications:retry", args=[bad.pk])).status_code == 405
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("communications:retry", args=[bad.pk]))
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.state == "queued" and bad.attempts == 0
    assert len(callbacks) == 1  # the send task is enqueued after commit


@pytest.mark.django_db
def test_others_cannot_see_or_retry(client, personas, committee):
    bad = make(committee, "bad", "failed", "550")
    for persona in ("member", "chair", "outsider"):
        client.login(username=persona, password=PASSWORD)
        assert client.get(URL).status_code == 404
        assert client.post(reverse("communications:retry", args=[bad.pk])).status_code == 404
    bad.refresh_from_db()
    assert bad.state == "failed"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["https://evil.example/", "//evil.example/x"])
def test_retry_never_redirects_to_another_site(client, personas, committee, bad):
    failed = make(committee, "bad", "failed", "550")
    client.login(username="secretariat", password=PASSWORD)
    response = client.post(reverse("communications:retry", args=[failed.pk]), {"next": bad})
    assert response.status_code == 302
    assert response["Location"] == reverse("communications:outbox")
    again = make(committee, "bad2", "failed", "550")
    response = client.post(
        reverse("communications:retry", args=[again.pk]), {"next": URL + "?state=failed"}
    )
    assert response["Location"] == URL + "?state=failed"
