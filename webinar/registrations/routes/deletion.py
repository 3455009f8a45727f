"""Deleting one's details now: a confirm page, then POST only (docs/safety.md#retention)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from webinar.database import survives_lost_connection
from webinar.extensions import db
from webinar.lookups import booking_or_404
from webinar.models import utc_now
from webinar.registrations.cancellation import delete_registration_details
from webinar.registrations.forms import DeleteDetailsForm
from webinar.registrations.queries import find_registration_by_token
from webinar.registrations.routes.blueprint import blueprint


@blueprint.route("/booking/<token>/delete", methods=["GET", "POST"])
@survives_lost_connection
def delete_details(token: str) -> str | Response:
    if request.method == "POST" and find_registration_by_token(token) is None:
        # A second click or a second tab: the details went with the first, and we hold
        # nothing for this link, which is what the page says.
        return redirect(url_for("registrations.details_deleted"))
    registration = booking_or_404(token)
    form = DeleteDetailsForm()
    if form.validate_on_submit():
        delete_registration_details(registration=registration, now=utc_now())
        db.session.commit()
        return redirect(url_for("registrations.details_deleted"))
    return render_template(
        "registrations/delete_details.html",
        registration=registration,
        event=registration.event,
        form=form,
        token=token,
    )


@blueprint.get("/details-deleted")
def details_deleted() -> str:
    return render_template("registrations/details_deleted.html")
