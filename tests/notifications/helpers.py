"""Helpers for the email tests: sending the outbox to the test SMTP server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select

from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import Event, OutboxMessage, OutboxStatus
from webinar.notifications.sender import SendReport, send_due_messages
from webinar.registrations import event_changes

SENDER = "events@police.example"
LONDON = ZoneInfo("Europe/London")
#: Words that must not appear anywhere in a discreet email (docs/safety.md#discreet-messages).
CAMPAIGN_WORDS = ("16 days", "stalking", "domestic", "abuse", "police", "bedfordshire")


def use_smtp(app: Flask, smtp_server: SMTPServer) -> None:
    app.config.update(smtp_server.flask_config())


def send_now() -> SendReport:
    report = send_due_messages()
    db.session.expire_all()
    return report


def london(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON).astimezone(UTC)


def change_event(event: Event, **changes: Any) -> int:
    """What the organisers' edit does: change, raise SEQUENCE, email everyone."""
    for name, value in changes.items():
        setattr(event, name, value)
    count = event_changes.event_changed(event)
    db.session.commit()
    return count


def cancel_event(event: Event) -> int:
    count = event_changes.cancel_event(event)
    db.session.commit()
    return count


def rows(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def statuses(kind: str) -> list[OutboxStatus]:
    return [row.status for row in rows(kind)]


def bodies(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def later(hours: float) -> timedelta:
    return timedelta(hours=hours)


class _TextOfHtml(HTMLParser):
    """The text a reader sees in an HTML body, one line per block or line break."""

    BREAKS = frozenset({"p", "br", "h1", "h2", "h3", "li", "div", "tr", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    return "".join(parser.parts)


def first_lines(text: str, count: int = 5) -> list[str]:
    """The first `count` non-empty lines: what a preview pane or a glance shows."""
    return [line.strip() for line in text.splitlines() if line.strip()][:count]


def preview_lines(message: EmailMessage, count: int = 5) -> list[str]:
    """The first lines of the text body and of the HTML body's text."""
    plain, html = bodies(message)
    return first_lines(plain, count) + first_lines(html_text(html), count)
