"""An email backend for tests that need to see the connections the outbox uses."""

from __future__ import annotations

from django.core.mail.backends import locmem


class RecordingBackend(locmem.EmailBackend):
    """Django's in-memory backend that also keeps every connection made (opened, closed, what it
    sent). `before_send(message)`, when a test sets it, runs as each message is handed over and
    may raise, as an SMTP server's refusal would; `close_raises` makes closing fail."""

    connections: list[RecordingBackend] = []
    before_send = None
    close_raises: BaseException | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened = self.closed = False
        self.sent: list = []
        RecordingBackend.connections.append(self)

    def open(self):
        self.opened = True
        return True

    def close(self):
        self.closed = True
        if RecordingBackend.close_raises is not None:
            raise RecordingBackend.close_raises

    def send_messages(self, messages):
        for message in messages:
            if RecordingBackend.before_send is not None:
                RecordingBackend.before_send(message)
        count = super().send_messages(messages)
        self.sent.extend(messages)
        return count
