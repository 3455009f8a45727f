"""Organiser accounts for each role, and signing in without paying for Argon2 each time."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from flask.testing import FlaskClient

from webinar.extensions import db
from webinar.models import Organiser, OrganiserRole
from webinar.organisers.login import (
    SESSION_RECORD_KEY,
    SESSION_VERSION_KEY,
    open_session_record,
    session_version,
)
from webinar.organisers.passwords import hash_password

PASSWORD = "correct horse battery staple"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def make_organiser(role: OrganiserRole, email: str | None = None) -> Organiser:
    organiser = Organiser(
        email=email or f"{role.value.replace('_', '-')}@police.example",
        password_hash=password_hash(),
        role=role,
    )
    db.session.add(organiser)
    db.session.commit()
    return organiser


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
