"""Pytest plugin: a real aiosmtpd SMTP server in the test process.

Register it in tests/conftest.py with ``pytest_plugins = ["tests.smtp_server"]`` and ask for
the ``smtp_server`` fixture. Point Flask-Mail at it with ``app.config.update(
smtp_server.flask_config())``.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as the server accepted it: the parsed email and its SMTP envelope."""

    message: EmailMessage
    raw: bytes
    mail_from: str
    rcpt_tos: list[str]
    #: The client's address and port: one per SMTP connection.
    peer: tuple[str, int]


@dataclass
class _Failure:
    """An SMTP reply to give instead of accepting the next messages."""

    reply: str
    remaining: int


@dataclass
class SMTPServer:
    """What tests see: the address, what arrived, and switches for failures."""

    host: str
    port: int
    received: list[ReceivedMessage] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _refused: dict[str, str] = field(default_factory=dict)
    _condition: threading.Condition = field(default_factory=threading.Condition)

    @property
    def messages(self) -> list[EmailMessage]:
        """Return the parsed messages accepted so far, oldest first."""
        with self._condition:
            return [received.message for received in self.received]

    def flask_config(self) -> dict[str, Any]:
        """Return Flask-Mail settings that send to this server, even with TESTING=True."""
        return {
            "MAIL_SERVER": self.host,
            "MAIL_PORT": self.port,
            "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False,
            "MAIL_USERNAME": None,
            "MAIL_PASSWORD": None,
            "MAIL_SUPPRESS_SEND": False,
        }

    def wait_for(self, count: int, *, timeout: float = 5) -> list[EmailMessage]:
        """Return the messages once at least ``count`` have arrived, or fail the test."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(
                        f"Expected {count} message(s) within {timeout}s, got {len(self.received)}"
                    )
                self._condition.wait(remaining)
            return [received.message for received in self.received]

    def fail_next(self, code: int = 451, *, count: int = 1, text: str | None = None) -> None:
        """Answer the next ``count`` messages' DATA with an SMTP error (4xx or 5xx)."""
        if not 400 <= code <= 599:
            raise ValueError("code must be an SMTP 4xx or 5xx reply code")
        # RFC 3463 enhanced status codes: 4.x.x transient, 5.x.x permanent.
        reply = f"{code} {code // 100}.0.0 {text or 'Test failure'}"
        with self._condition:
            self._failures.append(_Failure(reply=reply, remaining=count))

    def refuse_recipient(self, address: str, code: int = 550) -> None:
        """Answer RCPT TO for this address with an SMTP error, every time, until clear()."""
        if not 400 <= code <= 599:
            raise ValueError("code must be an SMTP 4xx or 5xx reply code")
        with self._condition:
            self._refused[address] = f"{code} {code // 100}.1.1 Recipient refused"

    @property
    def connections(self) -> set[tuple[str, int]]:
        """The SMTP connections that delivered the messages received so far."""
        with self._condition:
            return {received.peer for received in self.received}

    def clear(self) -> None:
        """Forget received messages and pending failures."""
        with self._condition:
            self.received.clear()
            self._failures.clear()
            self._refused.clear()

    def _next_failure(self) -> str | None:
        """Return the SMTP error reply to give now, if one is pending."""
        with self._condition:
            if not self._failures:
                return None
            failure = self._failures[0]
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.pop(0)
            return failure.reply

    def _store(self, received: ReceivedMessage) -> None:
        """Keep a message and wake any test waiting for it."""
        with self._condition:
            self.received.append(received)
            self._condition.notify_all()


class _Handler:
    """aiosmtpd handler: parse and keep each message, or answer a queued failure."""

    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_RCPT(
        self,
        smtp: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        """Accept a recipient, or refuse one the test named."""
        with self.server._condition:
            refusal = self.server._refused.get(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        """Accept or refuse one message after DATA."""
        failure = self.server._next_failure()
        if failure is not None:
            return failure
        raw = cast(bytes, envelope.original_content or envelope.content)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.server._store(
            ReceivedMessage(
                message=message,
                raw=raw,
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                peer=tuple(session.peer),
            )
        )
        return "250 2.0.0 OK"


def _free_port() -> int:
    """Return a port nothing listens on now (aiosmtpd 1.4 cannot report port 0's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def _smtp_server_session() -> Iterator[SMTPServer]:
    """Start one SMTP server for the whole test session."""
    server = SMTPServer(host=HOST, port=_free_port())
    # server_hostname avoids a slow socket.getfqdn() lookup at start-up.
    controller = Controller(
        _Handler(server),
        hostname=HOST,
        port=server.port,
        server_hostname="localhost",
        ready_timeout=30,  # returns once ready: the default 5 s is short on a loaded machine
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(_smtp_server_session: SMTPServer) -> Iterator[SMTPServer]:
    """Give each test an empty SMTP server that accepts everything unless told to fail."""
    _smtp_server_session.clear()
    yield _smtp_server_session
    _smtp_server_session.clear()
