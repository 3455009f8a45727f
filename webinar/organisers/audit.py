"""The audit log: who did what, when, to which event, and to how many records."""

from __future__ import annotations

import enum

from webinar.extensions import db
from webinar.models import AuditEntry, Event, Organiser, utc_now


class AuditAction(enum.StrEnum):
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGNED_OUT = "signed_out"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an action name, not a password
    TWO_FACTOR_SET_UP = "two_factor_set_up"
    TWO_FACTOR_PASSED = "two_factor_passed"
    TWO_FACTOR_FAILED = "two_factor_failed"
    TWO_FACTOR_RESET = "two_factor_reset"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_REPLACED = "recovery_codes_replaced"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_CHANGED = "account_changed"
    EVENT_CREATED = "event_created"
    EVENT_CHANGED = "event_changed"
    EVENT_PUBLISHED = "event_published"
    EVENT_UNPUBLISHED = "event_unpublished"
    EVENT_CANCELLED = "event_cancelled"
    EVENT_ACCESS_CHANGED = "event_access_changed"
    EMAILS_REVEALED = "emails_revealed"
    ATTENDEES_EXPORTED = "attendees_exported"
    BOOKING_CANCELLED = "booking_cancelled"
    PLACE_OFFERED = "place_offered"
    REQUEST_APPROVED = "request_approved"
    REQUEST_DECLINED = "request_declined"
    ATTENDEE_ADDED = "attendee_added"
    MESSAGE_QUEUED = "message_queued"
    QUESTIONS_EXPORTED = "questions_exported"
    ATTENDANCE_MARKED = "attendance_marked"
    QUESTION_STATUS_CHANGED = "question_status_changed"
    FORM_QUESTION_ADDED = "form_question_added"
    FORM_QUESTION_CHANGED = "form_question_changed"
    FORM_QUESTION_REMOVED = "form_question_removed"
    JOINING_LINK_REPLACED = "joining_link_replaced"
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled"
    FEEDBACK_EXPORTED = "feedback_exported"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def record(
    action: AuditAction,
    *,
    organiser: Organiser | None,
    actor: str | None = None,
    event: Event | None = None,
    record_count: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add an entry to the caller's transaction; it is written when the caller commits."""
    entry = AuditEntry(
        at_utc=utc_now(),
        organiser_id=organiser.id if organiser is not None else None,
        actor=actor or (organiser.email if organiser is not None else "unknown"),
        action=action.value,
        event_id=event.id if event is not None else None,
        record_count=record_count,
        detail=detail,
    )
    db.session.add(entry)
    return entry
