"""The second factor: setting up an authenticator app, codes after the password,
recovery codes, and an admin's reset."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import base_config
from tests.factories import Factory
from tests.organisers.conftest import (
    PASSWORD,
    current_code,
    flashed_messages,
    make_organiser,
    sign_in,
)
from tests.pages import check_page, field_errors, parse, text_of
from webinar import create_app
from webinar.extensions import db
from webinar.models import AuditEntry, Organiser, OrganiserRole, RecoveryCode


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def enter_password(client: FlaskClient, organiser: Organiser) -> None:
    data = {"email": organiser.email, "password": PASSWORD}
    response = client.post("/organisers/sign-in", data=data)
    assert response.location.endswith("/organisers/sign-in/code")


def in_own_context(app: Flask, client: FlaskClient, method: str, url: str, **kwargs: Any) -> Any:
    """One request in a fresh app context, as in production: with several clients, the
    fixture's context would otherwise keep one signed-in user in `g` for all of them."""
    db.session.close()
    with app.app_context():
        response = client.open(url, method=method, **kwargs)
    db.session.close()
    return response


def set_up(client: FlaskClient) -> tuple[str, list[str]]:
    """Read the key from the page, as a person types it into their app; confirm a code."""
    page = check_page(client.get("/organisers/your-account/two-factor"))
    secret = text_of(page.select_one("#key")).replace(" ", "")
    response = client.post(
        "/organisers/your-account/two-factor", data={"code": pyotp.TOTP(secret).now()}
    )
    codes = [text_of(item) for item in check_page(response).select("#recovery-codes li")]
    return secret, codes


def test_admins_and_organisers_see_no_attendee_data_until_they_set_up_an_app(
    client: FlaskClient, factory: Factory
) -> None:
    event = factory.event()
    factory.registration(event, name="Ada Lovelace")
    sign_in(client, make_organiser(OrganiserRole.ORGANISER, two_factor=False))
    response = client.get(f"/organisers/events/{event.id}/attendees")
    assert response.location.endswith("/organisers/your-account/two-factor")
    page = check_page(client.get(response.location))
    assert text_of(page.find("h1")) == "Set up an authenticator app"
    assert "Ada" not in text_of(page)


def test_the_set_up_page_shows_a_qr_code_made_here_and_the_key_in_text(
    client: FlaskClient,
) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER, two_factor=False)
    sign_in(client, organiser)
    page = check_page(client.get("/organisers/your-account/two-factor"))
    svg = page.select_one("main svg")
    assert svg is not None and svg.find("title") is not None
    assert not page.select("main img") and not page.select("main [style]")
    key = text_of(page.select_one("#key")).replace(" ", "")
    assert key == organiser.totp_secret and len(key) == 32
    # A reload shows the same key, so a half-done set-up in the app still works.
    again = check_page(client.get("/organisers/your-account/two-factor"))
    assert text_of(again.select_one("#key")).replace(" ", "") == key


def test_a_wrong_code_does_not_turn_the_app_on(client: FlaskClient) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER, two_factor=False)
    sign_in(client, organiser)
    client.get("/organisers/your-account/two-factor")
    response = client.post("/organisers/your-account/two-factor", data={"code": "000000"})
    assert field_errors(check_page(response)) == {"code": "Enter a correct code"}
    assert not organiser.has_two_factor


def test_setting_up_shows_ten_recovery_codes_once_and_keeps_only_their_hashes(
    app: Flask, client: FlaskClient
) -> None:
    organiser = make_organiser(OrganiserRole.ADMIN, two_factor=False)
    sign_in(client, organiser)
    secret, codes = set_up(client)
    assert len(codes) == len(set(codes)) == 10
    assert all(len(code) == 19 and not set(code) & set("01IO") for code in codes)
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(stored) & set(codes)
    assert organiser.has_two_factor and organiser.totp_secret == secret
    assert actions() == ["two_factor_set_up"]
    # This session carries on; the codes are not shown again.
    assert client.get("/organisers/accounts").status_code == 200
    assert client.get("/organisers/your-account/two-factor").location.endswith("/your-account")


