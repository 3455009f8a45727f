"""Cancelling and then deleting one's details at once still takes the entry off the calendar."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.conftest import FROZEN_NOW
from tests.factories import Factory
from webinar.extensions import db
from webinar.models import OutboxMessage, OutboxStatus
from webinar.notifications.kinds import WITH_INVITE, Kind
from webinar.registrations.cancellation import cancel_registration, delete_registration_details


def queued(kind: Kind) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind=kind)))


def test_deleting_before_the_cancellation_is_sent_sends_the_calendar_cancel(app: Flask) -> None:
    event = Factory().event(capacity=5)
    registration = Factory().registration(event, email="jo@example.com")
    calendar_uid = registration.calendar_uid
    cancel_registration(registration=registration, now=FROZEN_NOW)
    db.session.commit()

    delete_registration_details(registration=registration, now=FROZEN_NOW)
    db.session.commit()

    assert queued(Kind.BOOKING_CANCELLED) == []  # it went with the rest of their details
    [deleted] = queued(Kind.DETAILS_DELETED)
    assert deleted.payload is not None
    assert deleted.payload["calendar_uid"] == calendar_uid
    assert deleted.payload[WITH_INVITE] is True
    assert deleted.calendar_sequence == 2  # after the cancellation's 1


def test_deleting_after_the_cancellation_was_sent_sends_nothing_more(app: Flask) -> None:
    event = Factory().event(capacity=5)
    registration = Factory().registration(event, email="jo@example.com")
    cancel_registration(registration=registration, now=FROZEN_NOW)
    for message in queued(Kind.BOOKING_CANCELLED):
        message.status = OutboxStatus.SENT
    db.session.commit()

    delete_registration_details(registration=registration, now=FROZEN_NOW)
    db.session.commit()

    assert queued(Kind.DETAILS_DELETED) == []
