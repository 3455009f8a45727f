"""The public's booking pages: registering, and managing a booking through its link."""

from __future__ import annotations

from webinar.registrations.routes import changes, deletion, manage, register  # noqa: F401
from webinar.registrations.routes.blueprint import blueprint

__all__ = ["blueprint"]
