"""The outbox's SMTP backend runs a hook once per message after the server agreed to DATA and
before the message's data goes out; if the hook fails, the server never gets that message."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage

from communications import smtp


def _email(i: int, connection) -> EmailMessage:
    return EmailMessage(
        subject=f"Message {i}",
        body="Text",
        from_email="secretariat@example.org",
        to=[f"m{i}@example.org"],
        connection=connection,
    )


def test_the_hook_runs_before_each_message_reaches_the_server(smtp_server):
    seen = []
    connection = smtp.EmailBackend(before_data=lambda: seen.append(len(smtp_server.messages)))
    with connection:
        for i in range(3):
            _email(i, connection).send()
    # Each time, the server had every earlier message and not yet this one.
    assert seen == [0, 1, 2]
    assert [m["Subject"] for m in smtp_server.messages] == ["Message 0", "Message 1", "Message 2"]


class Refused(Exception):
    pass


def test_a_failing_hook_stops_the_message_before_its_data_and_abort_drops_it(smtp_server):
    calls = []

    def hook():
        calls.append(1)
        if len(calls) == 2:
            raise Refused

    connection = smtp.EmailBackend(before_data=hook)
    connection.open()
    _email(0, connection).send()
    with pytest.raises(Refused):
        _email(1, connection).send()
    # The session is inside DATA with nothing sent: dropping it (no QUIT, which would be read
    # as message text) leaves the server without the message.
    connection.abort()
    assert connection.connection is None
    with smtp.EmailBackend() as again:
        _email(2, again).send()
    assert [m["Subject"] for m in smtp_server.messages] == ["Message 0", "Message 2"]
