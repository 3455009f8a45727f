"""The personal joining link: /join/<token>."""

from __future__ import annotations

from flask import Blueprint, render_template

from webinar.extensions import db
from webinar.joining.tokens import find_registration_by_join_token
from webinar.joining.window import JoinState, join_state, opens_at, record_first_use
from webinar.models import utc_now

blueprint = Blueprint("joining", __name__)


@blueprint.get("/join/<token>")
def join(token: str) -> tuple[str, int] | str:
    now = utc_now()
    registration = find_registration_by_join_token(token)
    state = join_state(registration, now=now)
    if registration is None or state == JoinState.NOT_AVAILABLE:
        # One page and one status whatever the reason (docs/safety.md#personal-joining-links).
        return render_template("joining/not_available.html", discreet=True), 404
    event = registration.event
    context = {
        "event": event,
        "discreet": registration.discreet,
        "title": event.discreet_title if registration.discreet else event.title,
        "opens_at": opens_at(event),
    }
    if state == JoinState.NOT_YET:
        return render_template("joining/not_yet.html", **context)
    # Opening the page inside the window counts as joining: a link scanner that opens
    # the email days before never lands here.
    record_first_use(registration, now=now)
    db.session.commit()
    return render_template("joining/join_safely.html", **context)
