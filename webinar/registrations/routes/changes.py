"""Changing a booking from its manage link, without cancelling it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import booking_or_404
from webinar.models import EventStatus, RegistrationStatus
from webinar.registrations.change_forms import ChangeBookingForm
from webinar.registrations.changes import (
    BookingNotActive,
    Choices,
    change_booking,
    choices_of,
)
from webinar.registrations.routes.blueprint import blueprint


@blueprint.route("/booking/<token>/change", methods=["GET", "POST"])
def change_booking_page(token: str) -> str | Response:
    registration = booking_or_404(token)
    if (
        registration.status == RegistrationStatus.CANCELLED
        or registration.event.status != EventStatus.PUBLISHED
    ):
        return redirect(url_for("registrations.manage_booking", token=token))
    form = ChangeBookingForm(data=vars(choices_of(registration)))
    if form.validate_on_submit():
        choices = Choices(
            name=form.name.data or "",
            accessibility_needs=form.accessibility_needs.data or None,
            discreet=bool(form.discreet.data),
            no_calendar=bool(form.no_calendar.data),
            no_reminders=bool(form.no_reminders.data),
        )
        try:
            changed = change_booking(registration, choices)
            db.session.commit()
        except BookingNotActive:
            db.session.rollback()
            return redirect(url_for("registrations.manage_booking", token=token))
        # The flash lives in the signed (readable) session cookie: no values in it.
        flash(
            "Your changes have been saved. We’ve sent you an email to confirm."
            if changed
            else "Nothing was changed."
        )
        return redirect(url_for("registrations.manage_booking", token=token))
    return render_template(
        "registrations/change_booking.html",
        registration=registration,
        event=registration.event,
        form=form,
        token=token,
    )
