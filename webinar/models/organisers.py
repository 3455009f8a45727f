"""Organiser accounts and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webinar.extensions import Base
from webinar.models.types import UTCDateTime, enum_column, utc_now


class OrganiserRole(enum.StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    CHECK_IN = "check_in"


class Organiser(UserMixin, Base):
    __tablename__ = "organiser"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[OrganiserRole] = mapped_column(enum_column(OrganiserRole, "organiser_role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    @property
    def is_active(self) -> bool:
        return self.active


class AuditEntry(Base):
    """Append-only record of who did what; nothing in the app edits or deletes it."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("organiser.id", ondelete="SET NULL")
    )
    #: Kept as text so the entry still says who after an account is removed.
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    record_count: Mapped[int | None]
    detail: Mapped[str] = mapped_column(Text, default="")
