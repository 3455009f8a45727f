"""The whole journey with real parts: register in the browser, receive the email over
SMTP, follow its manage link, cancel, and receive the cancellation of the same entry."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.calendar_checks import assert_invite_is_valid, calendar_part, parse_calendar
from tests.calendar_checks import single_event as only_event
from tests.smtp_server import SMTPServer
from webinar.notifications.sender import send_due_messages

pytestmark = pytest.mark.browser


@pytest.fixture
def mail_to(live_server: LiveServer, smtp_server: SMTPServer) -> Iterator[SMTPServer]:
    """Point the live site's sender at the test SMTP server for this test."""
    saved = {key: live_server.app.config.get(key) for key in smtp_server.flask_config()}
    live_server.app.config.update(smtp_server.flask_config())
    yield smtp_server
    live_server.app.config.update(saved)


def send_outbox(live_server: LiveServer) -> None:
    with live_server.app.app_context():
        send_due_messages()


def received_by(server: SMTPServer, address: str) -> list[EmailMessage]:
    return [message for message in server.messages if address in str(message["To"])]


def text_body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def test_register_then_manage_and_cancel_from_the_email(
    page: Page, live_server: LiveServer, mail_to: SMTPServer
) -> None:
    address = f"journey-{secrets.token_hex(4)}@example.com"
    page.goto(f"/events/{live_server.webinar_slug}/register")
    page.get_by_label("Your name or a nickname").fill("Jo")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    send_outbox(live_server)
    [confirmation] = received_by(mail_to, address)
    sender = re.sub(r".*<|>.*", "", str(confirmation["From"]))
    invite = assert_invite_is_valid(
        confirmation, method="REQUEST", recipient=address, sender=sender
    )
    body = text_body(confirmation)
    link = re.search(rf"{re.escape(live_server.url)}/booking/[A-Za-z0-9_-]+", body)
    assert link is not None, body

    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    expect(page.get_by_text("You have a place.")).to_be_visible()
    page.get_by_role("button", name="Cancel my booking").click()
    page.get_by_role("button", name="Yes, cancel my booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking cancelled")

    send_outbox(live_server)
    cancellation = received_by(mail_to, address)[-1]
    part = calendar_part(cancellation)
    assert part.get_param("method") == "CANCEL"
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    cancelled = only_event(parse_calendar(data))
    assert str(cancelled["UID"]) == str(invite["UID"])
    assert int(cancelled["SEQUENCE"]) > int(invite["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"
