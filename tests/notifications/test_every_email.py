"""Every email kind, sent through the test SMTP server and parsed: what it must carry, and
what a discreet one must never show at a glance (docs/safety.md#discreet-messages,
docs/safety.md#retention and docs/safety.md#help-signposting)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import time_machine
from flask import Flask

from tests.calendar_checks import parse_calendar, single_event
from tests.factories import Factory
from tests.notifications.helpers import (
    bodies,
    cancel_event,
    change_event,
    first_lines,
    html_text,
    london,
    rows,
    send_now,
    use_smtp,
)
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.models import Event, EventAccess, EventFormat, OutboxStatus, Registration
from webinar.notifications import emails
from webinar.notifications.kinds import KINDS, Kind
from webinar.registrations import approval
from webinar.registrations.cancellation import cancel_registration, delete_registration_details

KIM = "kim@example.com"
NEUTRAL_SENDER = "bookings@example.org"
STARTS = london(2026, 12, 2, 18)
TITLE = "16 Days of Action: stalking awareness with Bedfordshire Police"
VENUE = "Police Headquarters, Woburn Road, Kempston"
JOIN_LINK = "https://meet.example.org/room"
HELP = ("999", "101", "0808 802 0300", "0808 2000 247")
#: Hosts an email may link to: the site itself, the joining link, add-to-calendar.
ALLOWED_HOSTS = {"localhost", "meet.example.org", "calendar.google.com", "outlook.live.com"}
_LINK = re.compile(r"https?://[^\s\"'<>]+")


@dataclass
class Scene:
    factory: Factory
    smtp: SMTPServer
    clock: time_machine.Coordinates
    event: Event
    discreet: bool

    def kim(self) -> Registration:
        return self.factory.registration(self.event, email=KIM, discreet=self.discreet)

    def someone_else(self) -> Registration:
        return self.factory.registration(self.event)

    def setup_sent(self) -> None:
        """Send what the set-up queued, so only the email under test is left."""
        send_now()
        self.smtp.clear()


def _confirmed(scene: Scene) -> None:
    scene.kim()


def _waiting_list(scene: Scene) -> None:
    scene.event.capacity = 1
    scene.event.waiting_list_enabled = True
    scene.someone_else()
    scene.setup_sent()
    scene.kim()


def _place_offered(scene: Scene) -> None:
    scene.event.capacity = 1
    scene.event.waiting_list_enabled = True
    other = scene.someone_else()
    scene.kim()
    scene.setup_sent()
    cancel_registration(registration=other, now=datetime.now(UTC))
    db.session.commit()


def _already_registered(scene: Scene) -> None:
    scene.kim()
    scene.setup_sent()
    scene.kim()


def _reminder(scene: Scene) -> None:
    scene.kim()
    scene.setup_sent()
    scene.clock.move_to(STARTS - timedelta(hours=24))


def _event_changed(scene: Scene) -> None:
    scene.kim()
    scene.setup_sent()
    change_event(scene.event, venue=f"{VENUE}, Room 2")


def _event_cancelled(scene: Scene) -> None:
    scene.kim()
    scene.setup_sent()
    cancel_event(scene.event)
    db.session.commit()


def _booking_cancelled(scene: Scene) -> None:
    registration = scene.kim()
    scene.setup_sent()
    cancel_registration(registration=registration, now=datetime.now(UTC))
    db.session.commit()


def _message_from_organiser(scene: Scene) -> None:
    registration = scene.kim()
    scene.setup_sent()
    emails.message_from_organiser_to_attendees(
        [registration],
        event=scene.event,
        subject="16 Days: stalking awareness",
        body="Stalking and domestic abuse: the police panel starts at 6pm.\n\nBring questions.",
    )
    db.session.commit()


def _details_deleted(scene: Scene) -> None:
    registration = scene.kim()
    scene.setup_sent()
    delete_registration_details(registration=registration, now=datetime.now(UTC))
    db.session.commit()


def _by_approval(scene: Scene) -> None:
    scene.event.access = EventAccess.APPROVAL
    db.session.commit()


def _place_requested(scene: Scene) -> None:
    _by_approval(scene)
    scene.kim()


def _request_decided(scene: Scene, *, approve: bool) -> None:
    _by_approval(scene)
    registration = scene.kim()
    scene.setup_sent()
    decide = approval.approve_request if approve else approval.decline_request
    decide(
        registration=registration,
        message="The stalking awareness panel from the police starts at 6pm.",
        now=datetime.now(UTC),
    )
    db.session.commit()


def _request_withdrawn(scene: Scene) -> None:
    _by_approval(scene)
    registration = scene.kim()
    scene.setup_sent()
    cancel_registration(registration=registration, now=datetime.now(UTC))
    db.session.commit()


SCENES: dict[str, Callable[[Scene], None]] = {
    Kind.REQUEST_WITHDRAWN: _request_withdrawn,
    Kind.PLACE_REQUESTED: _place_requested,
    Kind.REQUEST_APPROVED: lambda scene: _request_decided(scene, approve=True),
    Kind.REQUEST_DECLINED: lambda scene: _request_decided(scene, approve=False),
    Kind.BOOKING_CONFIRMED: _confirmed,
    Kind.ADDED_TO_WAITING_LIST: _waiting_list,
    Kind.PLACE_OFFERED: _place_offered,
    Kind.ALREADY_REGISTERED: _already_registered,
    Kind.REMINDER: _reminder,
    Kind.EVENT_CHANGED: _event_changed,
    Kind.EVENT_CANCELLED: _event_cancelled,
    Kind.BOOKING_CANCELLED: _booking_cancelled,
    Kind.MESSAGE_FROM_ORGANISER: _message_from_organiser,
    Kind.DETAILS_DELETED: _details_deleted,
}


def test_every_email_kind_is_covered() -> None:
    assert set(SCENES) == set(KINDS)


def _email_of_kind(
    kind: str, *, discreet: bool, app: Flask, smtp: SMTPServer, factory: Factory, clock: Any
) -> EmailMessage:
    use_smtp(app, smtp)
    app.config["DISCREET_SENDER_EMAIL"] = NEUTRAL_SENDER
    event = factory.event(
        title=TITLE,
        summary="Recognising stalking and domestic abuse.",
        format=EventFormat.HYBRID,
        venue=VENUE,
        joining_link=JOIN_LINK,
        starts_at_utc=STARTS,
        ends_at_utc=STARTS + timedelta(hours=1),
        discreet_title="Appointment",
    )
    SCENES[kind](Scene(factory, smtp, clock, event, discreet))
    send_now()
    received = [m for m in smtp.wait_for(1) if m["To"].addresses[0].addr_spec == KIM]
    assert len(received) == 1, [m["Subject"] for m in received]
    assert OutboxStatus.SENT in [row.status for row in rows(kind) if row.recipient == KIM]
    return received[0]


def _links(text: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in _LINK.findall(text)]


@pytest.mark.parametrize("discreet", [False, True], ids=["named", "discreet"])
@pytest.mark.parametrize("kind", list(SCENES))
def test_every_email_links_to_the_booking_signposts_help_and_tracks_nothing(
    kind: str,
    discreet: bool,
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    message = _email_of_kind(
        kind, discreet=discreet, app=app, smtp=smtp_server, factory=factory, clock=frozen_time
    )

    plain, html = bodies(message)
    for body in (plain, html_text(html)):
        for number in HELP:
            assert number in body, f"help: {number}"
    for body in (plain, html):
        links = _links(body)
        if kind == Kind.DETAILS_DELETED:
            assert "no longer exists" in body
            assert not [link for link in links if "/booking/" in link]
        else:
            assert [link for link in links if re.search(r"/booking/[\w-]+$", link)], "manage"
            assert [link for link in links if re.search(r"/booking/[\w-]+/delete$", link)]
        for link in links:
            parts = urlsplit(link)
            assert parts.hostname in ALLOWED_HOSTS, f"unexpected link {link}"
            assert "redirect" not in link.lower()
            if parts.hostname not in ("calendar.google.com", "outlook.live.com"):
                assert not parts.query, f"a tracking or redirect parameter in {link}"
    lowered = html.lower()
    for tag in ("<img", "<script", "<iframe", "<link", "url(", "background="):
        assert tag not in lowered, f"{tag} in the HTML body"


@pytest.mark.parametrize("kind", list(SCENES))
def test_no_discreet_email_shows_the_campaign_at_a_glance(
    kind: str,
    app: Flask,
    smtp_server: SMTPServer,
    factory: Factory,
    frozen_time: time_machine.Coordinates,
) -> None:
    message = _email_of_kind(
        kind, discreet=True, app=app, smtp=smtp_server, factory=factory, clock=frozen_time
    )
    forbidden = (
        "16 days",
        "stalking",
        "domestic abuse",
        "police",
        app.config["ORGANISATION_NAME"].lower(),
        app.config["SERVICE_NAME"].lower(),
        TITLE.lower(),
        VENUE.lower(),
        "woburn",
    )

    sender = message["From"].addresses[0]
    assert sender.display_name == app.config["DISCREET_SENDER_NAME"]
    assert sender.addr_spec == NEUTRAL_SENDER
    plain, html = bodies(message)
    seen = {
        "From": sender.display_name,
        "Subject": message["Subject"],
        "text body": "\n".join(first_lines(plain)),
        "HTML body": "\n".join(first_lines(html_text(html))),
    }
    assert "meet.example.org" not in seen["text body"] + seen["HTML body"]
    for link in _links(plain + html):
        if urlsplit(link).hostname in ("calendar.google.com", "outlook.live.com"):
            seen[f"add-to-calendar link {link}"] = link
    calendars = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    for part in calendars:
        data = part.get_payload(decode=True)
        assert isinstance(data, bytes)
        vevent = single_event(parse_calendar(data))
        for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
            seen[name] = str(vevent.get(name, ""))
        seen["ORGANIZER CN"] = str(vevent["ORGANIZER"].params.get("CN", ""))
        assert seen["ORGANIZER CN"] == app.config["DISCREET_SENDER_NAME"]
        assert "meet.example.org" not in seen["SUMMARY"]
    for place, text in seen.items():
        text = unquote(text).lower()
        for word in forbidden:
            assert word not in text, f"{word!r} in the {place}: {text!r}"