def test_setting_up_ends_the_accounts_other_sessions(app: Flask) -> None:
    organiser = make_organiser(OrganiserRole.CHECK_IN)
    laptop = sign_in(app.test_client(), organiser)
    phone = sign_in(app.test_client(), organiser)
    set_up(laptop)
    assert in_own_context(app, phone, "GET", "/organisers/check-in").status_code == 302


def test_a_wrong_code_after_the_password_is_refused_and_audited(
    client: FlaskClient, organiser: Organiser
) -> None:
    enter_password(client, organiser)
    page = check_page(client.post("/organisers/sign-in/code", data={"code": "123 456"}))
    assert text_of(page.find("h1")) == "Enter the code from your authenticator app"
    assert field_errors(page) == {"code": "Enter a correct code"}
    assert client.get("/organisers/").status_code == 302
    assert actions() == ["signed_in", "two_factor_failed"]


def test_a_code_works_once_and_a_step_of_clock_drift_is_allowed(
    client: FlaskClient, organiser: Organiser
) -> None:
    enter_password(client, organiser)
    assert client.post("/organisers/sign-in/code", data={"code": current_code()}).status_code == 302
    client.post("/organisers/sign-out")
    enter_password(client, organiser)
    # The same code again: someone who watched it typed cannot reuse it.
    assert client.post("/organisers/sign-in/code", data={"code": current_code()}).status_code == 200
    # Two steps ahead is too far; one step behind is older than the code already used.
    for steps in (2, -1):
        code = current_code(steps_ahead=steps)
        assert client.post("/organisers/sign-in/code", data={"code": code}).status_code == 200
    code = current_code(steps_ahead=1)
    assert client.post("/organisers/sign-in/code", data={"code": code}).status_code == 302


def test_the_code_page_needs_the_password_first_and_a_code_soon_after(
    client: FlaskClient, organiser: Organiser, frozen_time: time_machine.Coordinates
) -> None:
    response = client.get("/organisers/sign-in/code")
    assert response.location.startswith("/organisers/sign-in")
    enter_password(client, organiser)
    frozen_time.shift(timedelta(minutes=6))
    response = client.post("/organisers/sign-in/code", data={"code": current_code()})
    assert "/organisers/sign-in" in response.location
    assert not response.location.endswith("/code")
    assert "Sign in again to continue" in flashed_messages(client)
    assert client.get("/organisers/").status_code == 302


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(
    client: FlaskClient,
) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER, two_factor=False)
    sign_in(client, organiser)
    _, codes = set_up(client)
    client.post("/organisers/sign-out")
    enter_password(client, organiser)
    response = client.post("/organisers/sign-in/code", data={"code": codes[3].lower()})
    assert response.location.endswith("/organisers/your-account")
    page = check_page(client.get(response.location))
    assert "You have 9 recovery codes left" in text_of(page)
    client.post("/organisers/sign-out")
    enter_password(client, organiser)
    response = client.post("/organisers/sign-in/code", data={"code": codes[3]})
    assert field_errors(check_page(response)) == {"code": "Enter a correct code"}
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    used = [entry for entry in entries if entry.action == "recovery_code_used"]
    assert [entry.detail for entry in used] == ["9 recovery codes left"]
    assert entries[-1].action == "two_factor_failed"


def test_new_recovery_codes_replace_the_old_ones(client: FlaskClient) -> None:
    organiser = make_organiser(OrganiserRole.ORGANISER, two_factor=False)
    sign_in(client, organiser)
    _, old = set_up(client)
    page = check_page(client.post("/organisers/your-account/two-factor/recovery-codes"))
    new = [text_of(item) for item in page.select("#recovery-codes li")]
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/organisers/sign-out")
    enter_password(client, organiser)
    assert client.post("/organisers/sign-in/code", data={"code": old[0]}).status_code == 200
    assert client.post("/organisers/sign-in/code", data={"code": new[0]}).status_code == 302


