"""Admins and repeat registrations at the same moment: the rules still hold."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.concurrency.invariants import assert_invariants
from tests.concurrency.races import ROUNDS, Step, at_once, full_event, post, register_form
from tests.organisers.conftest import make_organiser, sign_in
from webinar.extensions import db
from webinar.models import Organiser, OrganiserRole, OutboxMessage
from webinar.notifications.kinds import Kind


def signed_in_post(organiser_id: int, url: str, data: dict[str, str]) -> Callable[..., int]:
    def run(client: FlaskClient) -> int:
        organiser = db.session.get(Organiser, organiser_id)
        assert organiser is not None
        sign_in(client, organiser)
        return client.post(url, data=data).status_code

    return run


def test_two_admins_demoting_each_other_leave_one_admin(any_app: Flask) -> None:
    for round_number in range(ROUNDS):
        first = make_organiser(OrganiserRole.ADMIN, f"first{round_number}@police.example")
        second = make_organiser(OrganiserRole.ADMIN, f"second{round_number}@police.example")
        demote = {"role": OrganiserRole.ORGANISER.value, "active": "y"}
        steps = [
            Step(signed_in_post(first.id, f"/organisers/accounts/{second.id}", demote)),
            Step(signed_in_post(second.id, f"/organisers/accounts/{first.id}", demote)),
        ]

        answers = at_once(any_app, steps)

        # One is demoted; the other is told there must always be an active admin (or,
        # demoted a moment before, is no longer allowed in).
        assert sorted(answers) in ([200, 302], [302, 403]), answers
        assert_invariants([])
        for organiser in db.session.scalars(select(Organiser)):
            organiser.role = OrganiserRole.ORGANISER  # the next round starts afresh
        db.session.commit()


def test_the_same_address_twenty_times_at_once_is_told_once(any_app: Flask) -> None:
    """At most one "already registered" email an hour, however many repeats arrive together."""
    event = full_event(booked=1, waiting=0, capacity=5)
    url = f"/events/{event.slug}/register"

    answers = at_once(any_app, [Step(post(url, register_form("person0@example.com")))] * 20)

    assert answers == [302] * 20
    assert_invariants([event.id])
    told = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .filter_by(kind=Kind.ALREADY_REGISTERED, recipient="person0@example.com")
    )
    assert told == 1


def test_two_organisers_cancelling_one_event_at_once(any_app: Flask) -> None:
    organisers = [
        make_organiser(OrganiserRole.ORGANISER, f"organiser{n}@police.example") for n in range(2)
    ]
    for _ in range(ROUNDS):
        event = full_event(booked=2, waiting=1, capacity=2)
        url = f"/organisers/events/{event.id}/cancel"

        answers = at_once(any_app, [Step(signed_in_post(o.id, url, {})) for o in organisers])

        assert answers == [302, 302]
        assert_invariants([event.id])
