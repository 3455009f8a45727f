"""The registration form: GOV.UK errors for every field, and bad input refused cleanly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.factories import VALID_REGISTRATION, Factory
from tests.pages import check_page, error_summary, field_errors, text_of
from webinar.extensions import db
from webinar.models import Question, Registration


def test_the_form_says_it_is_not_for_reporting_crime(client: FlaskClient, factory: Factory) -> None:
    event = factory.event(accepts_questions=True)

    page = check_page(client.get(f"/events/{event.slug}/register"))

    text = text_of(page.find("main"))
    assert "This is not a way to report a crime" in text
    assert "call 999" in text and "call 101" in text
    labels = [text_of(label) for label in page.select("main label")]
    assert "Your name or a nickname" in labels
    assert "Email address" in labels
    assert "Question for the panel (optional)" in labels
    assert "Send me discreet messages" in labels
    form = page.select_one("main form")
    assert form is not None and form["action"] == f"/events/{event.slug}/register"


def test_events_without_a_panel_do_not_ask_for_questions(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(accepts_questions=False)

    page = check_page(client.get(f"/events/{event.slug}/register"))

    assert page.select_one("textarea[name=question]") is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name or a nickname"),
        ({"name": "   "}, "name", "Enter your name or a nickname"),
        ({"name": "x" * 101}, "name", "Name must be 100 characters or fewer"),
        (
            {"name": "Sam\r\nBcc: a@b.com"},
            "name",
            "Name must only include letters, numbers, spaces and punctuation",
        ),
        (
            # A NUL byte is refused before the form (tests/security/test_refused_input.py).
            {"name": "Sam\x07"},
            "name",
            "Name must only include letters, numbers, spaces and punctuation",
        ),
        (
            {"name": "Locked out? Visit evil.example.com now"},
            "name",
            "Name must not include a web address or email address",
        ),
        (
            {"name": "see https://x.example"},
            "name",
            "Name must not include a web address or email address",
        ),
        ({"email": ""}, "email", "Enter your email address"),
        (
            {"email": "a" * 65 + "@example.com"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "not-an-email"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "name@localhost"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "name@@example.com"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "sam@example.com\r\nBcc: victim@example.com"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "a" * 250 + "@example.com"},
            "email",
            "Email address must be 254 characters or fewer",
        ),
        (
            {"accessibility_needs": "x" * 1001},
            "accessibility_needs",
            "Accessibility needs must be 1000 characters or fewer",
        ),
        (
            {"accessibility_needs": "ramp\x1b[31m"},
            "accessibility_needs",
            "Accessibility needs must only include letters, numbers, spaces and punctuation",
        ),
        ({"question": "q" * 1001}, "question", "Question must be 1000 characters or fewer"),
        (
            {"consent": ""},
            "consent",
            "Confirm you have read the privacy notice and agree to your details being used to "
            "manage your booking",
        ),
    ],
)
def test_each_field_has_a_specific_error_message(
    client: FlaskClient,
    factory: Factory,
    changes: dict[str, str],
    field: str,
    message: str,
    submit_registration: Callable[..., Any],
) -> None:
    event = factory.event(accepts_questions=True)

    response = submit_registration(event, **changes)

    assert response.status_code == 200
    page = check_page(response)
    assert text_of(page.find("title")).startswith("Error: Register for")
    assert message in error_summary(page)
    assert field_errors(page)[field] == message
    link = page.select_one(".govuk-error-summary a")
    assert link is not None and str(link["href"]).startswith("#")
    assert db.session.query(Registration).count() == 0


def test_what_was_typed_is_kept_when_there_are_errors(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(accepts_questions=True)

    page = check_page(submit_registration(event, email="", accessibility_needs="Captions please"))

    name = page.select_one("input[name=name]")
    assert name is not None and name["value"] == "Sam"
    needs = page.select_one("textarea[name=accessibility_needs]")
    assert needs is not None and text_of(needs) == "Captions please"


def test_multiline_answers_keep_their_line_breaks(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(accepts_questions=True)

    response = submit_registration(event, accessibility_needs="Captions\r\nStep-free access")

    assert response.status_code == 302
    registration = db.session.query(Registration).one()
    assert registration.accessibility_needs == "Captions\r\nStep-free access"


def test_a_question_is_stored_without_any_link_to_who_asked(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(accepts_questions=True)

    submit_registration(event, question="How do Stalking Protection Orders work?")

    question = db.session.query(Question).one()
    assert question.text == "How do Stalking Protection Orders work?"
    columns = set(Question.__table__.columns.keys())
    assert columns == {"id", "public_id", "event_id", "text", "status", "received_on"}
    assert (question.received_on.hour, question.received_on.minute) == (0, 0)


def test_a_request_that_is_far_too_large_gets_a_friendly_page(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event()

    response = submit_registration(event, name="x" * (100 * 1024))

    assert response.status_code == 413
    assert text_of(check_page(response).find("h1")) == "What you sent is too long"


def test_an_expired_form_explains_what_to_do(factory: Factory, app: Any) -> None:
    event = factory.event()
    app.config["WTF_CSRF_ENABLED"] = True

    response = app.test_client().post(f"/events/{event.slug}/register", data=VALID_REGISTRATION)

    assert response.status_code == 400
    assert text_of(check_page(response).find("h1")) == "This form has expired"
    assert db.session.query(Registration).count() == 0


def test_wrong_methods_get_a_page_not_a_stack_trace(client: FlaskClient, factory: Factory) -> None:
    event = factory.event()

    response = client.put(f"/events/{event.slug}/register")

    assert response.status_code == 405
    check_page(response)


def test_ordinary_names_with_dots_and_apostrophes_are_fine(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(capacity=10)

    for number, name in enumerate(["J. R. Smith", "Siobhán O'Neill", "Mr.Jones", "Anne-Marie"]):
        response = submit_registration(event, name=name, email=f"n{number}@example.com")
        assert response.status_code == 302, name


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/json", '{"name": 1, "email": {"a": 1}}'), ("text/plain", "name=x")],
)
def test_bodies_that_are_not_forms_are_refused_without_a_crash(
    client: FlaskClient, factory: Factory, content_type: str, body: str
) -> None:
    event = factory.event()

    response = client.post(
        f"/events/{event.slug}/register", data=body, headers={"Content-Type": content_type}
    )

    assert response.status_code == 415
    check_page(response)
    assert db.session.query(Registration).count() == 0


def test_every_hint_a_field_points_to_has_words_in_it(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(accepts_questions=True)

    page = check_page(client.get(f"/events/{event.slug}/register"))

    for field in page.select("[aria-describedby]"):
        for identifier in str(field["aria-describedby"]).split():
            described = page.find(id=identifier)
            assert described is not None and text_of(described), identifier


def test_a_full_event_asks_people_to_join_the_waiting_list(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event(capacity=1, places_taken=1, waiting_list_enabled=True)

    page = check_page(client.get(f"/events/{event.slug}/register"))

    assert text_of(page.find("h1")) == "Join the waiting list"
    button = page.select_one("main form button[type=submit]")
    assert button is not None and text_of(button) == "Join the waiting list"
    assert "we’ll email you if a place becomes free" in text_of(page.find("main"))


def test_the_same_question_sent_twice_is_kept_once(
    client: FlaskClient, factory: Factory, submit_registration: Callable[..., Any]
) -> None:
    event = factory.event(accepts_questions=True)

    submit_registration(event, email="one@example.com", question="What is an SPO?")
    submit_registration(event, email="one@example.com", question="What is an SPO?")
    submit_registration(event, email="two@example.com", question="What is an SPO?")

    assert [q.text for q in db.session.query(Question)] == ["What is an SPO?"]
