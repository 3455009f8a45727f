"""Organisers' follow-up after an event, and the feedback results; audited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from webinar.extensions import db
from webinar.feedback.answers import LEARNED_CHOICES
from webinar.feedback.follow_up import follow_up_for, schedule_follow_up
from webinar.models import Event, FeedbackAnswer, FollowUp, Organiser
from webinar.organisers.audit import AuditAction, record


@dataclass(frozen=True)
class FollowUpDetails:
    attended_text: str
    absent_text: str
    recording_url: str | None
    resources_url: str | None
    hours_after_end: int


def save_and_schedule(
    *, event: Event, details: FollowUpDetails, organiser: Organiser, now: datetime
) -> int:
    """Save the follow-up and queue it for everyone booked; the route commits."""
    send_at = max(event.ends_at_utc + timedelta(hours=details.hours_after_end), now)
    follow_up = follow_up_for(event) or FollowUp(event_id=event.id)
    follow_up.attended_text = details.attended_text
    follow_up.absent_text = details.absent_text
    follow_up.recording_url = details.recording_url
    follow_up.resources_url = details.resources_url
    follow_up.send_at_utc = send_at
    db.session.add(follow_up)
    db.session.flush()
    queued = schedule_follow_up(follow_up, event=event, now=now)
    record(AuditAction.FOLLOW_UP_SCHEDULED, organiser=organiser, event=event, record_count=queued)
    return queued


@dataclass(frozen=True)
class FeedbackResults:
    total: int
    #: (label, count) for 5 down to 1.
    usefulness: list[tuple[str, int]]
    learned: list[tuple[str, int]]
    #: Alphabetical: the order answers arrived in is not kept anywhere.
    comments: list[str]


def feedback_results(event: Event) -> FeedbackResults:
    answers = list(
        db.session.scalars(select(FeedbackAnswer).where(FeedbackAnswer.event_id == event.id))
    )
    useful = Counter(answer.usefulness for answer in answers)
    learned = Counter(answer.learned_where_to_get_help for answer in answers)
    return FeedbackResults(
        total=len(answers),
        usefulness=[(str(score), useful[score]) for score in range(5, 0, -1)],
        learned=[(label, learned[value]) for value, label in LEARNED_CHOICES.items()],
        comments=sorted(a.what_to_change for a in answers if a.what_to_change),
    )


def feedback_rows(event: Event, *, organiser: Organiser) -> list[tuple[str, str, str]]:
    """Every answer, sorted by its content (never by arrival); audited."""
    answers = db.session.scalars(select(FeedbackAnswer).where(FeedbackAnswer.event_id == event.id))
    rows = sorted(
        (
            str(answer.usefulness),
            LEARNED_CHOICES.get(answer.learned_where_to_get_help, ""),
            answer.what_to_change or "",
        )
        for answer in answers
    )
    record(AuditAction.FEEDBACK_EXPORTED, organiser=organiser, event=event, record_count=len(rows))
    return rows
