"""How Flask-Login finds the signed-in organiser, and how sessions end.

A session is valid only while (1) its row in organiser_session exists (signing out deletes
it, so a copied cookie stops working on every app server), (2) that row is younger than
ORGANISER_SESSION_MAX_AGE (an absolute lifetime, however active the session), and (3) the
account's keyed session version still matches (password, role or switching off changed).
PERMANENT_SESSION_LIFETIME ends it after inactivity on top of these.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import delete

from webinar.extensions import db, login_manager
from webinar.models import Organiser, OrganiserSession, utc_now
from webinar.security import hash_token, new_token

#: Kept in the session beside Flask-Login's user id.
SESSION_VERSION_KEY = "_organiser_version"
#: The random token whose hash names the session's row.
SESSION_RECORD_KEY = "_organiser_session"


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


def _max_age() -> timedelta:
    return timedelta(seconds=int(current_app.config["ORGANISER_SESSION_MAX_AGE"]))


def open_session_record(organiser: Organiser) -> str:
    """Record a new session (added and flushed, not committed); returns its cookie token.

    Also forgets sessions past their absolute lifetime, so the table stays small.
    """
    now = utc_now()
    db.session.execute(
        delete(OrganiserSession).where(OrganiserSession.created_at_utc <= now - _max_age())
    )
    token = new_token()
    db.session.add(
        OrganiserSession(id=hash_token(token), organiser_id=organiser.id, created_at_utc=now)
    )
    db.session.flush()
    return token


def start_session(organiser: Organiser) -> None:
    """After signing in: this browser's session is recorded on the server."""
    session[SESSION_RECORD_KEY] = open_session_record(organiser)
    remember_session_version(organiser)


def end_session() -> None:
    """Signing out: the session's row goes, so the cookie is worthless wherever it is."""
    token = session.get(SESSION_RECORD_KEY)
    if isinstance(token, str):
        db.session.execute(delete(OrganiserSession).where(OrganiserSession.id == hash_token(token)))


def _session_is_live(organiser: Organiser) -> bool:
    token = session.get(SESSION_RECORD_KEY)
    if not isinstance(token, str):
        return False
    record = db.session.get(OrganiserSession, hash_token(token))
    return (
        record is not None
        and record.organiser_id == organiser.id
        and record.created_at_utc > utc_now() - _max_age()
    )


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
    if not _session_is_live(organiser):
        return None
    return organiser
