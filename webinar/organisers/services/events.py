"""Creating, changing, publishing and cancelling events; the route commits."""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from webinar.extensions import db
from webinar.models import Event, EventFormat, EventStatus, Organiser, RegistrationStatus
from webinar.organisers.audit import AuditAction, record
from webinar.organisers.queries import count_active_registrations, count_registrations
from webinar.page_version import public_pages_changed
from webinar.registrations import event_changes, places
from webinar.registrations.event_changes import EventCancelled
from webinar.registrations.places import promote_from_waiting_list


class CapacityBelowBookings(Exception):
    """Fewer places than people already booked."""


class HasRegistrations(Exception):
    """People have registered: cancel the event instead of hiding it."""


@dataclass(frozen=True)
class EventDetails:
    title: str
    summary: str
    description: str
    format: EventFormat
    starts_at_utc: datetime
    ends_at_utc: datetime
    venue: str | None
    joining_link: str | None
    hosted_by: str
    capacity: int
    waiting_list_enabled: bool
    accepts_questions: bool
    registration_opens_at_utc: datetime | None
    registration_closes_at_utc: datetime | None
    accessibility_information: str
    discreet_title: str
    join_opens_minutes_before: int = 15


#: Changes that put a different time or place in people's calendars (RFC 5545 SEQUENCE).
#: Not the meeting URL: calendars and emails carry each person's own joining link, which
#: stays the same when the meeting moves (docs/safety.md#personal-joining-links).
CALENDAR_FIELDS = ("starts_at_utc", "ends_at_utc", "venue", "format")


def _slug_for(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:100] or "event"
    slug = base
    while db.session.scalar(select(func.count()).where(Event.slug == slug)):
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


def create_event(*, details: EventDetails, organiser: Organiser) -> Event:
    """A new draft event; nobody sees it until it is published."""
    event = Event(
        slug=_slug_for(details.title),
        status=EventStatus.DRAFT,
        created_by_id=organiser.id,
        **asdict(details),
    )
    db.session.add(event)
    db.session.flush()
    record(AuditAction.EVENT_CREATED, organiser=organiser, event=event, detail=event.title)
    return event


def changes_calendar(event: Event, details: EventDetails) -> bool:
    return any(getattr(event, name) != getattr(details, name) for name in CALENDAR_FIELDS)


def people_to_email_about_change(event: Event, details: EventDetails) -> int:
    """How many people an edit would email: only published events with calendar changes."""
    if event.status != EventStatus.PUBLISHED or not changes_calendar(event, details):
        return 0
    return count_active_registrations(event)


def places_to_offer(event: Event, details: EventDetails, *, now: datetime) -> int:
    """How many people waiting an edit would give a place: more places on a published event."""
    if (
        event.status != EventStatus.PUBLISHED
        or details.capacity <= event.capacity
        or details.starts_at_utc <= now
    ):
        return 0
    free = details.capacity - event.places_taken
    return max(min(free, count_registrations(event, RegistrationStatus.WAITING)), 0)


@dataclass(frozen=True)
class EventUpdate:
    #: People sent an updated invite because the time or place changed.
    emailed: int
    #: People moved from the waiting list into the new places, in queue order.
    offered: int


def update_event(
    *, event: Event, details: EventDetails, organiser: Organiser, now: datetime
) -> EventUpdate:
    """Save the changes, email updated invites and fill new places from the waiting list."""
    # Lock the event's row first: bookings taken meanwhile wait, and the capacity check
    # below sees every place already taken (docs/architecture.md#changes-of-state).
    lock_event(event)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelled
    if details.capacity < event.places_taken:
        raise CapacityBelowBookings
    notify = event.status == EventStatus.PUBLISHED and changes_calendar(event, details)
    more_places = details.capacity > event.capacity
    changed = [name for name, value in asdict(details).items() if getattr(event, name) != value]
    for name, value in asdict(details).items():
        setattr(event, name, value)
    public_pages_changed()
    emailed = 0
    if notify:
        emailed = event_changes.event_changed(event)
    # Without this, newcomers would take the new places ahead of people already waiting.
    offered = len(promote_from_waiting_list(event_id=event.id, now=now)) if more_places else 0
    record(
        AuditAction.EVENT_CHANGED,
        organiser=organiser,
        event=event,
        record_count=emailed,
        detail="Changed " + (", ".join(changed) or "nothing") + _offered_detail(offered),
    )
    return EventUpdate(emailed=emailed, offered=offered)


def _offered_detail(offered: int) -> str:
    return f"; offered places to {offered} from the waiting list" if offered else ""


def lock_event(event: Event) -> None:
    """Lock the event's row (PostgreSQL) and read it as it is now."""
    places.lock_event(event.id)


def publish_event(*, event: Event, organiser: Organiser) -> None:
    if not _change_status(event, to=EventStatus.PUBLISHED, expected=EventStatus.DRAFT):
        if event.status == EventStatus.CANCELLED:
            raise EventCancelled
        return  # already published
    record(AuditAction.EVENT_PUBLISHED, organiser=organiser, event=event)


def unpublish_event(*, event: Event, organiser: Organiser) -> None:
    """Back to draft; refused once people have registered (they would lose the event)."""
    # Under the event's lock no booking can be taken until this commits, and one taken
    # before it is counted here.
    lock_event(event)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelled
    if count_active_registrations(event):
        raise HasRegistrations
    if _change_status(event, to=EventStatus.DRAFT, expected=EventStatus.PUBLISHED):
        record(AuditAction.EVENT_UNPUBLISHED, organiser=organiser, event=event)


def cancel_event(*, event: Event, organiser: Organiser) -> int:
    """Cancel for everyone; returns how many people were sent a cancellation."""
    emailed = event_changes.cancel_event(event)
    record(AuditAction.EVENT_CANCELLED, organiser=organiser, event=event, record_count=emailed)
    return emailed


def _change_status(event: Event, *, to: EventStatus, expected: EventStatus) -> bool:
    """A conditional UPDATE of the event's status; False when it was not `expected`."""
    result = db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .where(Event.status == expected)
        .values(status=to)
        .execution_options(synchronize_session=False)
    )
    public_pages_changed()
    db.session.refresh(event)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
