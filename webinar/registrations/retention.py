"""Deleting personal data on a schedule (docs/safety.md#retention; ICO storage limitation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from sqlalchemy import delete, select, update

from webinar.extensions import db
from webinar.models import (
    Event,
    FeedbackAnswer,
    FormAnswer,
    OutboxMessage,
    Question,
    Registration,
    utc_now,
)
from webinar.security import hash_token, new_token

#: Marks an address whose owner's data has been removed; `.invalid` can never be delivered
#: (RFC 2606), and the id keeps the (event, email) index unique.
DELETED_EMAIL_DOMAIN = "deleted.invalid"


@dataclass(frozen=True)
class PurgeResult:
    events: int
    registrations: int
    questions: int


def purge_personal_data(*, now: datetime, retention_days: int) -> PurgeResult:
    """Anonymise bookings and delete questions for events that ended long enough ago.

    Rows stay, stripped of anything personal, so the counts of who booked, cancelled and
    came survive for reporting. Pending emails about them are deleted.
    """
    cutoff = now - timedelta(days=retention_days)
    event_ids = list(db.session.scalars(select(Event.id).where(Event.ends_at_utc < cutoff)))
    if not event_ids:
        return PurgeResult(events=0, registrations=0, questions=0)
    registrations = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id.in_(event_ids))
            .where(~Registration.email.endswith(f"@{DELETED_EMAIL_DOMAIN}"))
        )
    )
    for registration in registrations:
        registration.name = ""
        registration.email = f"{registration.id}@{DELETED_EMAIL_DOMAIN}"
        registration.accessibility_needs = None
        registration.discreet = False
        registration.booking_code = None
        # The manage link stops working: nothing is left to manage.
        registration.manage_token_hash = hash_token(new_token())
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.event_id.in_(event_ids)))
    # Answers to the organisers' questions are personal: they go, whatever they say.
    db.session.execute(
        delete(FormAnswer).where(
            FormAnswer.registration_id.in_(
                select(Registration.id).where(Registration.event_id.in_(event_ids))
            )
        )
    )
    questions = db.session.execute(
        delete(Question).where(Question.event_id.in_(event_ids))
    ).rowcount  # type: ignore[attr-defined]
    db.session.execute(update(Event).where(Event.id.in_(event_ids)).values(joining_link=None))
    # Free text may name someone; the scores stay for reporting (docs/safety.md#anonymous-feedback).
    db.session.execute(
        update(FeedbackAnswer)
        .where(FeedbackAnswer.event_id.in_(event_ids))
        .values(what_to_change=None)
    )
    return PurgeResult(
        events=len(event_ids), registrations=len(registrations), questions=int(questions or 0)
    )


@click.command("purge-personal-data")
def purge_personal_data_command() -> None:
    """Anonymise bookings of events that ended more than the retention period ago."""
    days = int(current_app.config["PERSONAL_DATA_RETENTION_DAYS"])
    result = purge_personal_data(now=utc_now(), retention_days=days)
    db.session.commit()
    click.echo(
        f"Removed personal data from {result.registrations} bookings and deleted "
        f"{result.questions} questions, for {result.events} events that ended more than "
        f"{days} days ago."
    )
