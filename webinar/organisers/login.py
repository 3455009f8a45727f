"""How Flask-Login finds the signed-in organiser."""

from __future__ import annotations

from webinar.extensions import db, login_manager
from webinar.models import Organiser


@login_manager.user_loader
def load_organiser(organiser_id: str) -> Organiser | None:
    if not (organiser_id.isascii() and organiser_id.isdigit()):
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    return organiser if organiser is not None and organiser.active else None
