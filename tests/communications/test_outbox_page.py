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


def _bulk(committee, prefix, n, *, label="", mailing=""):
    from communications.mail import Recipient, queue_bulk

    return queue_bulk(
        recipients=[
            Recipient(f"{prefix}{i}@example.org", f"Person {i}", f"{prefix}:{i}") for i in range(n)
        ],
        name="meeting-cancelled",
        context={"committee_name": committee.name, "cancellation_reason": "Children's & <x>"},
        committee=committee,
        mailing=mailing,
        mailing_label=label,
    )


@pytest.mark.django_db
def test_messages_are_grouped_by_mailing_with_counts_in_constant_queries(
    client, personas, committee, other_committee
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client.login(username="secretariat", password=PASSWORD)
    pks = _bulk(committee, "a", 3)
    OutboxMessage.objects.filter(pk=pks[0]).update(state="failed", last_error="550")
    OutboxMessage.objects.filter(pk__in=pks[1:]).update(state="sent")
    _bulk(committee, "s", 2, label="Supplementary agenda 1", mailing="supp-1")
    _bulk(other_committee, "o", 2)
    page = client.get(URL).content.decode()
    day = timezone.localdate().strftime("%-d %b")
    assert f"Cancellation, {day}: 2 sent, 1 failed" in page
    assert f"Supplementary agenda 1, {day}: 0 sent, 0 failed, 2 waiting" in page
    assert "o0@example.org" not in page  # another committee's mailing
    # One mailing's messages.
    one = client.get(URL, {"mailing": "supp-1"}).content.decode()
    assert "s0@example.org" in one and "s1@example.org" in one and "a1@example.org" not in one
    # The same number of queries whatever the number of mailings and messages.
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for n in range(8):
        _bulk(committee, f"more{n}-", 6, mailing=f"m{n}")
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_the_text_of_any_message_only_for_its_committees_secretariat(
    client, personas, committee, other_committee
):
    from tests.conftest import make_user

    [pk] = _bulk(committee, "t", 1)
    message = OutboxMessage.objects.get(pk=pk)
    url = reverse("communications:message", args=[pk])
    assert client.get(URL).status_code == 302  # signed out: sign in first
    assert client.get(url).status_code == 302
    client.login(username="secretariat", password=PASSWORD)
    assert f'href="{url}"' in client.get(URL).content.decode()
    page = client.get(url).content.decode()
    assert "Children&#x27;s &amp; &lt;x&gt;" in page  # the text, escaped once in HTML
    assert message.body_text.splitlines()[0].replace("'", "&#x27;") in page
    # Anyone else, a member of the committee or another committee's secretariat: 404.
    for username in ("member", "chair", "outsider"):
        client.logout()
        client.login(username=username, password=PASSWORD)
        assert client.get(url).status_code == 404, username
    other = make_user("othersec")
    other_committee.secretariat.add(other)
    client.logout()
    client.login(username="othersec", password=PASSWORD)
    assert client.get(url).status_code == 404
    client.logout()
    client.login(username="admin", password=PASSWORD)
    assert client.get(url).status_code == 200
