"""Deleting personal data on a schedule (docs/safety.md#retention; ICO storage limitation)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import click
from flask import current_app
from sqlalchemy import String, cast, delete, func, select, update

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

#: Marks an address whose owner's data has been removed; `.invalid` can never be delivered
#: (RFC 2606), and the id keeps the (event, email) index unique.
DELETED_EMAIL_DOMAIN = "deleted.invalid"


#: Rows changed or deleted per step; the command commits after each step, so no
#: transaction holds a whole large event (docs/architecture.md#one-event-with-100000-bookings).
PURGE_BATCH = 5000

#: What a purged booking's manage-token hash becomes: unique, and never a SHA-256 hex
#: digest, so no token can ever find the booking again.
PURGED_TOKEN_PREFIX = "purged-"  # noqa: S105 - a marker, not a secret


@dataclass(frozen=True)
class PurgeResult:
    events: int = 0
    registrations: int = 0
    questions: int = 0

    def __add__(self, other: PurgeResult) -> PurgeResult:
        return PurgeResult(
            events=self.events + other.events,
            registrations=self.registrations + other.registrations,
            questions=self.questions + other.questions,
        )


def purge_personal_data(*, now: datetime, retention_days: int) -> PurgeResult:
    """The whole purge in the caller's transaction (the command commits step by step)."""
    total = PurgeResult()
    for step in purge_in_steps(now=now, retention_days=retention_days):
        total += step
    return total


def purge_in_steps(
    *, now: datetime, retention_days: int, batch_size: int = PURGE_BATCH
) -> Iterator[PurgeResult]:
    """Anonymise bookings and delete questions for events that ended long enough ago.

    Rows stay, stripped of anything personal, so the counts of who booked, cancelled and
    came survive for reporting. Pending emails about them are deleted first, so none is
    sent about a booking half purged. Each step is flushed, never committed, and at most
    `batch_size` rows; a run stopped between steps carries on where it stopped next time.
    """
    cutoff = now - timedelta(days=retention_days)
    event_ids = list(db.session.scalars(select(Event.id).where(Event.ends_at_utc < cutoff)))
    if not event_ids:
        return
    while _delete_some(OutboxMessage, OutboxMessage.event_id.in_(event_ids), batch_size):
        yield PurgeResult()
    # Answers to the organisers' questions are personal: they go, whatever they say.
    bookings = select(Registration.id).where(Registration.event_id.in_(event_ids))
    while _delete_some(FormAnswer, FormAnswer.registration_id.in_(bookings), batch_size):
        yield PurgeResult()
    after = 0
    while (last := _last_of_next_batch(event_ids, after, batch_size)) is not None:
        yield PurgeResult(registrations=_anonymise(event_ids, after, last))
        after = last
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
    yield PurgeResult(events=len(event_ids), questions=int(questions or 0))


def _delete_some(model: type[OutboxMessage | FormAnswer], condition: Any, size: int) -> int:
    """Delete up to `size` rows matching; returns how many went."""
    some = select(model.id).where(condition).limit(size)
    deleted = db.session.execute(
        delete(model).where(model.id.in_(some)).execution_options(synchronize_session=False)
    )
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]


def _not_purged(event_ids: list[int]) -> list[Any]:
    return [
        Registration.event_id.in_(event_ids),
        ~Registration.email.endswith(f"@{DELETED_EMAIL_DOMAIN}"),
    ]


def _last_of_next_batch(event_ids: list[int], after: int, size: int) -> int | None:
    """The highest id among the next `size` bookings still to purge, in id order."""
    batch = (
        select(Registration.id)
        .where(*_not_purged(event_ids), Registration.id > after)
        .order_by(Registration.id)
        .limit(size)
        .subquery()
    )
    last: int | None = db.session.scalar(select(func.max(batch.c.id)))
    return last


def _anonymise(event_ids: list[int], after: int, last: int) -> int:
    """One UPDATE for the batch: nothing is loaded into Python."""
    anonymised = db.session.execute(
        update(Registration)
        .where(*_not_purged(event_ids), Registration.id > after, Registration.id <= last)
        .values(
            name="",
            email=cast(Registration.id, String) + f"@{DELETED_EMAIL_DOMAIN}",
            accessibility_needs=None,
            discreet=False,
            booking_code=None,
            # The manage link stops working: nothing is left to manage.
            manage_token_hash=PURGED_TOKEN_PREFIX + cast(Registration.id, String),
        )
        .execution_options(synchronize_session=False)
    )
    return int(anonymised.rowcount or 0)  # type: ignore[attr-defined]


@click.command("purge-personal-data")
def purge_personal_data_command() -> None:
    """Anonymise bookings of events that ended more than the retention period ago."""
    days = int(current_app.config["PERSONAL_DATA_RETENTION_DAYS"])
    result = PurgeResult()
    for step in purge_in_steps(now=utc_now(), retention_days=days):
        db.session.commit()  # one batch at a time: short transactions, flat memory
        result += step
    click.echo(
        f"Removed personal data from {result.registrations} bookings and deleted "
        f"{result.questions} questions, for {result.events} events that ended more than "
        f"{days} days ago."
    )
