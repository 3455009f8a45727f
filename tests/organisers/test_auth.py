"""Signing in and out: Argon2 hashes, a generic failure, rate limits, expiry, audit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import base_config
from tests.organisers.conftest import (
    PASSWORD,
    current_code,
    make_organiser,
    sign_in,
    sign_in_with_form,
)
from tests.pages import check_page, field_errors, parse, text_of
from webinar import create_app
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser, OrganiserRole


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_sign_in_page_passes_the_page_check(client: FlaskClient) -> None:
    page = check_page(client.get("/organisers/sign-in"))
    assert text_of(page.find("h1")) == "Sign in"


def test_passwords_are_stored_as_argon2id_hashes(organiser: Organiser) -> None:
    assert organiser.password_hash.startswith("$argon2id$")
    assert PASSWORD not in organiser.password_hash


def test_signing_in_asks_for_the_code_then_goes_to_the_dashboard_and_is_audited(
    client: FlaskClient, organiser: Organiser
) -> None:
    response = client.post(
        "/organisers/sign-in", data={"email": " Organiser@Police.example ", "password": PASSWORD}
    )
    assert response.location.endswith("/organisers/sign-in/code")
    assert client.get("/organisers/").status_code == 302  # not signed in yet
    response = client.post("/organisers/sign-in/code", data={"code": current_code()})
    assert response.location.endswith("/organisers/")
    assert client.get("/organisers/").status_code == 200
    assert actions() == ["signed_in", "two_factor_passed"]


def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, organiser: Organiser
) -> None:
    wrong = client.post(
        "/organisers/sign-in", data={"email": organiser.email, "password": "wrong password!"}
    )
    unknown = client.post(
        "/organisers/sign-in", data={"email": "nobody@police.example", "password": PASSWORD}
    )
    for response in (wrong, unknown):
        page = check_page(response)
        assert field_errors(page) == {"email": "Enter a correct email address and password"}
        assert text_of(page.find("title")).startswith("Error: Sign in")
    assert actions() == ["sign_in_failed", "sign_in_failed"]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries[0].organiser_id == organiser.id
    # Someone else's typing is not kept: it might be a password in the wrong box.
    assert entries[1].actor == "unknown account"


def test_switched_off_accounts_cannot_sign_in(client: FlaskClient, app: Flask) -> None:
    account = make_organiser(OrganiserRole.ORGANISER)
    account.active = False
    db.session.commit()
    response = client.post(
        "/organisers/sign-in", data={"email": account.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert client.get("/organisers/").status_code == 302


def test_sign_in_only_returns_to_our_own_pages(client: FlaskClient, organiser: Organiser) -> None:
    data = {"email": organiser.email, "password": PASSWORD}
    client.post("/organisers/sign-in?next=https://evil.example/", data=data)
    response = client.post(
        "/organisers/sign-in/code?next=https://evil.example/", data={"code": current_code()}
    )
    assert response.location.endswith("/organisers/")
    client.post("/organisers/sign-out")
    client.post("/organisers/sign-in?next=/organisers/events", data=data)
    code = current_code(steps_ahead=1)
    response = client.post("/organisers/sign-in/code?next=/organisers/events", data={"code": code})
    assert response.location.endswith("/organisers/events")


def test_anonymous_visitors_are_sent_to_sign_in_and_back(client: FlaskClient) -> None:
    response = client.get("/organisers/events")
    assert response.status_code == 302
    assert "/organisers/sign-in?next=" in response.location


def test_signing_out_is_a_button_that_ends_the_session(
    client: FlaskClient, organiser: Organiser
) -> None:
    sign_in_with_form(client, organiser)
    # Following a link (or an image on another site) only shows the button.
    page = check_page(client.get("/organisers/sign-out"))
    assert text_of(page.find("h1")) == "Sign out"
    form = page.select_one("main form[method=post]")
    assert form is not None and form.get("action") == "/organisers/sign-out"
    assert client.get("/organisers/").status_code == 200
    response = client.post("/organisers/sign-out")
    assert response.location.endswith("/organisers/signed-out")
    check_page(client.get("/organisers/signed-out"))
    assert client.get("/organisers/").status_code == 302
    assert actions() == ["signed_in", "two_factor_passed", "signed_out"]


def test_signing_out_needs_the_form_token(tmp_path: Path, frozen_time: object) -> None:
    config = base_config(f"sqlite:///{tmp_path / 'csrf.sqlite'}", tmp_path)
    config["WTF_CSRF_ENABLED"] = True
    protected = create_app(config)
    with protected.app_context():
        db.create_all()
        client = sign_in(protected.test_client(), make_organiser(OrganiserRole.ORGANISER))
        db.session.commit()
        assert client.post("/organisers/sign-out").status_code == 400
        assert client.get("/organisers/").status_code == 200
        page = parse(client.get("/organisers/sign-out"))
        token = page.select_one("input[name=csrf_token]")
        assert token is not None
        response = client.post("/organisers/sign-out", data={"csrf_token": token["value"]})
        assert response.location.endswith("/organisers/signed-out")
        assert client.get("/organisers/").status_code == 302
        db.session.remove()
        db.engine.dispose()


def test_sessions_expire_after_30_minutes_without_a_request(
    app: Flask,
    client: FlaskClient,
    organiser: Organiser,
    frozen_time: time_machine.Coordinates,
) -> None:
    def status_after(minutes: int) -> int:
        frozen_time.shift(timedelta(minutes=minutes))
        db.session.close()  # let the inner context's session write to SQLite
        # A fresh app context per request, as in production: the fixture's context
        # would otherwise keep the signed-in user in `g` between requests.
        with app.app_context():
            return client.get("/organisers/").status_code

    sign_in_with_form(client, organiser)
    assert status_after(25) == 200
    # Each request refreshes the session, so 25 more minutes is still fine...
    assert status_after(25) == 200
    # ...but 31 minutes of nothing ends it.
    assert status_after(31) == 302


def test_session_cookie_is_http_only_and_lax(client: FlaskClient, organiser: Organiser) -> None:
    client.post("/organisers/sign-in", data={"email": organiser.email, "password": PASSWORD})
    response = client.post("/organisers/sign-in/code", data={"code": current_code()})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_cookies_are_secure_in_production(tmp_path: Path, monkeypatch: object) -> None:
    config = base_config(f"sqlite:///{tmp_path / 'production.sqlite'}", tmp_path)
    config["TESTING"] = False
    production = create_app(config)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True


def test_failed_sign_ins_are_rate_limited(
    tmp_path: Path, frozen_time: time_machine.Coordinates
) -> None:
    config = base_config(f"sqlite:///{tmp_path / 'limited.sqlite'}", tmp_path)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    limited = create_app(config)
    with limited.app_context():
        db.create_all()
        account = make_organiser(OrganiserRole.ORGANISER)
        client = limited.test_client()
        data = {"email": account.email, "password": "not the password"}
        statuses = [client.post("/organisers/sign-in", data=data).status_code for _ in range(6)]
        assert statuses == [200, 200, 200, 200, 200, 429]
        page = check_page(client.post("/organisers/sign-in", data=data))
        assert text_of(page.find("h1")) == "Too many attempts"
        # Even the right password waits until the limit resets.
        right = {"email": account.email, "password": PASSWORD}
        assert client.post("/organisers/sign-in", data=right).status_code == 429
        frozen_time.shift(timedelta(minutes=2))
        assert client.post("/organisers/sign-in", data=right).status_code == 302
        db.session.remove()
        db.engine.dispose()


def test_the_header_shows_organiser_links_once_signed_in(
    client: FlaskClient, organiser: Organiser
) -> None:
    public = parse(client.get("/organisers/sign-in"))
    assert "Sign out" not in text_of(public.find("header"))
    sign_in_with_form(client, organiser)
    header = text_of(parse(client.get("/organisers/")).find("header"))
    assert "Manage events" in header and "Sign out" in header
    assert "Accounts" not in header  # admins only


def _open(app: Flask, client: FlaskClient, url: str, data: dict[str, str] | None = None) -> int:
    """One request in a fresh app context, as in production: the fixture's context would
    otherwise keep the signed-in user in `g` from one client's request to the next."""
    db.session.close()
    with app.app_context():
        response = client.post(url, data=data) if data is not None else client.get(url)
    db.session.close()
    return response.status_code


