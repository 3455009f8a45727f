"""Every email the site sends, in one table: its subjects, calendar part and send rules.

Adding an email means adding a `Kind`, a row in `KINDS`, a queueing function in
`webinar.notifications.emails`, and `templates/emails/<kind>.txt` and `.html`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal


class Kind(enum.StrEnum):
    """An outbox row's kind; also the name of its templates. Named `<what>_to_<audience>`."""

    BOOKING_CONFIRMED = "booking_confirmed_to_attendee"
    ADDED_TO_WAITING_LIST = "added_to_waiting_list_to_attendee"
    PLACE_OFFERED = "place_offered_to_attendee"
    ALREADY_REGISTERED = "already_registered_to_attendee"
    BOOKING_CANCELLED = "booking_cancelled_to_attendee"
    REMINDER = "reminder_to_attendee"
    EVENT_CHANGED = "event_changed_to_attendee"
    EVENT_CANCELLED = "event_cancelled_to_attendee"
    MESSAGE_FROM_ORGANISER = "message_from_organiser_to_attendee"
    DETAILS_DELETED = "details_deleted_to_attendee"
    PLACE_REQUESTED = "place_requested_to_attendee"
    REQUEST_APPROVED = "request_approved_to_attendee"
    REQUEST_DECLINED = "request_declined_to_attendee"
    REQUEST_WITHDRAWN = "request_withdrawn_to_attendee"
    JOINING_LINK_REPLACED = "joining_link_replaced_to_attendee"
    BOOKING_CHANGED = "booking_changed_to_attendee"
    CONFIRM_NEW_EMAIL = "confirm_new_email_to_attendee"
    FOLLOW_UP = "follow_up_to_attendee"


#: Payload flag: the person has a calendar entry (a booked place), so the email carries
#: an invite update or a cancellation. People on the waiting list have no entry.
WITH_INVITE = "with_invite"
#: Payload key for CalendarPart.AS_QUEUED: "REQUEST", "CANCEL" or absent.
CALENDAR_METHOD = "calendar_method"


class CalendarPart(enum.Enum):
    """Which iTIP method the email's calendar part carries (docs/calendar.md).

    No email offers add-to-calendar links: an email with an invite gives the person their
    entry, and a link would make a second one that no update or cancellation reaches
    (docs/calendar.md#one-entry-per-booking).
    """

    #: No calendar part.
    NONE = enum.auto()
    #: Always an invitation: the email gives the person their entry.
    REQUEST = enum.auto()
    #: An update of the entry, for people who hold a place (and so have an entry).
    REQUEST_IF_BOOKED = enum.auto()
    #: A cancellation of the entry, for people who held a place.
    CANCEL_IF_BOOKED = enum.auto()
    #: Whatever the queued change needs (payload CALENDAR_METHOD): an update, a
    #: cancellation when the person turns calendar entries off, or none.
    AS_QUEUED = enum.auto()


@dataclass(frozen=True)
class EmailRule:
    #: str.format fields: {title}, {starts} and, for organisers' messages, {subject}.
    subject: str
    #: Never names the event (docs/safety.md#discreet-messages).
    discreet_subject: str
    calendar: CalendarPart = CalendarPart.NONE
    #: Not worth sending once the booking or the event has been cancelled.
    only_while_active: bool = False
    #: The subject when the person had no calendar entry (they were on the waiting list).
    subject_without_entry: str | None = None
    #: The email changes or cancels a booking: an entry the person added themselves, by a
    #: link or a download, must be changed or deleted by hand, so the email says so.
    own_entries: Literal["change", "delete"] | None = None


KINDS: dict[Kind, EmailRule] = {
    Kind.BOOKING_CONFIRMED: EmailRule(
        "Booking confirmed: {title}",
        "Your booking",
        calendar=CalendarPart.REQUEST,
        only_while_active=True,
    ),
    Kind.ADDED_TO_WAITING_LIST: EmailRule(
        "You’re on the waiting list: {title}",
        "Your booking: waiting list",
        only_while_active=True,
    ),
    Kind.PLACE_OFFERED: EmailRule(
        "A place is free and it’s yours: {title}",
        "Your booking: confirmed",
        calendar=CalendarPart.REQUEST,
        only_while_active=True,
    ),
    Kind.ALREADY_REGISTERED: EmailRule("You’re already registered: {title}", "Your booking"),
    Kind.REMINDER: EmailRule(
        "Reminder: {title}, {starts}", "Your booking: reminder", only_while_active=True
    ),
    Kind.EVENT_CHANGED: EmailRule(
        "Event changed: {title}",
        "Your booking: update",
        calendar=CalendarPart.REQUEST_IF_BOOKED,
        only_while_active=True,
        own_entries="change",
    ),
    Kind.EVENT_CANCELLED: EmailRule(
        "Event cancelled: {title}",
        "Your booking: cancelled",
        calendar=CalendarPart.CANCEL_IF_BOOKED,
        own_entries="delete",
    ),
    Kind.BOOKING_CANCELLED: EmailRule(
        "Booking cancelled: {title}",
        "Your booking: cancelled",
        calendar=CalendarPart.CANCEL_IF_BOOKED,
        subject_without_entry="You’ve left the waiting list: {title}",
        own_entries="delete",
    ),
    Kind.MESSAGE_FROM_ORGANISER: EmailRule("{subject}", "Your booking: a message"),
    Kind.DETAILS_DELETED: EmailRule(
        "Your details have been deleted: {title}",
        "Your booking: deleted",
        calendar=CalendarPart.CANCEL_IF_BOOKED,
        own_entries="delete",
    ),
    Kind.PLACE_REQUESTED: EmailRule(
        "You’ve asked for a place: {title}",
        "Your booking: request",
        only_while_active=True,
    ),
    Kind.REQUEST_APPROVED: EmailRule(
        "You have a place: {title}",
        "Your booking: confirmed",
        calendar=CalendarPart.REQUEST,
        only_while_active=True,
    ),
    Kind.REQUEST_DECLINED: EmailRule(
        "You do not have a place: {title}",
        "Your booking: request",
    ),
    Kind.REQUEST_WITHDRAWN: EmailRule(
        "You’ve withdrawn your request: {title}",
        "Your booking: request withdrawn",
    ),
    Kind.JOINING_LINK_REPLACED: EmailRule(
        "Your new joining link: {title}",
        "Your booking: new link",
        calendar=CalendarPart.REQUEST_IF_BOOKED,
        only_while_active=True,
        own_entries="change",
    ),
    Kind.BOOKING_CHANGED: EmailRule(
        "Booking changed: {title}",
        "Your booking: changed",
        calendar=CalendarPart.AS_QUEUED,
    ),
    Kind.CONFIRM_NEW_EMAIL: EmailRule(
        "Confirm your new email address",
        "Your booking: confirm your email address",
        only_while_active=True,
    ),
    Kind.FOLLOW_UP: EmailRule(
        "Thank you for booking: {title}",
        "Your booking: a follow-up",
        only_while_active=True,
    ),
}


def rule_for(kind: str) -> EmailRule | None:
    """The rule for an outbox row's kind; None for a kind this version does not know."""
    try:
        return KINDS[Kind(kind)]
    except ValueError:
        return None
