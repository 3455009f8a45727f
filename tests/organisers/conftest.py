"""Organiser accounts for each role, and signing in without paying for Argon2 each time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache

import pyotp
import pytest
from flask.testing import FlaskClient

from webinar.extensions import db
from webinar.models import Organiser, OrganiserRole, utc_now
from webinar.organisers.login import (
    SESSION_RECORD_KEY,
    SESSION_VERSION_KEY,
    open_session_record,
    session_version,
)
from webinar.organisers.passwords import hash_password

PASSWORD = "correct horse battery staple"
#: Every test account that needs an authenticator app has this key in it.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def make_organiser(
    role: OrganiserRole, email: str | None = None, *, two_factor: bool | None = None
) -> Organiser:
    """An account; with an authenticator app already set up if its role needs one."""
    organiser = Organiser(
        email=email or f"{role.value.replace('_', '-')}@police.example",
        password_hash=password_hash(),
        role=role,
    )
    if two_factor if two_factor is not None else organiser.needs_two_factor:
        organiser.totp_secret = TOTP_SECRET
        organiser.totp_confirmed_at_utc = utc_now()
    db.session.add(organiser)
    db.session.commit()
    return organiser


def current_code(secret: str = TOTP_SECRET, *, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (the tests' clock is frozen), or a step later:
    a phone whose clock runs a little fast, for a second sign-in in the same 30 seconds."""
    totp = pyotp.TOTP(secret)
    return totp.at(utc_now() + timedelta(seconds=totp.interval * steps_ahead))


def sign_in_with_form(client: FlaskClient, organiser: Organiser, *, steps_ahead: int = 0) -> None:
    """Password, then the app's code, as a person signs in."""
    client.post("/organisers/sign-in", data={"email": organiser.email, "password": PASSWORD})
    if organiser.has_two_factor:
        code = current_code(steps_ahead=steps_ahead)
        client.post("/organisers/sign-in/code", data={"code": code})


def sign_in(client: FlaskClient, organiser: Organiser) -> FlaskClient:
    """What Flask-Login stores after a real sign-in (tested in test_auth), and its record."""
    token = open_session_record(organiser)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(organiser.id)
        session[SESSION_VERSION_KEY] = session_version(organiser)
        session[SESSION_RECORD_KEY] = token
        session["_fresh"] = True
        session.permanent = True
    return client


@pytest.fixture
def admin(app: object) -> Organiser:
    return make_organiser(OrganiserRole.ADMIN)


@pytest.fixture
def organiser(app: object) -> Organiser:
    return make_organiser(OrganiserRole.ORGANISER)


@pytest.fixture
def check_in_staff(app: object) -> Organiser:
    return make_organiser(OrganiserRole.CHECK_IN)


@pytest.fixture
def client_as(client: FlaskClient) -> Callable[[OrganiserRole], FlaskClient]:
    """A client signed in with a new account in the given role."""

    def signed_in(role: OrganiserRole) -> FlaskClient:
        result = sign_in(client, make_organiser(role, f"{role.value}-{id(client)}@police.example"))
        db.session.commit()
        return result

    return signed_in


def flashed_messages(client: FlaskClient) -> list[str]:
    """What waits in the session cookie, which is signed but anyone holding it can read."""
    with client.session_transaction() as session:
        return [str(message) for _, message in session.get("_flashes", [])]
