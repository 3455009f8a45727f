"""Each email kind, made the way the site makes it and received by the test SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import time_machine
from flask import Flask

from tests.factories import Factory
from tests.notifications.helpers import cancel_event, change_event, london, rows, send_now, use_smtp
from tests.smtp_server import SMTPServer
from webinar.extensions import db
from webinar.feedback.follow_up import schedule_follow_up
from webinar.models import (
    Event,
    EventAccess,
    EventFormat,
    FollowUp,
    OutboxStatus,
    Registration,
)
from webinar.notifications import emails
from webinar.notifications.kinds import Kind
from webinar.registrations import approval
from webinar.registrations.cancellation import cancel_registration, delete_registration_details
from webinar.registrations.changes import ask_to_change_email, change_booking, choices_of
from webinar.registrations.join_links import replace_join_link

KIM = "kim@example.com"
#: Everything a name can hold that calendar parameters and headers must carry: an accent,
#: an apostrophe, double quotes, a comma, a semicolon and an emoji.
KIM_NAME = 'Zoë "Kim" O\'Neil, Jr; 🌷'
NEUTRAL_SENDER = "bookings@example.org"
STARTS = london(2026, 12, 2, 18)
TITLE = "16 Days of Action: stalking awareness with Bedfordshire Police"
VENUE = "Police Headquarters, Woburn Road, Kempston"
JOIN_LINK = "https://meet.example.org/room"


@dataclass
class Scene:
    factory: Factory
    smtp: SMTPServer
    clock: time_machine.Coordinates
    event: Event
    discreet: bool
    #: Kim asked for no calendar entry (docs/calendar.md#invites-by-email).
    no_calendar: bool = False

    def kim(self) -> Registration:
        registration = self.factory.registration(
            self.event, email=KIM, name=KIM_NAME, discreet=self.discreet
        )
        if self.no_calendar:
            registration.no_calendar = True
            db.session.commit()
        return registration

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


def _joining_link_replaced(scene: Scene) -> None:
    registration = scene.kim()
    scene.setup_sent()
    scene.clock.shift(timedelta(minutes=5))
    replace_join_link(registration)
    db.session.commit()


def _booking_changed(scene: Scene) -> None:
    registration = scene.kim()
    scene.setup_sent()
    choices = replace(choices_of(registration), accessibility_needs="Live captions, please")
    change_booking(registration, choices)
    db.session.commit()


def _confirm_new_email(scene: Scene) -> None:
    registration = scene.factory.registration(
        scene.event, email="old@example.com", name=KIM_NAME, discreet=scene.discreet
    )
    scene.setup_sent()
    ask_to_change_email(registration, KIM)
    db.session.commit()


def _follow_up(scene: Scene) -> None:
    scene.kim()
    scene.setup_sent()
    follow_up = FollowUp(
        event_id=scene.event.id,
        attended_text="Thank you for coming to the stalking awareness session.",
        absent_text="Sorry we missed you at the stalking awareness session.",
        send_at_utc=scene.event.ends_at_utc + timedelta(hours=1),
    )
    db.session.add(follow_up)
    schedule_follow_up(follow_up, event=scene.event, now=datetime.now(UTC))
    db.session.commit()
    scene.clock.move_to(follow_up.send_at_utc)


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
    Kind.JOINING_LINK_REPLACED: _joining_link_replaced,
    Kind.BOOKING_CHANGED: _booking_changed,
    Kind.CONFIRM_NEW_EMAIL: _confirm_new_email,
    Kind.FOLLOW_UP: _follow_up,
}


def email_of_kind(
    kind: str,
    *,
    discreet: bool,
    app: Flask,
    smtp: SMTPServer,
    factory: Factory,
    clock: Any,
    no_calendar: bool = False,
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
    SCENES[kind](Scene(factory, smtp, clock, event, discreet, no_calendar))
    send_now()
    received = [m for m in smtp.wait_for(1) if m["To"].addresses[0].addr_spec == KIM]
    assert len(received) == 1, [m["Subject"] for m in received]
    assert OutboxStatus.SENT in [row.status for row in rows(kind) if row.recipient == KIM]
    return received[0]
