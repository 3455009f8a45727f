"""Between the password and the code: who is half signed in, kept in the session.

The session cookie is signed, not encrypted: it holds only the account id, a keyed
version (login.py) and when the password was accepted, never the key or a code.
"""

from __future__ import annotations

import time

from flask import session
from flask_login import login_user

from webinar.extensions import db
from webinar.models import Organiser
from webinar.organisers.login import end_session, session_version, start_session

PENDING_KEY = "_organiser_second_step"
#: The code must follow the password within this many seconds.
PENDING_SECONDS = 5 * 60


def begin_second_step(organiser: Organiser) -> None:
    """The password was right; the account is not signed in until the code is."""
    session.clear()
    session[PENDING_KEY] = {
        "id": organiser.id,
        "version": session_version(organiser),
        "at": int(time.time()),
    }


def pending_organiser() -> Organiser | None:
    """The account whose password was just accepted, if still in time and unchanged."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    organiser = db.session.get(Organiser, int(pending.get("id", 0)))
    if organiser is None or not organiser.active:
        return None
    if pending.get("version") != session_version(organiser):
        return None
    return organiser


def complete_sign_in(organiser: Organiser) -> None:
    """Both steps passed (or only a password is needed): a fresh session.

    A session this browser had before is ended on the server, and the new one is recorded
    there (login.start_session); the caller commits.
    """
    end_session()
    session.clear()
    login_user(organiser)
    start_session(organiser)
    session.permanent = True