def test_wrong_codes_are_rate_limited_per_account(
    tmp_path: Path, frozen_time: time_machine.Coordinates
) -> None:
    config = base_config(f"sqlite:///{tmp_path / 'limited.sqlite'}", tmp_path)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    limited = create_app(config)
    with limited.app_context():
        db.create_all()
        account = make_organiser(OrganiserRole.ORGANISER)
        client = limited.test_client()
        enter_password(client, account)
        wrong = {"code": "000000"}
        statuses = [
            client.post("/organisers/sign-in/code", data=wrong).status_code for _ in range(6)
        ]
        assert statuses == [200, 200, 200, 200, 200, 429]
        # Even the right code waits until the limit resets.
        right = {"code": current_code()}
        assert client.post("/organisers/sign-in/code", data=right).status_code == 429
        frozen_time.shift(timedelta(minutes=4))
        enter_password(client, account)
        assert client.post("/organisers/sign-in/code", data=right).status_code == 429
        db.session.remove()
        db.engine.dispose()


def test_an_admin_reset_ends_the_accounts_sessions_and_it_sets_up_again(
    app: Flask, admin: Organiser, organiser: Organiser
) -> None:
    account_id = organiser.id
    admin_client = sign_in(app.test_client(), admin)
    phone = sign_in(app.test_client(), organiser)
    assert in_own_context(app, phone, "GET", "/organisers/events").status_code == 200
    url = f"/organisers/accounts/{account_id}/two-factor"
    page = check_page(in_own_context(app, admin_client, "GET", url))
    assert "Set up" in text_of(page.find("main"))
    response = in_own_context(app, admin_client, "POST", url + "/reset")
    assert response.location.endswith("/organisers/accounts")
    response = in_own_context(app, phone, "GET", "/organisers/events")
    assert response.location.startswith("/organisers/sign-in")
    assert not db.session.get(Organiser, account_id).has_two_factor  # type: ignore[union-attr]
    assert db.session.scalars(select(RecoveryCode)).all() == []
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor, entry.detail) == (
        "two_factor_reset",
        "admin@police.example",
        "organiser@police.example",
    )
    # The password alone now signs in, straight to setting up a new app.
    data = {"email": "organiser@police.example", "password": PASSWORD}
    response = in_own_context(app, phone, "POST", "/organisers/sign-in", data=data)
    assert response.location.endswith("/organisers/")
    response = in_own_context(app, phone, "GET", "/organisers/")
    assert response.location.endswith("/your-account/two-factor")


def test_the_last_admin_resets_their_own_app_only_from_the_command_line(
    app: Flask, client: FlaskClient, admin: Organiser
) -> None:
    sign_in(client, admin)
    response = client.post(f"/organisers/accounts/{admin.id}/two-factor/reset")
    assert response.status_code == 302
    page = check_page(client.get(response.location))
    assert "Use the command line: flask organiser reset-2fa EMAIL" in text_of(page)
    assert admin.has_two_factor
    result = app.test_cli_runner().invoke(args=["organiser", "reset-2fa", admin.email])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not admin.has_two_factor
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor) == ("two_factor_reset", "command line")
    missing = app.test_cli_runner().invoke(args=["organiser", "reset-2fa", "no@police.example"])
    assert missing.exit_code != 0 and "No account uses this email address" in missing.output


def test_check_in_staff_may_use_an_app_and_an_admin_can_require_it(
    client: FlaskClient, admin: Organiser
) -> None:
    app = client.application
    door = make_organiser(OrganiserRole.CHECK_IN, "door@police.example")
    door_id = door.id
    door_client = sign_in(app.test_client(), door)
    sign_in(client, admin)
    assert in_own_context(app, door_client, "GET", "/organisers/check-in").status_code == 200
    url = f"/organisers/accounts/{door_id}/two-factor"
    response = in_own_context(app, client, "POST", url, data={"required": "y"})
    assert response.status_code == 302
    assert db.session.get(Organiser, door_id).two_factor_required  # type: ignore[union-attr]
    response = in_own_context(app, door_client, "GET", "/organisers/check-in")
    assert response.location.endswith("/your-account/two-factor")
    assert actions()[-1] == "account_changed"
    db.session.close()
    with app.app_context():
        set_up(door_client)
    assert in_own_context(app, door_client, "GET", "/organisers/check-in").status_code == 200


def test_your_account_says_whether_the_app_is_set_up(
    client: FlaskClient, organiser: Organiser
) -> None:
    sign_in(client, organiser)
    page = parse(client.get("/organisers/your-account"))
    assert "Authenticator app Set up" in text_of(page.find("dl"))
