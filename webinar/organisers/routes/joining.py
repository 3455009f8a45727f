"""Replacing one person's joining link, from the attendee list."""

from __future__ import annotations

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import attendee_or_404, event_or_404
from webinar.organisers.forms.accounts import ConfirmForm
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.joining import NotBooked, replace_joining_link


@blueprint.post("/events/<int:event_id>/attendees/<int:registration_id>/replace-joining-link")
@role_required(*EVENT_ROLES)
def replace_joining_link_page(event_id: int, registration_id: int) -> Response:
    event = event_or_404(event_id)
    registration = attendee_or_404(event, registration_id)
    if ConfirmForm().validate_on_submit():
        try:
            replace_joining_link(registration=registration, organiser=current_organiser())
            db.session.commit()
        except NotBooked:
            flash("Only a person with a place has a joining link")
        else:
            flash("Joining link replaced. The old one no longer works.", "success")
    return redirect(url_for("organisers.list_attendees_page", event_id=event.id))
