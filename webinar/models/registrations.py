"""Bookings, the waiting list and questions for the panel."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinar.extensions import Base
from webinar.models.types import UTCDateTime, enum_column, utc_now

if TYPE_CHECKING:
    from webinar.models.events import Event


class RegistrationStatus(enum.StrEnum):
    BOOKED = "booked"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    #: Asked for a place at an event by approval; holds no place until approved.
    REQUESTED = "requested"


#: Checked in at the door, or joined online through their own link.
_CAME = "attended_at_utc IS NOT NULL OR join_first_used_at_utc IS NOT NULL"


class Registration(Base):
    __tablename__ = "registration"
    __table_args__ = (
        # One active registration per person per event, enforced by the database.
        Index(
            "uq_registration_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
        # The attendee list's order within each status, and the waiting list's queue; also
        # serves counts by status (docs/architecture.md#one-event-with-100000-bookings).
        Index(
            "ix_registration_event_status_changed",
            "event_id",
            "status",
            "status_changed_at_utc",
            "id",
        ),
        # Only people who came: check-in and dashboard counts read this, not every booking,
        # and a new booking (neither time set) adds nothing to it.
        Index(
            "ix_registration_attendance",
            "event_id",
            "status",
            "attended_at_utc",
            sqlite_where=text(_CAME),
            postgresql_where=text(_CAME),
        ),
        # The dashboard's registrations per day.
        Index("ix_registration_created_at_utc", "created_at_utc"),
        # What the person shows at the door; unique within the event.
        Index("uq_registration_event_booking_code", "event_id", "booking_code", unique=True),
        Index("uq_registration_join_token_hash", "join_token_hash", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: Calendar UID for this booking (RFC 5545 3.8.4.7); random, stable across updates.
    calendar_uid: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: Normalised: trimmed and lower-cased, so duplicates are caught by the index.
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    #: Neutral sender, subject and calendar title in every message to this person.
    discreet: Mapped[bool] = mapped_column(default=False)
    #: "Do not add this to my calendar": no email to this person carries a calendar part.
    no_calendar: Mapped[bool] = mapped_column(default=False)
    #: "Do not send me reminders": reminders are checked against this when sent.
    no_reminders: Mapped[bool] = mapped_column(default=False)
    #: SHA-256 of the manage-link token; the token itself is never stored.
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: RFC 5545 SEQUENCE of this person's calendar entry.
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    created_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    #: When the person joined the waiting list or was last moved; orders the queue.
    status_changed_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    cancelled_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added_by_organiser: Mapped[bool] = mapped_column(default=False)
    #: 8 characters without 0/O/1/I (webinar/registrations/booking_codes.py); emptied with
    #: the rest of the personal data.
    booking_code: Mapped[str | None] = mapped_column(String(8))
    #: SHA-256 of the personal joining-link token (webinar.joining.tokens); None only for
    #: bookings made before joining links existed, until their next email sets it.
    join_token_hash: Mapped[str | None] = mapped_column(String(64))
    #: Raised when an organiser revokes the joining link: the token includes it.
    join_token_version: Mapped[int] = mapped_column(default=0)
    #: When the joining link first opened the meeting page (online check-in).
    join_first_used_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="registrations")

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class QuestionStatus(enum.StrEnum):
    NEW = "new"
    SELECTED = "selected"
    ANSWERED = "answered"
    HIDDEN = "hidden"


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class Question(Base):
    """A question for the panel, stored with no link to who asked it."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What organisers' pages use: random, so its order says nothing about who asked when.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[QuestionStatus] = mapped_column(
        enum_column(QuestionStatus, "question_status"), default=QuestionStatus.NEW
    )
    #: Day only: an exact time could be matched to a registration.
    received_on: Mapped[datetime] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="questions")
