"""Changing a booking without cancelling it: name, needs and the person's choices.

A change that alters the calendar entry (the discreet title, the name on the invite, or
turning calendar entries on or off) raises the booking's SEQUENCE here, by an SQL
increment, and the email carries an update or a cancellation of the same entry
(docs/calendar.md#one-entry-per-booking).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from webinar.extensions import db
from webinar.models import EventStatus, Registration, RegistrationStatus
from webinar.notifications import emails
from webinar.registrations.queries import active_registration
from webinar.registrations.transitions import lock_registration, raise_calendar_sequence


class BookingNotActive(Exception):
    """Cancelled, deleted, or the event is no longer published: nothing to change."""


@dataclass(frozen=True)
class Choices:
    name: str
    accessibility_needs: str | None
    discreet: bool
    no_calendar: bool
    no_reminders: bool


#: How each change is named on screen and in the email (never its value).
LABELS = {
    "name": "Your name or nickname",
    "accessibility_needs": "Accessibility needs",
    "discreet": "Discreet messages",
    "no_calendar": "Calendar invitations",
    "no_reminders": "Reminders",
}

#: Changes that alter what the calendar entry shows.
_ENTRY_FIELDS = {"name", "discreet"}


def choices_of(registration: Registration) -> Choices:
    return Choices(
        name=registration.name,
        accessibility_needs=registration.accessibility_needs,
        discreet=registration.discreet,
        no_calendar=registration.no_calendar,
        no_reminders=registration.no_reminders,
    )


def change_booking(registration: Registration, choices: Choices) -> list[str]:
    """Apply the changes under the row lock; return what changed. The caller commits."""
    status = lock_registration(registration)
    if status in (None, RegistrationStatus.CANCELLED) or (
        registration.event.status != EventStatus.PUBLISHED
    ):
        raise BookingNotActive
    before = choices_of(registration)
    changed = [name for name, value in asdict(choices).items() if getattr(before, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(registration, name, getattr(choices, name))
    method = _calendar_method(status, before, choices, changed)
    if method is not None:
        raise_calendar_sequence(registration)
    db.session.flush()
    emails.booking_changed_to_attendee(
        registration, changes=[LABELS[name] for name in changed], calendar_method=method
    )
    return changed


def _calendar_method(
    status: RegistrationStatus, before: Choices, after: Choices, changed: list[str]
) -> str | None:
    """Only a booked place has an entry; the waiting list has none to change."""
    if status != RegistrationStatus.BOOKED:
        return None
    had_entry, has_entry = not before.no_calendar, not after.no_calendar
    if had_entry and not has_entry:
        return "CANCEL"
    if has_entry and (not had_entry or _ENTRY_FIELDS.intersection(changed)):
        return "REQUEST"
    return None


class AddressInUse(Exception):
    """Another active booking for this event already uses the new address."""


def ask_to_change_email(registration: Registration, new_email: str) -> None:
    """Nothing changes yet: the new address is sent a link to confirm it."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise BookingNotActive
    emails.confirm_new_email_to_attendee(registration, new_email=new_email)


def change_email(calendar_uid: str, new_email: str) -> Registration:
    """Apply a confirmed new address; the caller commits.

    The old address is not told: it may be the one someone else reads
    (docs/safety.md#changing-a-booking).
    """
    registration = db.session.scalar(
        select(Registration).where(Registration.calendar_uid == calendar_uid)
    )
    if registration is None:
        raise BookingNotActive
    status = lock_registration(registration)
    if status in (None, RegistrationStatus.CANCELLED):
        raise BookingNotActive
    if registration.email == new_email:
        return registration
    if active_registration(event_id=registration.event_id, email=new_email) is not None:
        raise AddressInUse
    registration.email = new_email
    method = None
    if status == RegistrationStatus.BOOKED and not registration.no_calendar:
        method = "REQUEST"  # the new mailbox's calendar gets the same entry
        raise_calendar_sequence(registration)
    db.session.flush()
    emails.booking_changed_to_attendee(
        registration, changes=["Email address"], calendar_method=method
    )
    return registration
