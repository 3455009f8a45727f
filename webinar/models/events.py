"""Events people can register for."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinar.extensions import Base
from webinar.models.types import UTCDateTime, enum_column, utc_now

if TYPE_CHECKING:
    from webinar.models.registrations import Question, Registration


class EventFormat(enum.StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"
    DROP_IN = "drop_in"

    @property
    def label(self) -> str:
        return {
            "online": "Online",
            "in_person": "In person",
            "hybrid": "In person and online",
            "drop_in": "Drop-in",
        }[self.value]

    @property
    def is_online(self) -> bool:
        return self in (EventFormat.ONLINE, EventFormat.HYBRID)


class EventAccess(enum.StrEnum):
    """Who can get a place: anyone, people with the organisers' code, or those approved."""

    OPEN = "open"
    CODE = "code"
    APPROVAL = "approval"

    @property
    def label(self) -> str:
        return {
            "open": "Anyone can register",
            "code": "People with the access code",
            "approval": "People the organisers approve",
        }[self.value]


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "places_taken >= 0 AND places_taken <= capacity", name="places_within_capacity"
        ),
        CheckConstraint("ends_at_utc > starts_at_utc", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Part of the public URL; lower case and hyphenated.
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    format: Mapped[EventFormat] = mapped_column(enum_column(EventFormat, "event_format"))
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "event_status"), default=EventStatus.DRAFT
    )
    starts_at_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str | None] = mapped_column(Text)
    #: Sent only to people who registered; never shown on public pages.
    joining_link: Mapped[str | None] = mapped_column(String(500))
    #: Personal joining links open the meeting this many minutes before the start.
    join_opens_minutes_before: Mapped[int] = mapped_column(default=15)
    accessibility_information: Mapped[str] = mapped_column(Text, default="")
    hosted_by: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    #: Confirmed bookings; changed only by conditional SQL increments so it holds under
    #: concurrency (webinar.registrations.places).
    places_taken: Mapped[int] = mapped_column(default=0)
    waiting_list_enabled: Mapped[bool] = mapped_column(default=False)
    accepts_questions: Mapped[bool] = mapped_column(default=False)
    registration_opens_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Calendar title for people who asked for discreet messages.
    discreet_title: Mapped[str] = mapped_column(String(100), default="Appointment")
    access: Mapped[EventAccess] = mapped_column(
        enum_column(EventAccess, "event_access"), default=EventAccess.OPEN
    )
    #: Shared by the organisers with the people they invite; never shown on public pages.
    access_code: Mapped[str | None] = mapped_column(String(40))
    #: RFC 5545 SEQUENCE of the event's details; raised on every change people must see.
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    created_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("organiser.id", ondelete="SET NULL")
    )

    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", passive_deletes=True
    )
    questions: Mapped[list[Question]] = relationship(back_populates="event", passive_deletes=True)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.places_taken >= self.capacity

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"
