"""What must hold after any mix of simultaneous requests, checked after every race test.

1. An event's places_taken equals its number of BOOKED rows, and never exceeds capacity;
   nobody waits on the list of a published event that has not started while a place is
   free.
2. Everyone who saw "Check your email" has exactly one email saying what happened to them
   (booked, waiting, offered a place, cancelled), and no "what happened" email twice.
3. Nobody holds a booking on an event that left PUBLISHED before the booking was made:
   a cancelled event's every active booking was sent the event's cancellation (so it
   existed when the cancellation committed), and a draft has no active bookings at all.
4. At least one active admin, whenever there are admin accounts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select

from webinar.extensions import db
from webinar.models import (
    Event,
    EventStatus,
    Organiser,
    OrganiserRole,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    utc_now,
)
from webinar.notifications.kinds import Kind

#: Emails that tell a person what happened to their booking; each at most once.
ONCE_EACH = (
    Kind.BOOKING_CONFIRMED,
    Kind.ADDED_TO_WAITING_LIST,
    Kind.PLACE_OFFERED,
    Kind.BOOKING_CANCELLED,
    Kind.EVENT_CANCELLED,
    Kind.ALREADY_REGISTERED,
)


def assert_invariants(event_ids: Iterable[int]) -> None:
    db.session.rollback()
    db.session.expire_all()
    for event_id in event_ids:
        event = db.session.get(Event, event_id)
        assert event is not None
        _places_match_bookings(event)
        emails = _emails_by_registration(event_id)
        for registration in _registrations(event_id):
            _one_email_says_what_happened(registration, event, emails[registration.id])
        _deleted_details_told_once(event_id)
    _an_active_admin_remains()


def _registrations(event_id: int) -> list[Registration]:
    return list(db.session.scalars(select(Registration).filter_by(event_id=event_id)))


def _places_match_bookings(event: Event) -> None:
    booked = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .filter_by(event_id=event.id, status=RegistrationStatus.BOOKED)
    )
    assert event.places_taken == booked, f"places_taken {event.places_taken}, booked {booked}"
    assert booked <= event.capacity, f"{booked} booked for {event.capacity} places"
    started = event.starts_at_utc <= utc_now()  # the list stops moving then
    if event.status == EventStatus.PUBLISHED and not started and booked < event.capacity:
        waiting = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .filter_by(event_id=event.id, status=RegistrationStatus.WAITING)
        )
        assert waiting == 0, f"{waiting} waiting while {event.capacity - booked} places are free"
    if event.status == EventStatus.DRAFT:
        active = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .filter_by(event_id=event.id)
            .where(Registration.status != RegistrationStatus.CANCELLED)
        )
        assert active == 0, f"{active} active bookings on a draft event"


def _emails_by_registration(event_id: int) -> defaultdict[int, Counter[str]]:
    emails: defaultdict[int, Counter[str]] = defaultdict(Counter)
    rows = db.session.execute(
        select(OutboxMessage.registration_id, OutboxMessage.kind)
        .join(Registration)
        .where(Registration.event_id == event_id)
    )
    for registration_id, kind in rows:
        emails[registration_id][kind] += 1
    return emails


def _one_email_says_what_happened(
    registration: Registration, event: Event, kinds: Counter[str]
) -> None:
    for kind in ONCE_EACH:
        assert kinds[kind] <= 1, f"registration {registration.id}: {kind} {kinds[kind]} times"
    first = kinds[Kind.BOOKING_CONFIRMED] + kinds[Kind.ADDED_TO_WAITING_LIST]
    assert first == 1, f"registration {registration.id}: {first} first emails"
    status = registration.status
    if status == RegistrationStatus.BOOKED:
        assert kinds[Kind.BOOKING_CONFIRMED] or kinds[Kind.PLACE_OFFERED]
    if status == RegistrationStatus.WAITING:
        assert kinds[Kind.ADDED_TO_WAITING_LIST] and not kinds[Kind.PLACE_OFFERED]
    cancelled = kinds[Kind.BOOKING_CANCELLED]
    assert cancelled == (status == RegistrationStatus.CANCELLED), (
        f"registration {registration.id} is {status} with {cancelled} cancellation emails"
    )
    if event.status == EventStatus.CANCELLED and status != RegistrationStatus.CANCELLED:
        assert kinds[Kind.EVENT_CANCELLED] == 1, (
            f"registration {registration.id} is {status} on the cancelled event but was "
            "never told: it was made after the event left PUBLISHED"
        )


def _deleted_details_told_once(event_id: int) -> None:
    payloads = db.session.scalars(
        select(OutboxMessage.payload).filter_by(event_id=event_id, kind=Kind.DETAILS_DELETED)
    ).all()
    uids = Counter(str((payload or {}).get("calendar_uid")) for payload in payloads)
    assert all(count == 1 for count in uids.values()), f"deletion emails: {uids}"


def _an_active_admin_remains() -> None:
    accounts = db.session.scalar(
        select(func.count()).select_from(Organiser).filter_by(role=OrganiserRole.ADMIN)
    )
    admins = db.session.scalar(
        select(func.count())
        .select_from(Organiser)
        .filter_by(role=OrganiserRole.ADMIN)
        .where(Organiser.active.is_(True))
    )
    assert not accounts or admins, "no active admin is left"
