"""Storing one anonymous answer per booking (docs/safety.md#anonymous-feedback)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webinar.extensions import db
from webinar.feedback.tokens import booking_for_feedback
from webinar.models import Event, FeedbackAnswer, FeedbackUsed
from webinar.security import hash_token

LEARNED_CHOICES = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}


class FeedbackOutcome(enum.Enum):
    SAVED = enum.auto()
    ALREADY_ANSWERED = enum.auto()
    NOT_AVAILABLE = enum.auto()


@dataclass(frozen=True)
class Answers:
    usefulness: int
    learned_where_to_get_help: str
    what_to_change: str | None


def feedback_event(token: str, *, now: datetime) -> Event | None:
    """The event a working, unused-or-used feedback link is for; None if it does not work."""
    registration = booking_for_feedback(token)
    if registration is None or now < registration.event.starts_at_utc:
        return None
    return registration.event


def already_answered(token: str) -> bool:
    found = db.session.scalar(
        select(FeedbackUsed.token_hash).where(FeedbackUsed.token_hash == hash_token(token))
    )
    return found is not None


def save_answers(token: str, answers: Answers, *, now: datetime) -> FeedbackOutcome:
    """Mark the link used and add the answers, in the caller's transaction.

    The two rows share nothing: the answer has a random id and no time, and the used
    link is only a hash. The caller commits.
    """
    event = feedback_event(token, now=now)
    if event is None:
        return FeedbackOutcome.NOT_AVAILABLE
    try:
        with db.session.begin_nested():
            db.session.add(FeedbackUsed(token_hash=hash_token(token)))
            db.session.flush()
    except IntegrityError:
        return FeedbackOutcome.ALREADY_ANSWERED
    db.session.add(
        FeedbackAnswer(
            event_id=event.id,
            usefulness=answers.usefulness,
            learned_where_to_get_help=answers.learned_where_to_get_help,
            what_to_change=answers.what_to_change or None,
        )
    )
    db.session.flush()
    return FeedbackOutcome.SAVED
