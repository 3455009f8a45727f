"""Organiser sessions recorded on the server, so signing out ends them everywhere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webinar.extensions import Base
from webinar.models.types import UTCDateTime, utc_now


class OrganiserSession(Base):
    """One signed-in session. The cookie carries a random token; only its hash is here.

    Signing out deletes the row, so a copied cookie stops working at once on every app
    server; a row older than ORGANISER_SESSION_MAX_AGE no longer counts.
    """

    __tablename__ = "organiser_session"

    #: SHA-256 of the token in the session cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organiser_id: Mapped[int] = mapped_column(
        ForeignKey("organiser.id", ondelete="CASCADE"), index=True
    )
    created_at_utc: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
