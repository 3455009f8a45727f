"""Who can get a place at an event: open, by access code, or by the organisers' approval."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import event_or_404
from webinar.models import EventAccess
from webinar.organisers.forms.event_access import EventAccessForm
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.event_access import change_access


@blueprint.route("/events/<int:event_id>/access", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def event_access(event_id: int) -> str | Response:
    event = event_or_404(event_id)
    form = EventAccessForm(data={"access": event.access.value, "access_code": event.access_code})
    if form.validate_on_submit():
        change_access(
            event=event,
            access=EventAccess(form.access.data),
            access_code=form.access_code.data or None,
            organiser=current_organiser(),
        )
        db.session.commit()
        flash("Who can get a place has been saved", "success")
        return redirect(url_for("organisers.show_event", event_id=event.id))
    return render_template("organisers/events/access.html", event=event, form=form)
