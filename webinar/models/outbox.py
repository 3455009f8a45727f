"""Emails waiting to be sent, written in the same transaction as their cause."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webinar.extensions import Base
from webinar.models.types import UTCDateTime, enum_column, utc_now

if TYPE_CHECKING:
    from webinar.models.registrations import Registration


class OutboxStatus(enum.StrEnum):
    DUE = "due"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        # The sender's two claims (docs/architecture.md#the-sender-at-scale). Partial, so
        # they hold only what waits: the sent rows kept for a week are in neither, and the
        # claim reads the first rows of the index in its order and stops.
        Index(
            "ix_outbox_message_due",
            "due_at_utc",
            "id",
            sqlite_where=text("status = 'due'"),
            postgresql_where=text("status = 'due'"),
        ),
        Index(
            "ix_outbox_message_sending",
            "claimed_at_utc",
            sqlite_where=text("status = 'sending'"),
            postgresql_where=text("status = 'sending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Which email function renders it, e.g. "booking_confirmed_to_attendee".
    kind: Mapped[str] = mapped_column(String(60))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(254))
    #: Calendar SEQUENCE this message carries, when it carries an invite.
    calendar_sequence: Mapped[int | None]
    #: Makes enqueueing idempotent: e.g. "registration:12:confirmed:0".
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: Anything the email needs that is not in the database (a message's text).
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.DUE
    )
    due_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Stable across retries: delivery is at least once, so clients can de-duplicate.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    created_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    registration: Mapped[Registration | None] = relationship()
