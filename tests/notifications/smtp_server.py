"""A real SMTP server on localhost (aiosmtpd) for tests that must see what goes over the wire.

`SMTPRecorder` records every accepted message and can be told to answer the next RCPT TO or DATA
commands with a failure reply, so tests can drive the outbox's retry paths against real smtplib.
"""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

TEMPORARY_FAILURE = "451 4.3.0 Temporary failure, try again later"
MAILBOX_UNAVAILABLE = "550 5.1.1 No such mailbox"


def free_port() -> int:
    """A localhost TCP port nothing listens on (right now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPRecorder:
    """aiosmtpd handler: `fail_rcpt`/`fail_data` replies are used up one per command, in order;
    `always_fail` answers every DATA with `failure` forever."""

    fail_rcpt: list[str] = field(default_factory=list)
    fail_data: list[str] = field(default_factory=list)
    always_fail: str = ""
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    rcpt_commands: int = 0
    data_commands: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802, ARG002
        with self._lock:
            self.rcpt_commands += 1
            if self.fail_rcpt:
                return self.fail_rcpt.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ARG002
        with self._lock:
            self.data_commands += 1
            if self.always_fail:
                return self.always_fail
            if self.fail_data:
                return self.fail_data.pop(0)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Message accepted for delivery"


class RunningSMTPServer:
    def __init__(self, handler: SMTPRecorder) -> None:
        self.handler = handler
        self.port = free_port()
        self._controller = Controller(handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def __enter__(self) -> "RunningSMTPServer":
        self._controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._controller.stop()
