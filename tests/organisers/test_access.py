"""Every organiser route, for every role: allowed, refused (403), or sent to sign in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from tests.pages import check_page, text_of
from webinar.extensions import db
from webinar.models import AnswerKind, FormQuestion, OrganiserRole, Question

ADMIN, ORGANISER, CHECK_IN = OrganiserRole.ADMIN, OrganiserRole.ORGANISER, OrganiserRole.CHECK_IN
EVERYONE = (ADMIN, ORGANISER, CHECK_IN)
EVENT_TEAM = (ADMIN, ORGANISER)
ADMINS = (ADMIN,)


class Route(NamedTuple):
    endpoint: str
    method: str
    url: str
    allowed: tuple[OrganiserRole, ...]
    data: dict[str, str] = {}  # noqa: RUF012 - never mutated


ROUTES = [
    Route("home", "GET", "/organisers/", EVERYONE),
    Route("your_account", "GET", "/organisers/your-account", EVERYONE),
    Route("change_password", "GET", "/organisers/your-account/password", EVERYONE),
    Route("change_password", "POST", "/organisers/your-account/password", EVERYONE),
    Route("set_up_two_factor", "GET", "/organisers/your-account/two-factor", EVERYONE),
    Route("set_up_two_factor", "POST", "/organisers/your-account/two-factor", EVERYONE),
    Route(
        "replace_recovery_codes",
        "GET",
        "/organisers/your-account/two-factor/recovery-codes",
        EVERYONE,
    ),
    Route(
        "replace_recovery_codes",
        "POST",
        "/organisers/your-account/two-factor/recovery-codes",
        EVERYONE,
    ),
    Route("list_accounts", "GET", "/organisers/accounts", ADMINS),
    Route("create_account", "GET", "/organisers/accounts/new", ADMINS),
    Route("create_account", "POST", "/organisers/accounts/new", ADMINS),
    Route("change_account_page", "GET", "/organisers/accounts/{account}", ADMINS),
    Route("change_account_page", "POST", "/organisers/accounts/{account}", ADMINS),
    Route("set_account_password", "GET", "/organisers/accounts/{account}/password", ADMINS),
    Route("set_account_password", "POST", "/organisers/accounts/{account}/password", ADMINS),
    Route("account_two_factor", "GET", "/organisers/accounts/{account}/two-factor", ADMINS),
    Route("account_two_factor", "POST", "/organisers/accounts/{account}/two-factor", ADMINS),
    Route(
        "reset_account_two_factor",
        "POST",
        "/organisers/accounts/{account}/two-factor/reset",
        ADMINS,
    ),
    Route("audit_log", "GET", "/organisers/audit-log", ADMINS),
    Route("list_events", "GET", "/organisers/events", EVENT_TEAM),
    Route("create_event_page", "GET", "/organisers/events/new", EVENT_TEAM),
    Route("create_event_page", "POST", "/organisers/events/new", EVENT_TEAM),
    Route("show_event", "GET", "/organisers/events/{event}", EVENT_TEAM),
    Route("edit_event", "GET", "/organisers/events/{event}/edit", EVENT_TEAM),
    Route("edit_event", "POST", "/organisers/events/{event}/edit", EVENT_TEAM),
    Route("preview_event", "GET", "/organisers/events/{event}/preview", EVENT_TEAM),
    Route("publish", "POST", "/organisers/events/{event}/publish", EVENT_TEAM),
    Route("unpublish", "POST", "/organisers/events/{event}/unpublish", EVENT_TEAM),
    Route("event_access", "GET", "/organisers/events/{event}/access", EVENT_TEAM),
    Route("event_access", "POST", "/organisers/events/{event}/access", EVENT_TEAM),
    Route("cancel_event_page", "GET", "/organisers/events/{event}/cancel", EVENT_TEAM),
    Route("cancel_event_page", "POST", "/organisers/events/{event}/cancel", EVENT_TEAM),
    Route("list_attendees_page", "GET", "/organisers/events/{event}/attendees", EVENT_TEAM),
    Route("list_attendees_page", "POST", "/organisers/events/{event}/attendees", EVENT_TEAM),
    Route(
        "cancel_attendee",
        "GET",
        "/organisers/events/{event}/attendees/{registration}/cancel",
        EVENT_TEAM,
    ),
    Route(
        "cancel_attendee",
        "POST",
        "/organisers/events/{event}/attendees/{registration}/cancel",
        EVENT_TEAM,
    ),
    Route(
        "offer_place_page",
        "POST",
        "/organisers/events/{event}/attendees/{registration}/offer-place",
        EVENT_TEAM,
    ),
    Route(
        "decide_request_page",
        "GET",
        "/organisers/events/{event}/attendees/{registration}/decide",
        EVENT_TEAM,
    ),
    Route(
        "decide_request_page",
        "POST",
        "/organisers/events/{event}/attendees/{registration}/decide",
        EVENT_TEAM,
    ),
    Route("follow_up_page", "GET", "/organisers/events/{event}/follow-up", EVENT_TEAM),
    Route("follow_up_page", "POST", "/organisers/events/{event}/follow-up", EVENT_TEAM),
    Route("feedback_page", "GET", "/organisers/events/{event}/feedback", EVENT_TEAM),
    Route("export_feedback_page", "GET", "/organisers/events/{event}/feedback.csv", EVENT_TEAM),
    Route(
        "replace_joining_link_page",
        "POST",
        "/organisers/events/{event}/attendees/{registration}/replace-joining-link",
        EVENT_TEAM,
    ),
    Route("add_attendee_page", "GET", "/organisers/events/{event}/attendees/add", EVENT_TEAM),
    Route("add_attendee_page", "POST", "/organisers/events/{event}/attendees/add", EVENT_TEAM),
    Route("export_attendees_page", "GET", "/organisers/events/{event}/attendees.csv", EVENT_TEAM),
    Route(
        "export_attendees_xlsx_page", "GET", "/organisers/events/{event}/attendees.xlsx", EVENT_TEAM
    ),
    Route("message_attendees", "GET", "/organisers/events/{event}/message", EVENT_TEAM),
    Route("message_attendees", "POST", "/organisers/events/{event}/message", EVENT_TEAM),
    Route("list_questions_page", "GET", "/organisers/events/{event}/questions", EVENT_TEAM),
    Route(
        "change_question",
        "POST",
        "/organisers/events/{event}/questions/{question}",
        EVENT_TEAM,
        {"status": "answered"},
    ),
    Route("export_questions", "GET", "/organisers/events/{event}/questions.csv", EVENT_TEAM),
    Route("form_questions_page", "GET", "/organisers/events/{event}/form-questions", EVENT_TEAM),
    Route("form_questions_page", "POST", "/organisers/events/{event}/form-questions", EVENT_TEAM),
    Route(
        "change_form_question_page",
        "GET",
        "/organisers/events/{event}/form-questions/{form_question}",
        EVENT_TEAM,
    ),
    Route(
        "change_form_question_page",
        "POST",
        "/organisers/events/{event}/form-questions/{form_question}",
        EVENT_TEAM,
    ),
    Route(
        "remove_form_question_page",
        "POST",
        "/organisers/events/{event}/form-questions/{form_question}/remove",
        EVENT_TEAM,
    ),
    Route("check_in_events", "GET", "/organisers/check-in", EVERYONE),
    Route("check_in", "GET", "/organisers/check-in/{event}", EVERYONE),
    Route("check_in_by_code", "POST", "/organisers/check-in/{event}/code", EVERYONE),
    Route(
        "mark_attended",
        "POST",
        "/organisers/events/{event}/attendees/{registration}/attended",
        EVERYONE,
    ),
]

#: Open to everyone: signing in (the code page needs a password first) and out.
PUBLIC = {
    ("sign_in_page", "GET"),
    ("sign_in_page", "POST"),
    ("enter_code", "GET"),
    ("enter_code", "POST"),
    ("sign_out_page", "GET"),
    ("sign_out", "POST"),
    ("signed_out", "GET"),
}


@pytest.fixture
def ids(app: Flask, factory: Factory) -> dict[str, int]:
    event = factory.event(
        starts_at_utc=datetime(2026, 11, 28, 18, 0, tzinfo=UTC), accepts_questions=True
    )
    registration = factory.registration(event, question="A question?")
    question = db.session.scalars(select(Question)).one()
    account = make_organiser(OrganiserRole.ORGANISER, "someone@police.example")
    form_question = FormQuestion(event_id=event.id, text="Dietary needs?", kind=AnswerKind.TEXT)
    db.session.add(form_question)
    db.session.commit()
    return {
        "form_question": form_question.id,
        "event": event.id,
        "registration": registration.id,
        "question": question.public_id,
        "account": account.id,
    }


def test_every_organiser_route_and_method_is_in_this_table(app: Flask) -> None:
    pairs = {
        (rule.endpoint.removeprefix("organisers."), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("organisers.")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    table = {(route.endpoint, route.method) for route in ROUTES}
    assert len(table) == len(ROUTES), "each (endpoint, method) once"
    assert pairs == table | PUBLIC


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.method} {route.url}")
def test_anonymous_visitors_are_sent_to_sign_in(
    client: FlaskClient, ids: dict[str, int], route: Route
) -> None:
    response = client.open(route.url.format(**ids), method=route.method)
    assert response.status_code == 302
    assert "/organisers/sign-in" in response.location


@pytest.mark.parametrize("role", EVERYONE, ids=str)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.method} {route.url}")
def test_each_role_is_allowed_or_refused(
    client: FlaskClient, ids: dict[str, int], route: Route, role: OrganiserRole
) -> None:
    sign_in(client, make_organiser(role, f"{role.value}-tester@police.example"))
    db.session.commit()
    response = client.open(route.url.format(**ids), method=route.method, data=route.data)
    if role in route.allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/sign-in" not in response.location
        elif response.mimetype == "text/html":
            check_page(response)
    else:
        assert response.status_code == 403
        page = check_page(response)
        assert text_of(page.find("h1")) == "You do not have access to this page"


def test_check_in_staff_cannot_mark_attendance_for_another_day(
    client: FlaskClient, factory: Factory
) -> None:
    tomorrow = factory.event(starts_at_utc=datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    registration = factory.registration(tomorrow)
    sign_in(client, make_organiser(CHECK_IN, "door@police.example"))
    db.session.commit()
    response = client.post(
        f"/organisers/events/{tomorrow.id}/attendees/{registration.id}/attended",
        data={"attended": "yes"},
    )
    assert response.status_code == 403
    assert text_of(check_page(response).find("h1")) == "You do not have access to this page"
    assert registration.attended_at_utc is None
