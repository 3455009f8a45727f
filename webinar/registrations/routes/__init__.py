"""The public's booking pages: registering, and managing a booking through its link."""

from __future__ import annotations

from webinar.registrations.routes import (  # noqa: F401
    changes,
    deletion,
    email_change,
    manage,
    register,
)
from webinar.registrations.routes.blueprint import blueprint

__all__ = ["blueprint"]
