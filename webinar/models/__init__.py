"""Database models. Import from here."""

from webinar.models.events import Event, EventFormat, EventStatus
from webinar.models.feedback import FeedbackAnswer, FeedbackUsed, FollowUp
from webinar.models.organisers import AuditEntry, Organiser, OrganiserRole
from webinar.models.outbox import OutboxMessage, OutboxStatus
from webinar.models.registrations import (
    Question,
    QuestionStatus,
    Registration,
    RegistrationStatus,
)
from webinar.models.types import UTCDateTime, utc_now

__all__ = [
    "AuditEntry",
    "Event",
    "EventFormat",
    "EventStatus",
    "FeedbackAnswer",
    "FeedbackUsed",
    "FollowUp",
    "Organiser",
    "OrganiserRole",
    "OutboxMessage",
    "OutboxStatus",
    "Question",
    "QuestionStatus",
    "Registration",
    "RegistrationStatus",
    "UTCDateTime",
    "utc_now",
]
