"""Database models. Import from here."""

from webinar.models.events import Event, EventAccess, EventFormat, EventStatus
from webinar.models.feedback import FeedbackAnswer, FeedbackUsed, FollowUp
from webinar.models.form_questions import AnswerKind, FormAnswer, FormQuestion
from webinar.models.organisers import AuditEntry, Organiser, OrganiserRole, RecoveryCode
from webinar.models.outbox import OutboxMessage, OutboxStatus
from webinar.models.page_version import PageVersion
from webinar.models.registrations import (
    Question,
    QuestionStatus,
    Registration,
    RegistrationStatus,
)
from webinar.models.sessions import OrganiserSession
from webinar.models.types import UTCDateTime, utc_now

__all__ = [
    "AnswerKind",
    "AuditEntry",
    "Event",
    "EventAccess",
    "EventFormat",
    "EventStatus",
    "FeedbackAnswer",
    "FeedbackUsed",
    "FollowUp",
    "FormAnswer",
    "FormQuestion",
    "Organiser",
    "OrganiserRole",
    "OrganiserSession",
    "OutboxMessage",
    "OutboxStatus",
    "PageVersion",
    "Question",
    "QuestionStatus",
    "RecoveryCode",
    "Registration",
    "RegistrationStatus",
    "UTCDateTime",
    "utc_now",
]
