"""Registration closing while a visitor's form is open: the booking is refused when it is
taken, not only when the page was read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from tests.conftest import FROZEN_NOW
from tests.factories import Factory
from webinar.extensions import db
from webinar.models import Event
from webinar.registrations.booking import RegistrationClosed, register_for_event


def register(event: Event) -> None:
    register_for_event(
        event=event,
        name="Sam",
        email="sam@example.com",
        accessibility_needs=None,
        question=None,
        discreet=False,
        now=FROZEN_NOW,
    )


@pytest.mark.parametrize("waiting_list", [False, True], ids=["a place", "the waiting list"])
def test_registration_closed_a_moment_ago_takes_no_place(
    any_app: Flask, waiting_list: bool
) -> None:
    capacity = 5 if not waiting_list else 1
    event = Factory().event(capacity=capacity, waiting_list_enabled=waiting_list)
    if waiting_list:
        Factory().registration(event, email="first@example.com")
    # An organiser closes registration; this request still holds the event as it was.
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(registration_closes_at_utc=FROZEN_NOW - timedelta(minutes=1))
        .execution_options(synchronize_session=False)
    )
    assert event.registration_closes_at_utc is None

    with pytest.raises(RegistrationClosed):
        register(event)
    db.session.rollback()

    db.session.refresh(event)
    assert event.places_taken == (1 if waiting_list else 0)
    assert [r.email for r in event.registrations] == (["first@example.com"] if waiting_list else [])
