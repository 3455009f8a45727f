"""Turning an outbox row into the email to send, from templates/emails/<kind>.{txt,html}.

Rendering happens at send time, from the database as it is then: an email shows the
event's current details, and a reminder for a booking cancelled since is not sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, render_template

from webinar.extensions import db
from webinar.feedback.follow_up import follow_up_context
from webinar.joining.tokens import join_url_for
from webinar.london_time import govuk_datetime, govuk_when
from webinar.models import Event, EventStatus, OutboxMessage, Registration, RegistrationStatus
from webinar.notifications.entries import booking_entry, location_of
from webinar.notifications.ics import InviteMethod, build_invite
from webinar.notifications.identity import sender_for
from webinar.notifications.kinds import (
    CALENDAR_METHOD,
    WITH_INVITE,
    CalendarPart,
    EmailRule,
    Kind,
    rule_for,
)
from webinar.notifications.mime import InviteMessage, build_message
from webinar.registrations.email_tokens import email_change_token
from webinar.security import manage_token_for
from webinar.urls import public_url


class UnknownEmailKind(ValueError):
    """An outbox row names an email this version cannot render."""


def render_outbox_message(row: OutboxMessage, *, now: datetime) -> InviteMessage | None:
    """The message for this row, or None when it should no longer be sent."""
    rule = rule_for(row.kind)
    if rule is None:
        raise UnknownEmailKind(row.kind)
    registration = row.registration
    event = db.session.get(Event, row.event_id) if row.event_id is not None else None
    event = event or (registration.event if registration is not None else None)
    if event is None or not _still_wanted(row, rule, registration, event, now=now):
        return None
    payload: dict[str, Any] = dict(row.payload or {})
    discreet = registration.discreet if registration else bool(payload.get("discreet"))
    sender = sender_for(discreet=discreet)
    no_calendar = registration.no_calendar if registration else bool(payload.get("no_calendar"))
    method = _calendar_method(rule, payload, no_calendar=no_calendar)
    context = _context(row, registration, event, payload, discreet=discreet)
    context["no_calendar_note"] = no_calendar and rule.calendar != CalendarPart.NONE
    if row.kind == Kind.FOLLOW_UP and registration is not None:
        follow_up = follow_up_context(registration, event)
        if follow_up is None:
            return None
        context.update(follow_up, join_link=None)  # the event is over
    if row.kind == Kind.CONFIRM_NEW_EMAIL and registration is not None:
        # Signed when sent, so the link is never stored (docs/safety.md#changing-a-booking).
        token = email_change_token(registration.calendar_uid, row.recipient)
        context["confirm_url"] = public_url("registrations.confirm_new_email", token=token)
    # templates/emails/_calendar.*: what the calendar part does and what it cannot do.
    context["invite"] = method
    context["own_entry_note"] = rule.own_entries
    calendar = None
    if method is not None:
        calendar = _invite(row, registration, event, payload, method, sender, context)
    return build_message(
        sender_name=sender[0],
        sender_email=sender[1],
        recipient_email=row.recipient,
        recipient_name=context["name"],
        subject=_subject(rule, event, payload, discreet=discreet),
        text_body=render_template(f"emails/{row.kind}.txt", **context),
        html_body=render_template(f"emails/{row.kind}.html", **context),
        message_id=row.message_id,
        calendar=calendar,
        calendar_method=method,
    )


def _invite(
    row: OutboxMessage,
    registration: Registration | None,
    event: Event,
    payload: dict[str, Any],
    method: InviteMethod,
    sender: tuple[str, str],
    context: dict[str, Any],
) -> bytes:
    """The calendar part: this booking's entry, under the booking's UID."""
    entry = booking_entry(
        event,
        calendar_uid=registration.calendar_uid if registration else payload["calendar_uid"],
        discreet=bool(context["discreet"]),
        sequence=row.calendar_sequence or 0,
        sender=sender,
        cancelled=method == "CANCEL",
        join_url=context["join_link"],
    )
    return build_invite(
        entry,
        method=method,
        attendee_email=row.recipient,
        attendee_name=context["name"],
        # The row's creation time: later changes have later stamps (RFC 5546 2.1.5),
        # and a retried row carries the same bytes.
        dtstamp_utc=row.created_at_utc,
    )


def _still_wanted(
    row: OutboxMessage,
    rule: EmailRule,
    registration: Registration | None,
    event: Event,
    *,
    now: datetime,
) -> bool:
    if registration is None:
        return row.kind == Kind.DETAILS_DELETED
    if not rule.only_while_active:
        return True
    if registration.status == RegistrationStatus.CANCELLED or event.status != (
        EventStatus.PUBLISHED
    ):
        return False
    if row.kind == Kind.FOLLOW_UP:
        return registration.status == RegistrationStatus.BOOKED
    if row.kind == Kind.REMINDER:
        # Checked when sent, so turning reminders off or on again needs no bookkeeping.
        return (
            registration.status == RegistrationStatus.BOOKED
            and not registration.no_reminders
            and event.starts_at_utc > now
        )
    return True


def _calendar_method(
    rule: EmailRule, payload: dict[str, Any], *, no_calendar: bool
) -> InviteMethod | None:
    if rule.calendar == CalendarPart.AS_QUEUED:
        queued = payload.get(CALENDAR_METHOD)
        return "REQUEST" if queued == "REQUEST" else "CANCEL" if queued == "CANCEL" else None
    if no_calendar:
        # "Do not add this to my calendar": no email carries a calendar part.
        return None
    has_entry = bool(payload.get(WITH_INVITE, True))
    if rule.calendar == CalendarPart.REQUEST or (
        rule.calendar == CalendarPart.REQUEST_IF_BOOKED and has_entry
    ):
        return "REQUEST"
    if rule.calendar == CalendarPart.CANCEL_IF_BOOKED and has_entry:
        return "CANCEL"
    return None


def _subject(rule: EmailRule, event: Event, payload: dict[str, Any], *, discreet: bool) -> str:
    if discreet:
        return rule.discreet_subject
    subject = rule.subject
    if rule.subject_without_entry and not payload.get(WITH_INVITE, True):
        subject = rule.subject_without_entry
    organiser_subject = str(payload.get("subject", ""))
    # Header values cannot carry line breaks (header injection).
    organiser_subject = " ".join(organiser_subject.split())
    return subject.format(
        title=event.title, starts=govuk_datetime(event.starts_at_utc), subject=organiser_subject
    )


def _context(
    row: OutboxMessage,
    registration: Registration | None,
    event: Event,
    payload: dict[str, Any],
    *,
    discreet: bool,
) -> dict[str, Any]:
    booked = registration is not None and registration.status == RegistrationStatus.BOOKED
    manage_url = delete_url = None
    if registration is not None:
        token = manage_token_for(registration.calendar_uid)
        manage_url = public_url("registrations.manage_booking", token=token)
        delete_url = public_url("registrations.delete_details", token=token)
    join_link = None
    if booked and event.format.is_online and event.status == EventStatus.PUBLISHED:
        # The booking's own address, never the meeting's (docs/safety.md#personal-joining-links).
        assert registration is not None
        join_link = join_url_for(registration)
    return {
        "name": registration.name if registration else str(payload.get("name", "")),
        "event": event,
        "registration": registration,
        "status": registration.status.value if registration else "deleted",
        "discreet": discreet,
        "title": event.discreet_title if discreet else event.title,
        "when": govuk_when(event.starts_at_utc, event.ends_at_utc),
        "where": None if discreet else location_of(event),
        "join_link": join_link,
        "event_url": None if discreet else public_url("events.show_event", slug=event.slug),
        "manage_url": manage_url,
        "delete_url": delete_url,
        "with_invite": bool(payload.get(WITH_INVITE, True)),
        "payload": payload,
        "organisation_name": current_app.config["ORGANISATION_NAME"],
        "contact_email": current_app.config["CONTACT_EMAIL"],
        "still_active": registration is not None
        and registration.status != RegistrationStatus.CANCELLED
        and event.status != EventStatus.CANCELLED,
    }