def _two_sessions(app: Flask, account: Organiser) -> tuple[FlaskClient, FlaskClient]:
    sessions = (app.test_client(), app.test_client())
    sign_in_data = {"email": account.email, "password": PASSWORD}
    # The second device's clock runs a step ahead: the same code never works twice.
    for steps_ahead, client in enumerate(sessions):
        assert _open(app, client, "/organisers/sign-in", sign_in_data) == 302
        code = {"code": current_code(steps_ahead=steps_ahead)}
        assert _open(app, client, "/organisers/sign-in/code", code) == 302
        assert _open(app, client, "/organisers/") == 200
    return sessions


NEW = "a brand new long password"


def test_changing_your_password_ends_your_other_sessions(app: Flask, organiser: Organiser) -> None:
    laptop, phone = _two_sessions(app, organiser)
    data = {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW}
    assert _open(app, laptop, "/organisers/your-account/password", data) == 302
    assert _open(app, laptop, "/organisers/") == 200  # the session that changed it carries on
    assert _open(app, phone, "/organisers/") == 302  # the other one has to sign in again


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/password", {"new_password": NEW, "confirm_password": NEW}),
        ("", {"role": "check_in", "active": "y"}),
        ("", {"role": "organiser"}),  # not ticked: switched off
    ],
    ids=["new password", "new role", "switched off"],
)
def test_an_admins_change_ends_the_accounts_sessions(
    app: Flask, admin: Organiser, organiser: Organiser, path: str, data: dict[str, str]
) -> None:
    account_id = organiser.id
    admin_client = sign_in(app.test_client(), admin)
    db.session.commit()
    phone, _ = _two_sessions(app, organiser)
    assert _open(app, admin_client, f"/organisers/accounts/{account_id}{path}", data) == 302
    assert _open(app, phone, "/organisers/check-in") == 302
    assert _open(app, admin_client, "/organisers/accounts") == 200


