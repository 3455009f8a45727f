"""The follow-up after an event, and anonymous feedback (docs/safety.md#anonymous-feedback).

Nothing here refers to a booking: answers have a random id, no time and no foreign key
but the event's, and the set of used feedback links is a separate table with no order.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webinar.extensions import Base
from webinar.models.types import UTCDateTime


def random_id() -> str:
    return secrets.token_hex(16)


class FollowUp(Base):
    """What organisers send after an event: one text for people who came, one for others."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    attended_text: Mapped[str] = mapped_column(Text)
    absent_text: Mapped[str] = mapped_column(Text)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    resources_url: Mapped[str | None] = mapped_column(String(500))
    send_at_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Set once the emails are in the outbox.
    scheduled_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FeedbackAnswer(Base):
    """One person's answers, with nothing that could tie them to a booking."""

    __tablename__ = "feedback_answer"

    #: Random, not a sequence: the order of ids says nothing about the order of answers.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: How useful, 1 to 5.
    usefulness: Mapped[int]
    #: "yes", "no" or "not_sure".
    learned_where_to_get_help: Mapped[str] = mapped_column(String(10))
    #: Deleted after the retention period (webinar.registrations.retention).
    what_to_change: Mapped[str | None] = mapped_column(Text)


class FeedbackUsed(Base):
    """Which feedback links have been used: a hash, and nothing else, per answer."""

    __tablename__ = "feedback_used"

    #: SHA-256 of the feedback token; the primary key, so its order is the hash's order.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
