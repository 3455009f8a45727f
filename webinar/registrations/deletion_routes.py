"""Deleting one's details now: a confirm page, then POST only."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from werkzeug.wrappers import Response
from wtforms import SubmitField

from webinar.models import Registration, utc_now
from webinar.registrations.deletion import delete_registration_details
from webinar.registrations.services import find_registration_by_token

blueprint = Blueprint("registration_deletion", __name__)


class DeleteDetailsForm(FlaskForm):
    submit = SubmitField("Yes, delete my details", widget=GovSubmitInput())


def _registration_or_404(token: str) -> Registration:
    registration = find_registration_by_token(token)
    if registration is None:
        abort(404)
    return registration


@blueprint.route("/booking/<token>/delete", methods=["GET", "POST"])
def delete_details(token: str) -> str | Response:
    registration = _registration_or_404(token)
    form = DeleteDetailsForm()
    if form.validate_on_submit():
        delete_registration_details(registration=registration, now=utc_now())
        return redirect(url_for("registration_deletion.details_deleted"))
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
