"""One function per email. Each queues its message in the outbox, in the caller's
transaction; rendering and sending happen later (webinar.notifications.sender).

These functions change no booking: the caller (webinar.registrations) has already made
the change, raised the calendar SEQUENCE where it applies, and flushed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from webinar.extensions import db
from webinar.models import (
    Event,
    OutboxMessage,
    OutboxStatus,
    Registration,
    RegistrationStatus,
    utc_now,
)
from webinar.notifications.kinds import CALENDAR_METHOD, WITH_INVITE, Kind
from webinar.notifications.outbox import enqueue


def key_for(registration: Registration, kind: str, sequence: int) -> str:
    return f"registration:{registration.id}:{kind}:{sequence}"


def booking_confirmed_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=Kind.BOOKING_CONFIRMED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=key_for(registration, Kind.BOOKING_CONFIRMED, registration.calendar_sequence),
    )
    reminders_to_attendee(registration)


def added_to_waiting_list_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=Kind.ADDED_TO_WAITING_LIST,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        dedupe_key=key_for(registration, Kind.ADDED_TO_WAITING_LIST, 0),
    )


def place_offered_to_attendee(registration: Registration) -> None:
    enqueue(
        kind=Kind.PLACE_OFFERED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=key_for(registration, Kind.PLACE_OFFERED, registration.calendar_sequence),
    )
    reminders_to_attendee(registration)


def already_registered_to_attendee(registration: Registration) -> None:
    # No dedupe key: each attempt tells the mailbox owner, who may have lost the link.
    enqueue(
        kind=Kind.ALREADY_REGISTERED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
    )


def booking_cancelled_to_attendee(
    registration: Registration, *, had_place: bool, by_organiser: bool = False
) -> None:
    """A cancellation of the calendar entry, or a plain email for the waiting list."""
    drop_reminders([registration.id])
    enqueue(
        kind=Kind.BOOKING_CANCELLED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=key_for(registration, Kind.BOOKING_CANCELLED, registration.calendar_sequence),
        payload={WITH_INVITE: had_place, "by_organiser": by_organiser},
    )


def reminders_to_attendee(registration: Registration) -> int:
    """Queue the reminders (REMINDER_HOURS_BEFORE) that are still ahead; return how many."""
    event = registration.event
    now = utc_now()
    scheduled = 0
    for hours in current_app.config["REMINDER_HOURS_BEFORE"]:
        nominal = event.starts_at_utc - timedelta(hours=hours)
        if nominal <= now:
            continue
        enqueue(
            kind=Kind.REMINDER,
            recipient=registration.email,
            registration=registration,
            event=event,
            due_at_utc=nominal - reminder_lead(event, registration.calendar_uid, hours=hours),
            dedupe_key=key_for(
                registration, f"{Kind.REMINDER}_{hours}h", registration.calendar_sequence
            ),
            payload={"hours_before": hours},
        )
        scheduled += 1
    return scheduled


def reminder_lead(event: Event, calendar_uid: str, *, hours: float) -> timedelta:
    """How long before its nominal time this booking's reminder falls due.

    An event's reminders are spread over the time the senders need for as many as it has
    places (capacity / REMINDERS_PER_SECOND), each at a point fixed by its calendar UID,
    so all of them have gone by the nominal time (docs/architecture.md#reminders-for-large-events).
    At most a quarter of the reminder's hours: "1 hour before" never arrives 75+ minutes before.
    """
    per_second = float(current_app.config["REMINDERS_PER_SECOND"])
    if per_second <= 0:
        return timedelta(0)
    window = min(event.capacity / per_second, hours * 3600 / 4)
    digest = hashlib.sha256(calendar_uid.encode()).digest()
    share = int.from_bytes(digest[:8], "big") / 2**64
    return timedelta(seconds=round(window * share, 3))


def drop_reminders(registration_ids: Sequence[int]) -> None:
    """Reminders not yet sent are dropped; the sender also re-checks before sending."""
    if not registration_ids:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.registration_id.in_(registration_ids))
        .where(OutboxMessage.kind == Kind.REMINDER)
        .where(OutboxMessage.status == OutboxStatus.DUE)
        .values(status=OutboxStatus.DROPPED)
        .execution_options(synchronize_session=False)
    )


def event_changed_to_attendees(registrations: Sequence[Registration], *, event: Event) -> int:
    """An updated invite (same UID, SEQUENCE already raised) to everyone booked or waiting."""
    booked = [r for r in registrations if r.status == RegistrationStatus.BOOKED]
    drop_reminders([registration.id for registration in booked])
    for registration in registrations:
        enqueue(
            kind=Kind.EVENT_CHANGED,
            recipient=registration.email,
            registration=registration,
            event=event,
            calendar_sequence=registration.calendar_sequence,
            dedupe_key=key_for(registration, Kind.EVENT_CHANGED, registration.calendar_sequence),
            payload={WITH_INVITE: registration.status == RegistrationStatus.BOOKED},
        )
    for registration in booked:
        # The time may have moved: reminders follow the new start.
        reminders_to_attendee(registration)
    return len(registrations)


def event_cancelled_to_attendees(registrations: Sequence[Registration], *, event: Event) -> int:
    """A METHOD:CANCEL for the same calendar entry, to everyone booked or waiting."""
    drop_reminders([registration.id for registration in registrations])
    for registration in registrations:
        enqueue(
            kind=Kind.EVENT_CANCELLED,
            recipient=registration.email,
            registration=registration,
            event=event,
            calendar_sequence=registration.calendar_sequence,
            dedupe_key=key_for(registration, Kind.EVENT_CANCELLED, registration.calendar_sequence),
            payload={WITH_INVITE: registration.status == RegistrationStatus.BOOKED},
        )
    return len(registrations)


def message_from_organiser_to_attendees(
    registrations: Sequence[Registration], *, event: Event, subject: str, body: str
) -> int:
    """An organiser's message; the text travels in the payload."""
    for registration in registrations:
        enqueue(
            kind=Kind.MESSAGE_FROM_ORGANISER,
            recipient=registration.email,
            registration=registration,
            event=event,
            payload={"subject": subject, "body": body},
        )
    return len(registrations)


def details_deleted_to_attendee(registration: Registration, *, sequence: int) -> None:
    """Removes the calendar entry of someone whose details are being deleted now.

    The registration row is about to go, so what the email needs travels in the payload;
    the row itself is purged SENT_EMAIL_RETENTION_DAYS after sending. `sequence` is the
    entry's next SEQUENCE, chosen by the caller.
    """
    enqueue(
        kind=Kind.DETAILS_DELETED,
        recipient=registration.email,
        event=registration.event,
        calendar_sequence=sequence,
        discreet=registration.discreet,
        payload={
            WITH_INVITE: True,
            "calendar_uid": registration.calendar_uid,
            "name": registration.name,
            "discreet": registration.discreet,
            "no_calendar": registration.no_calendar,
        },
    )


def joining_link_replaced_to_attendee(registration: Registration) -> None:
    """The new joining link, in an update of the entry (SEQUENCE already raised)."""
    enqueue(
        kind=Kind.JOINING_LINK_REPLACED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        dedupe_key=key_for(
            registration, Kind.JOINING_LINK_REPLACED, registration.calendar_sequence
        ),
    )


def booking_changed_to_attendee(
    registration: Registration, *, changes: Sequence[str], calendar_method: str | None
) -> None:
    """What changed (names of fields, not their values), with any calendar update.

    `calendar_method` is decided by webinar.registrations.changes, which has already
    raised the SEQUENCE when it is not None.
    """
    payload: dict[str, object] = {"changes": list(changes)}
    if calendar_method is not None:
        payload[CALENDAR_METHOD] = calendar_method
    enqueue(
        kind=Kind.BOOKING_CHANGED,
        recipient=registration.email,
        registration=registration,
        event=registration.event,
        calendar_sequence=registration.calendar_sequence,
        payload=payload,
    )


def confirm_new_email_to_attendee(registration: Registration, *, new_email: str) -> None:
    """A link to the new address; the booking keeps its old one until it is opened."""
    enqueue(
        kind=Kind.CONFIRM_NEW_EMAIL,
        recipient=new_email,
        registration=registration,
        event=registration.event,
        payload={"new_email": new_email},
    )


def follow_up_to_attendees(
    registrations: Sequence[Registration], *, event: Event, due_at_utc: datetime
) -> int:
    """The follow-up after the event; its words are chosen when it is sent."""
    for registration in registrations:
        enqueue(
            kind=Kind.FOLLOW_UP,
            recipient=registration.email,
            registration=registration,
            event=event,
            due_at_utc=due_at_utc,
        )
    return len(registrations)
