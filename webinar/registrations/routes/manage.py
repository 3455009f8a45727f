"""Managing a booking through its private link: seeing it and cancelling it."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from webinar.database import survives_lost_connection
from webinar.extensions import db
from webinar.joining.tokens import join_url_for
from webinar.lookups import booking_or_404
from webinar.models import EventStatus, Registration, RegistrationStatus, utc_now
from webinar.qr_codes import qr_code_svg
from webinar.registrations.cancellation import cancel_registration
from webinar.registrations.forms import CancelForm
from webinar.registrations.routes.blueprint import blueprint


@blueprint.get("/booking/<token>")
def manage_booking(token: str) -> str:
    registration = booking_or_404(token)
    had_join_hash = registration.join_token_hash is not None
    join_url = join_url_for(registration)
    if not had_join_hash:
        db.session.commit()  # A booking from before joining links gets its link stored.
    return render_template(
        "registrations/manage_booking.html",
        registration=registration,
        event=registration.event,
        token=token,
        statuses=RegistrationStatus,
        booking_qr_code=_booking_qr_code(registration),
        join_url=join_url,
    )


def _booking_qr_code(registration: Registration) -> Markup | None:
    """The booking code as a QR code for the door, while the place is good to use."""
    if (
        registration.status != RegistrationStatus.BOOKED
        or registration.event.status != EventStatus.PUBLISHED
        or not registration.booking_code
    ):
        return None
    return qr_code_svg(registration.booking_code, title="QR code of your booking code")


@blueprint.route("/booking/<token>/cancel", methods=["GET", "POST"])
@survives_lost_connection
def cancel_booking(token: str) -> str | Response:
    registration = booking_or_404(token)
    if (
        registration.status == RegistrationStatus.CANCELLED
        or registration.event.status != EventStatus.PUBLISHED
    ):
        # Nothing to cancel: the manage page says why.
        return redirect(url_for("registrations.manage_booking", token=token))
    form = CancelForm()
    if form.validate_on_submit():
        cancel_registration(registration=registration, now=utc_now())
        db.session.commit()
        return redirect(url_for("registrations.booking_cancelled", token=token))
    return render_template(
        "registrations/cancel_booking.html",
        registration=registration,
        event=registration.event,
        form=form,
        token=token,
    )


@blueprint.get("/booking/<token>/cancelled")
def booking_cancelled(token: str) -> str:
    registration = booking_or_404(token)
    return render_template(
        "registrations/booking_cancelled.html", registration=registration, event=registration.event
    )
