"""Arbitrary text and bytes in every form and URL parameter never give a 500, on PostgreSQL.

PostgreSQL refuses a NUL byte in text and SQLite does not, so this runs on PostgreSQL.
The forms are found by reading the pages, so a new field or form is fuzzed without a
change here. Bounded: a few hundred requests, well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from tests.pages import parse
from webinar.extensions import db
from webinar.models import OrganiserRole, Question
from webinar.security import manage_token_for

FUZZ = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Each example fills in every form on the site, so fewer examples cover as much.
FUZZ_FORMS = settings(FUZZ, max_examples=12)

#: Any text (NUL, controls, noncharacters, astral characters) or any bytes (not UTF-8),
#: with the known troublemakers often enough that a short run always tries them.
VALUES = st.one_of(
    st.sampled_from(["\x00", "a\x00b", "\ufffe", "\uffff", "%00", "9" * 30, "-1", " "]),
    st.text(max_size=40),
    st.binary(max_size=40),
)


@dataclass(frozen=True)
class Form:
    method: str
    action: str
    fields: dict[str, str]  # name -> the value the page offers (kept sometimes)


@dataclass(frozen=True)
class Site:
    public: FlaskClient
    organiser: FlaskClient
    public_forms: list[Form]
    organiser_forms: list[Form]
    public_paths: list[str]
    organiser_paths: list[str]


def _request(client: FlaskClient, method: str, url: str, **options: object) -> TestResponse:
    """One request in a fresh app context, as in production: the fixture's context would
    otherwise keep one client's signed-in organiser (or anonymity) in `g` for the next."""
    db.session.close()
    with client.application.app_context():
        response: TestResponse = getattr(client, method)(url, **options)
    db.session.close()
    return response


def _forms_on(client: FlaskClient, url: str) -> list[Form]:
    page = parse(_request(client, "get", url))
    forms = []
    for form in page.select("main form"):
        action = str(form.get("action") or url)
        if action.endswith("/sign-out"):
            continue  # fuzzing would only sign the fuzzer out
        fields = {
            str(field["name"]): str(field.get("value") or field.get_text() or "")
            for field in form.select("input[name], textarea[name], select[name]")
        }
        forms.append(Form(str(form.get("method") or "get").lower(), action, fields))
    return forms


@pytest.fixture
def site(pg_app: Flask) -> Iterator[Site]:
    factory = Factory()
    event = factory.event(accepts_questions=True, waiting_list_enabled=True)
    booking = factory.registration(event, question="What help is there?")
    token = manage_token_for(booking.calendar_uid)
    question_id = db.session.query(Question).one().public_id
    event_id, slug = event.id, event.slug
    other_id = make_organiser(OrganiserRole.CHECK_IN).id
    organiser = sign_in(pg_app.test_client(), make_organiser(OrganiserRole.ADMIN))
    public = pg_app.test_client()
    public_pages = [
        "/",
        f"/events/{slug}",
        f"/events/{slug}/register",
        f"/booking/{token}",
        f"/booking/{token}/cancel",
        f"/booking/{token}/delete",
        "/organisers/sign-in",
    ]
    organiser_pages = [
        "/organisers/events/new",
        f"/organisers/events/{event_id}/edit",
        f"/organisers/events/{event_id}/cancel",
        f"/organisers/events/{event_id}/attendees",
        f"/organisers/events/{event_id}/attendees/add",
        f"/organisers/events/{event_id}/message",
        f"/organisers/events/{event_id}/questions",
        f"/organisers/check-in/{event_id}",
        "/organisers/accounts/new",
        f"/organisers/accounts/{other_id}",
        f"/organisers/accounts/{other_id}/password",
        "/organisers/your-account/password",
    ]
    yield Site(
        public=public,
        organiser=organiser,
        public_forms=[form for url in public_pages for form in _forms_on(public, url)],
        organiser_forms=[form for url in organiser_pages for form in _forms_on(organiser, url)],
        public_paths=[
            "/events/{}",
            "/events/{}/register",
            "POST /events/{}/register",
            "/events/{}/check-your-email",
            "/events/{}/calendar.ics",
            "/booking/{}",
            "/booking/{}/cancel",
            "POST /booking/{}/cancel",
            "/booking/{}/cancelled",
            "/booking/{}/delete",
            "POST /booking/{}/delete",
            "/dev/emails/{}",
            "/calendar?event={}",
            "/?q={}",
            "/organisers/sign-in?next={}",
        ],
        organiser_paths=[
            f"/organisers/events/{event_id}/attendees?q={{}}",
            f"/organisers/events/{event_id}/attendees?status={{}}",
            f"/organisers/events/{event_id}/attendees?page={{}}",
            f"/organisers/events/{event_id}/attendees?page=2&after={{}}",
            f"/organisers/events/{event_id}/attendees?page=1&before={{}}",
            f"/organisers/check-in/{event_id}?q={{}}",
            f"/organisers/events/{event_id}/questions?status={{}}",
            "/organisers/audit-log?page={}",
            f"POST /organisers/events/{event_id}/questions/{{}}",
            f"POST /organisers/events/{event_id}/questions/{question_id}?status={{}}",
            "/organisers/events/{}",
        ],
    )


def _encode(value: str | bytes) -> str:
    return quote_from_bytes(value, safe="") if isinstance(value, bytes) else quote(value, safe="")


def _send(client: FlaskClient, form: Form, values: dict[str, str | bytes]) -> int:
    if form.method == "get":
        return _request(client, "get", f"{form.action}?{urlencode(values)}").status_code
    body = urlencode(values).encode()
    return _request(
        client, "post", form.action, data=body, content_type="application/x-www-form-urlencoded"
    ).status_code


def _fill(data: st.DataObject, form: Form) -> dict[str, str | bytes]:
    values: dict[str, str | bytes] = {}
    for name, offered in form.fields.items():
        # Keeping the page's own value now and then gets past the other fields' checks.
        values[name] = data.draw(st.one_of(st.just(offered), VALUES), label=name)
    return values


def _every_form(data: st.DataObject, client: FlaskClient, forms: list[Form]) -> None:
    for form in forms:
        assert _send(client, form, _fill(data, form)) < 500, form.action


def _every_address(value: str | bytes, client: FlaskClient, paths: list[str]) -> None:
    """Each address template ("POST /x/{}" for a POST, else a GET) with the value in it."""
    for template in paths:
        method, _, path = template.rpartition(" ")
        url = path.format(_encode(value))
        assert _request(client, method.lower() or "get", url).status_code < 500, template


@FUZZ_FORMS
@given(data=st.data())
def test_public_forms_never_give_a_500(site: Site, data: st.DataObject) -> None:
    assert len(site.public_forms) >= 4
    _every_form(data, site.public, site.public_forms)


@FUZZ
@given(value=VALUES)
def test_public_addresses_never_give_a_500(site: Site, value: str | bytes) -> None:
    _every_address(value, site.public, site.public_paths)


@FUZZ_FORMS
@given(data=st.data())
def test_organiser_forms_never_give_a_500(site: Site, data: st.DataObject) -> None:
    assert len(site.organiser_forms) >= 10
    _every_form(data, site.organiser, site.organiser_forms)


@FUZZ
@given(value=VALUES)
def test_organiser_addresses_never_give_a_500(site: Site, value: str | bytes) -> None:
    _every_address(value, site.organiser, site.organiser_paths)
