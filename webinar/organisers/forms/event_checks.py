"""Checks on the event form that need more than one answer; each adds a GOV.UK message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from webinar.london_time import govuk_date_short
from webinar.models import EventFormat
from webinar.organisers.forms.fields import parse_time, time_exists_in_london
from webinar.organisers.services.events import EventDetails

if TYPE_CHECKING:
    from webinar.organisers.forms.events import EventForm


def check_registration_pairs(form: EventForm) -> bool:
    """A registration date needs its time, and a time its date."""
    pairs = [
        (form.opens_date, form.opens_time, "registration opens"),
        (form.closes_date, form.closes_time, "registration closes"),
    ]
    for date_field, time_field, name in pairs:
        if date_field.data and not time_field.data:
            time_field.errors.append(f"Enter the time {name}")
            return False
        if time_field.data and not date_field.data:
            date_field.errors.append(f"Enter the date {name}")
            return False
    return True


def check_times_exist(form: EventForm) -> bool:
    """No time in the hour the clocks go forward: it never happens in the UK."""
    pairs = [
        (form.date, form.start_time),
        (form.date, form.end_time),
        (form.opens_date, form.opens_time),
        (form.closes_date, form.closes_time),
    ]
    valid = True
    for date_field, time_field in pairs:
        day, at = date_field.data, parse_time(time_field.data)
        if day and at and not time_exists_in_london(day, at):
            time_field.errors.append(
                "Enter a time that exists in the UK – the clocks go forward at 1am on "
                + govuk_date_short(day)
            )
            valid = False
    return valid


def check_end_after_start(form: EventForm, details: EventDetails) -> bool:
    # In UTC: on the days the clocks change, the clock face and the hours passed disagree.
    if details.ends_at_utc <= details.starts_at_utc:
        form.end_time.errors.append("End time must be after the start time")
        return False
    return True


def check_place(form: EventForm, details: EventDetails) -> bool:
    if details.format.is_online and not details.joining_link:
        form.joining_link.errors.append("Enter the joining link for an online event")
        return False
    if details.format != EventFormat.ONLINE and not details.venue:
        form.venue.errors.append("Enter the venue for an event in person")
        return False
    return True


def check_registration_order(form: EventForm, details: EventDetails) -> bool:
    """Registration opens, then closes, no later than the start of the event."""
    opens, closes = details.registration_opens_at_utc, details.registration_closes_at_utc
    valid = True
    if opens and closes and closes <= opens:
        form.closes_time.errors.append("Registration must close after it opens")
        valid = False
    elif closes and closes > details.starts_at_utc:
        form.closes_time.errors.append("Registration must close before the event starts")
        valid = False
    if opens and opens >= details.starts_at_utc:
        form.opens_time.errors.append("Registration must open before the event starts")
        valid = False
    return valid


def check_ends_in_future(form: EventForm, details: EventDetails) -> bool:
    """A new event, or a new time for one, must not be over already."""
    existing = form.existing_event
    moved = existing is None or (existing.starts_at_utc, existing.ends_at_utc) != (
        details.starts_at_utc,
        details.ends_at_utc,
    )
    if moved and details.ends_at_utc <= form.now:
        form.date.errors.append("The event must end in the future")
        return False
    return True
