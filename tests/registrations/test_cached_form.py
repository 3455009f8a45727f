"""The empty registration form comes from the cache, with each visitor's own CSRF token.

"Behind the site's back" is a change made in SQL without the services: a visitor who
still sees the old page was served from the cache (docs/architecture.md#cached-forms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from tests.factories import Factory
from tests.organisers.conftest import make_organiser
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import AnswerKind, Event, OrganiserRole, Registration, utc_now
from webinar.organisers.services.form_questions import add_form_question


@pytest.fixture
def csrf_app(app: Flask) -> Iterator[Flask]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield app


def behind_the_sites_back(event: Event, **values: Any) -> None:
    db.session.execute(update(Event).where(Event.id == event.id).values(**values))
    db.session.commit()


def form_page(client: FlaskClient, event: Event) -> tuple[str, str]:
    """The event's title above the heading, and the page's CSRF token."""
    response = client.get(f"/events/{event.slug}/register")
    page = check_page(response)
    token = page.select_one("input[name=csrf_token]")
    assert token is not None
    return text_of(page.select_one(".govuk-caption-l")), str(token["value"])


def register(client: FlaskClient, event: Event, token: str, email: str) -> int:
    form = {"csrf_token": token, "name": "Sam Example", "email": email, "consent": "y"}
    return client.post(f"/events/{event.slug}/register", data=form).status_code


def bookings(event: Event) -> int:
    db.session.rollback()
    count = select(func.count()).select_from(Registration).filter_by(event_id=event.id)
    return int(db.session.scalar(count) or 0)


def test_the_next_visitor_gets_the_form_from_the_cache_with_a_token_of_their_own(
    csrf_app: Flask, factory: Factory
) -> None:
    event = factory.event(title="Before")
    first, second = csrf_app.test_client(), csrf_app.test_client()
    _, first_token = form_page(first, event)
    behind_the_sites_back(event, title="After")

    title, second_token = form_page(second, event)

    assert title == "Before"
    assert second_token != first_token
    assert register(second, event, second_token, "second@example.com") == 302
    assert register(first, event, first_token, "first@example.com") == 302
    assert bookings(event) == 2


def test_a_token_from_the_cached_page_works_only_with_its_own_session(
    csrf_app: Flask, factory: Factory
) -> None:
    event = factory.event()
    first, second = csrf_app.test_client(), csrf_app.test_client()
    _, first_token = form_page(first, event)
    form_page(second, event)

    assert register(second, event, first_token, "second@example.com") == 400
    assert bookings(event) == 0


def test_the_cached_page_never_shows_its_placeholder(csrf_app: Flask, factory: Factory) -> None:
    event = factory.event()
    form_page(csrf_app.test_client(), event)

    body = csrf_app.test_client().get(f"/events/{event.slug}/register").get_data(as_text=True)

    assert "csrf-token-" not in body
    assert len(re.findall(r'name="csrf_token"', body)) == 1


def test_what_one_visitor_typed_is_never_shown_to_the_next(
    csrf_app: Flask, factory: Factory
) -> None:
    event = factory.event()
    typist = csrf_app.test_client()
    _, token = form_page(typist, event)
    # Sent back with an error: the form shows what was typed, to this visitor only.
    answer = typist.post(
        f"/events/{event.slug}/register",
        data={"csrf_token": token, "name": "Alex Private", "email": "not an address"},
    )
    assert "Alex Private" in answer.get_data(as_text=True)

    for _ in range(2):  # the first visitor after may fill the cache; the next reads it
        body = csrf_app.test_client().get(f"/events/{event.slug}/register").get_data(as_text=True)
        assert "Alex Private" not in body
        assert "not an address" not in body


def test_a_visitor_with_a_session_gets_a_fresh_form(csrf_app: Flask, factory: Factory) -> None:
    event = factory.event(title="Before")
    returning = csrf_app.test_client()
    form_page(returning, event)
    behind_the_sites_back(event, title="After")

    title, token = form_page(returning, event)

    assert title == "After"
    assert register(returning, event, token, "returning@example.com") == 302


def test_a_question_added_by_an_organiser_is_on_the_next_visitors_form(
    csrf_app: Flask, factory: Factory
) -> None:
    event = factory.event()
    form_page(csrf_app.test_client(), event)

    add_form_question(
        event=event,
        text="Which police area do you live in?",
        kind=AnswerKind.TEXT,
        choices="",
        required=False,
        organiser=make_organiser(OrganiserRole.ORGANISER),
    )
    db.session.commit()

    body = csrf_app.test_client().get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Which police area do you live in?" in body


def test_the_cached_form_ends_when_registration_closes_by_the_clock(
    csrf_app: Flask, factory: Factory, frozen_time: Any
) -> None:
    event = factory.event(registration_closes_at_utc=utc_now() + timedelta(seconds=20))
    form_page(csrf_app.test_client(), event)

    frozen_time.shift(timedelta(seconds=21))

    response = csrf_app.test_client().get(f"/events/{event.slug}/register")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.slug}")


def test_each_visitor_gets_the_session_cookie_their_token_needs(
    csrf_app: Flask, factory: Factory
) -> None:
    event = factory.event()
    form_page(csrf_app.test_client(), event)

    response = csrf_app.test_client().get(f"/events/{event.slug}/register")

    assert "session=" in response.headers.get("Set-Cookie", "")
    assert "no-store" in response.headers["Cache-Control"]
    assert "ETag" not in response.headers
