"""Changing a booking's email address: only by opening a link sent to the new address."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import booking_or_404
from webinar.models import RegistrationStatus
from webinar.registrations.change_forms import ChangeEmailForm, ConfirmEmailForm
from webinar.registrations.changes import (
    AddressInUse,
    BookingNotActive,
    ask_to_change_email,
    change_email,
)
from webinar.registrations.email_tokens import read_email_change_token
from webinar.registrations.routes.blueprint import blueprint
from webinar.security import manage_token_for
from webinar.validators import normalise_email


@blueprint.route("/booking/<token>/change-email", methods=["GET", "POST"])
def change_email_page(token: str) -> str | Response:
    registration = booking_or_404(token)
    if registration.status == RegistrationStatus.CANCELLED:
        return redirect(url_for("registrations.manage_booking", token=token))
    form = ChangeEmailForm()
    if form.validate_on_submit():
        ask_to_change_email(registration, normalise_email(form.email.data or ""))
        db.session.commit()
        return render_template(
            "registrations/check_your_new_email.html", event=registration.event, token=token
        )
    return render_template(
        "registrations/change_email.html", event=registration.event, form=form, token=token
    )


@blueprint.route("/booking/confirm-email/<token>", methods=["GET", "POST"])
def confirm_new_email(token: str) -> tuple[str, int] | str | Response:
    found = read_email_change_token(token)
    if found is None:
        return render_template("registrations/email_link_expired.html"), 404
    # A GET only shows the button: mail scanners that open links change nothing.
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        calendar_uid, new_email = found
        try:
            change_email(calendar_uid, new_email)
            db.session.commit()
        except (BookingNotActive, AddressInUse):
            db.session.rollback()
            return render_template("registrations/email_link_expired.html"), 404
        flash("Your email address has been changed. We’ve sent you an email to confirm.")
        return redirect(
            url_for("registrations.manage_booking", token=manage_token_for(calendar_uid))
        )
    return render_template("registrations/confirm_new_email.html", form=form, token=token)