def test_an_admin_setting_their_own_password_stays_signed_in(app: Flask, admin: Organiser) -> None:
    admin_id = admin.id
    laptop, phone = _two_sessions(app, admin)
    data = {"new_password": NEW, "confirm_password": NEW}
    assert _open(app, laptop, f"/organisers/accounts/{admin_id}/password", data) == 302
    assert _open(app, laptop, "/organisers/accounts") == 200
    assert _open(app, phone, "/organisers/accounts") == 302


def _sign_in_fully(app: Flask, client: FlaskClient, account: Organiser) -> None:
    """The password, then the authenticator app's code, each in its own request."""
    data = {"email": account.email, "password": PASSWORD}
    assert _open(app, client, "/organisers/sign-in", data) == 302
    if account.has_two_factor:
        assert _open(app, client, "/organisers/sign-in/code", {"code": current_code()}) == 302


def _copy_cookies(source: FlaskClient) -> FlaskClient:
    """Someone copies the session cookie out of a browser into another."""
    thief = source.application.test_client()
    for cookie in source._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def test_signing_out_ends_a_copied_session_cookie(app: Flask, organiser: Organiser) -> None:
    browser = app.test_client()
    _sign_in_fully(app, browser, organiser)
    copy = _copy_cookies(browser)
    assert _open(app, copy, "/organisers/") == 200
    assert _open(app, browser, "/organisers/sign-out", {}) == 302
    assert _open(app, copy, "/organisers/") == 302


def test_a_session_ends_12_hours_after_signing_in_however_active(
    app: Flask, organiser: Organiser, frozen_time: time_machine.Coordinates
) -> None:
    browser = app.test_client()
    _sign_in_fully(app, browser, organiser)
    copy = _copy_cookies(browser)
    # Used every 20 minutes, well inside the 30 minutes of inactivity...
    for _ in range(35):
        frozen_time.shift(timedelta(minutes=20))
        assert _open(app, copy, "/organisers/") == 200
    # ...but 12 hours after signing in, the server no longer honours it.
    frozen_time.shift(timedelta(minutes=20))
    assert _open(app, copy, "/organisers/") == 302
    assert _open(app, browser, "/organisers/") == 302
    # Signing in again starts a new 12 hours.
    _sign_in_fully(app, browser, organiser)
    assert _open(app, browser, "/organisers/") == 200


def _client_at(app: Flask, address: str) -> FlaskClient:
    """A browser on another network address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_ten_addresses_cannot_lock_a_volunteer_out_of_their_own_device(
    tmp_path: Path, frozen_time: time_machine.Coordinates
) -> None:
    config = base_config(f"sqlite:///{tmp_path / 'lockout.sqlite'}", tmp_path)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    limited = create_app(config)
    with limited.app_context():
        db.create_all()
        account = make_organiser(OrganiserRole.ORGANISER)
        right = {"email": account.email, "password": PASSWORD}
        wrong = {"email": account.email, "password": "not the password"}
        volunteer = _client_at(limited, "192.0.2.200")
        _sign_in_fully(limited, volunteer, account)
        assert _open(limited, volunteer, "/organisers/sign-out", {}) == 302
        # Someone who knows the address fails ten times from ten addresses.
        for number in range(10):
            attacker = _client_at(limited, f"198.51.100.{number}")
            assert _open(limited, attacker, "/organisers/sign-in", wrong) == 200
        # A stranger's browser is now held back for this account, even with the password...
        stranger = _client_at(limited, "203.0.113.7")
        assert _open(limited, stranger, "/organisers/sign-in", right) == 429
        # ...but the volunteer's own browser still signs in.
        assert _open(limited, volunteer, "/organisers/sign-in", right) == 302
        db.session.remove()
        db.engine.dispose()


def test_a_device_known_for_one_account_is_not_known_for_another(
    tmp_path: Path, frozen_time: time_machine.Coordinates
) -> None:
    config = base_config(f"sqlite:///{tmp_path / 'devices.sqlite'}", tmp_path)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    limited = create_app(config)
    with limited.app_context():
        db.create_all()
        own = make_organiser(OrganiserRole.ORGANISER)
        target_email = make_organiser(OrganiserRole.ADMIN).email
        attacker = _client_at(limited, "198.51.100.1")
        _sign_in_fully(limited, attacker, own)
        assert _open(limited, attacker, "/organisers/sign-out", {}) == 302
        wrong = {"email": target_email, "password": "not the password"}
        for number in range(10):
            other = _client_at(limited, f"198.51.100.{number + 10}")
            assert _open(limited, other, "/organisers/sign-in", wrong) == 200
        # The cookie from signing in to their own account does not lift the target's limit.
        assert _open(limited, attacker, "/organisers/sign-in", wrong) == 429
        db.session.remove()
        db.engine.dispose()
