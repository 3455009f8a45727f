"""Requests for a place at an event by approval: approve or decline, from the list."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import attendee_or_404, event_or_404
from webinar.models import RegistrationStatus, utc_now
from webinar.organisers.forms.requests import DecisionForm
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.requests import NotRequested, decide_request
from webinar.registrations.places import NoPlaceLeft

NO_PLACE = "There are no places left. Add places to the event first, or decline the request"


@blueprint.route(
    "/events/<int:event_id>/attendees/<int:registration_id>/decide", methods=["GET", "POST"]
)
@role_required(*EVENT_ROLES)
def decide_request_page(event_id: int, registration_id: int) -> str | Response:
    event = event_or_404(event_id)
    registration = attendee_or_404(event, registration_id)
    back = redirect(url_for("organisers.list_attendees_page", event_id=event.id))
    if registration.status != RegistrationStatus.REQUESTED:
        flash("This request has already been decided or withdrawn")
        return back
    form = DecisionForm()
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        try:
            decide_request(
                registration=registration,
                approve=approve,
                message=form.message.data or "",
                organiser=current_organiser(),
                now=utc_now(),
            )
            db.session.commit()
        except NoPlaceLeft:
            db.session.rollback()
            form.decision.errors.append(NO_PLACE)
        except NotRequested:
            db.session.rollback()
            flash("This request has already been decided or withdrawn")
            return back
        else:
            # No names: flash messages wait in the session cookie, which is readable.
            flash("Request approved" if approve else "Request declined", "success")
            return back
    return render_template(
        "organisers/attendees/decide_request.html",
        event=event,
        registration=registration,
        form=form,
    )
