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
    #: The authenticator app's shared key (base32); in use once confirmed with a code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last 30-second time-step whose code was accepted: no code works twice.
    totp_last_step: Mapped[int | None]
    #: An admin can require the second factor of check-in accounts too.
    two_factor_required: Mapped[bool] = mapped_column(default=False)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at_utc is not None

    @property
    def needs_two_factor(self) -> bool:
        """Admins and organisers see attendee data, so they always need it."""
        return self.role != OrganiserRole.CHECK_IN or self.two_factor_required


class RecoveryCode(Base):
    """A single-use code for when the authenticator app is lost; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(
        ForeignKey("organiser.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at_utc: Mapped[datetime | None] = mapped_column(UTCDateTime)


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
