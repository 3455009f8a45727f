"""How Flask-Login finds the signed-in organiser, and ends sessions after account changes."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, session

from webinar.extensions import db, login_manager
from webinar.models import Organiser

#: Kept in the session beside Flask-Login's user id.
SESSION_VERSION_KEY = "_organiser_version"


def session_version(organiser: Organiser) -> str:
    """Changes with the password, role, second factor or switching off, so other sessions
    end (ASVS 7.4.3).

    Keyed with the secret key: the cookie is signed, not encrypted, and should not carry
    anything derived from the password hash that someone could test guesses against.
    """
    key = str(current_app.secret_key).encode()
    state = f"{organiser.id}|{organiser.password_hash}|{organiser.role.value}|{organiser.active}"
    # Setting up or resetting the second factor ends the account's other sessions too.
    if organiser.has_two_factor:
        state += f"|{organiser.totp_secret}"
    return hmac.new(key, state.encode(), hashlib.sha256).hexdigest()[:32]


def remember_session_version(organiser: Organiser) -> None:
    """After signing in, or changing your own account, this session carries on."""
    session[SESSION_VERSION_KEY] = session_version(organiser)


@login_manager.user_loader
def load_organiser(organiser_id: str) -> Organiser | None:
    # isascii: str.isdigit() accepts '²', which int() refuses.
    if not (organiser_id.isascii() and organiser_id.isdigit()):
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    if organiser is None or not organiser.active:
        return None
    version = str(session.get(SESSION_VERSION_KEY, ""))
    if not hmac.compare_digest(version, session_version(organiser)):
        return None
    return organiser
