"""The SMTP backend the outbox sends batches through: Django's, with a hook that runs after the
server agreed to DATA and before the message's data goes out, the last moment before the server
can take the message (it takes it on the final dot). `deliver_batch` uses the hook to make sure
the previous message's mark is committed before the next message can be taken."""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.core.mail.backends import smtp


class _HookBeforeData:
    """An `smtplib.SMTP` mixin: `before_data()` runs once per message, between the server's 354
    answer to DATA and the first byte of the message's data. If it raises, nothing of the data
    has been sent and the exception goes to the caller of `sendmail`."""

    before_data: Callable[[], None] | None = None
    _data_next = False

    def putcmd(self, cmd, args=""):
        self._data_next = False
        super().putcmd(cmd, args)
        # smtplib's data() sends the DATA command, reads 354, then sends the data in one send();
        # after any other answer than 354 it raises, and the next command clears this.
        self._data_next = cmd.lower() == "data"

    def send(self, s):
        if self._data_next:
            self._data_next = False
            if self.before_data is not None:
                self.before_data()
        super().send(s)


class _SMTP(_HookBeforeData, smtplib.SMTP):
    pass


class _SMTPSSL(_HookBeforeData, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, calling `before_data` before each message's data is sent."""

    def __init__(self, *args, before_data: Callable[[], None] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.before_data = before_data

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP

    def open(self):
        opened = super().open()
        if self.connection is not None:
            self.connection.before_data = self.before_data
        return opened

    def abort(self) -> None:
        """Drop the connection without QUIT: a message whose data was not ended by the final dot
        is then discarded by the server (RFC 5321 §3.8: a connection closed without QUIT cancels
        the pending transaction, as RSET would)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None
