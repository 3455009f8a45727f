"""Personal data outside the purge: the audit log, database errors and logs."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gunicorn.config import Config
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from tests.factories import Factory
from tests.organisers.conftest import make_organiser, sign_in
from webinar.extensions import db
from webinar.gunicorn_logging import RedactingLogger
from webinar.logs import redact
from webinar.models import AuditEntry, Organiser, OrganiserRole


def test_the_audit_entry_for_a_message_does_not_keep_its_subject(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    factory.registration(event, email="jo@example.com")
    sign_in(client, make_organiser(OrganiserRole.ORGANISER))
    db.session.commit()
    data = {"audience": "all", "subject": "Jo Bloggs, your seat", "body": "Hi.", "confirmed": "yes"}
    assert client.post(f"/organisers/events/{event.id}/message", data=data).status_code == 302
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "message_queued"
    assert entry.detail == "To all"
    assert "Jo Bloggs" not in entry.detail


def test_database_errors_do_not_carry_the_values_they_were_given(pg_app: Flask) -> None:
    """The error text goes to the error log: the SQL is useful there, the address is not."""
    address = "someone.private." + "x" * 250 + "@police.example"
    db.session.add(Organiser(email=address, password_hash="x", role=OrganiserRole.ORGANISER))
    with pytest.raises(DBAPIError) as caught:
        db.session.flush()
    db.session.rollback()
    assert "INSERT INTO organiser" in str(caught.value)
    assert "someone.private" not in str(caught.value)
    assert "SQL parameters hidden" in str(caught.value)


def test_redact_removes_manage_link_tokens_and_escapes_control_characters() -> None:
    assert redact("GET /booking/AbC-12_x/cancel?x=1 HTTP/1.1") == (
        "GET /booking/[redacted]/cancel?x=1 HTTP/1.1"
    )
    assert redact("/events/a\nFAKE 200\x00") == "/events/a\\x0aFAKE 200\\x00"


def test_the_apps_own_log_lines_never_hold_a_token_or_a_raw_newline(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(token: str) -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/booking/<token>/broken", view_func=broken)
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        response = app.test_client().get("/booking/SecretToken123/broken?a=%0AFAKE")
    assert response.status_code == 500
    assert "SecretToken123" not in caplog.text
    assert "/booking/[redacted]/broken" in caplog.text


def test_gunicorns_access_log_never_holds_a_token() -> None:
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/booking/SecretToken123/cancel",
        "PATH_INFO": "/booking/SecretToken123/cancel",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://events.example.org/booking/SecretToken123",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(seconds=1))
    line = logger.cfg.access_log_format % atoms
    assert "SecretToken123" not in line
    assert "GET /booking/[redacted]/cancel HTTP/1.1" in line
    assert all("SecretToken123" not in str(value) for value in atoms.values())
