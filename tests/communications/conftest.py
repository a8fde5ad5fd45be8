"""A real SMTP server on loopback (aiosmtpd) that can be told to fail, and settings to use it."""

from __future__ import annotations

import contextlib
import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class RecordingHandler:
    """Keeps every message received; answers `fail_with` for the next `fail_next` messages."""

    def __init__(self) -> None:
        self.messages = []
        self.peers = []  # the client end of the connection each message came over
        self.fail_next = 0
        self.fail_with = "421 4.3.2 Service not available, try again later"
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_with
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.peers.append(session.peer)
        return "250 OK"

    def connections(self) -> int:
        """How many SMTP connections delivered messages (each has its own client port)."""
        with self.lock:
            return len(set(self.peers))

    def recipients(self) -> list[str]:
        with self.lock:
            return [m["To"] for m in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(handler, settings):
    """Run an SMTP server on loopback answering with `handler`, and point the settings at it."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    with serving(RecordingHandler(), settings) as handler:
        yield handler
