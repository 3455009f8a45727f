"""Checking people in on the day: big targets, names only, one button per person."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import attendee_or_404, event_or_404
from webinar.models import Event, OrganiserRole, utc_now
from webinar.organisers.forms.accounts import ConfirmForm
from webinar.organisers.queries import attendee_counts, list_events_on_day, list_for_check_in
from webinar.organisers.roles import CHECK_IN_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services import attendees as attendee_services
from webinar.organisers.services import check_in as check_in_services


def _check_in_event_or_403(event_id: int) -> Event:
    """Check-in staff only see today's events; organisers can check in for any event."""
    event = event_or_404(event_id)
    if current_organiser().role == OrganiserRole.CHECK_IN and event not in list_events_on_day(
        now=utc_now()
    ):
        abort(403)
    return event


@blueprint.get("/check-in")
@role_required(*CHECK_IN_ROLES)
def check_in_events() -> str:
    return render_template(
        "organisers/check_in/events.html", events=list_events_on_day(now=utc_now())
    )


@blueprint.get("/check-in/<int:event_id>")
@role_required(*CHECK_IN_ROLES)
def check_in(event_id: int) -> Response:
    event = _check_in_event_or_403(event_id)
    return _check_in_page(event, search=request.args.get("q", "")[:100])


@blueprint.post("/check-in/<int:event_id>/code")
@role_required(*CHECK_IN_ROLES)
def check_in_by_code(event_id: int) -> Response:
    """A booking code typed in, or read from its QR code by the page's scanner."""
    event = _check_in_event_or_403(event_id)
    result = None
    if ConfirmForm().validate_on_submit():
        result = check_in_services.check_in_by_code(
            event=event,
            code=str(request.form.get("code", ""))[:40],
            organiser=current_organiser(),
            now=utc_now(),
        )
        db.session.commit()
    # Shown in this response, not flashed: a flash waits in the readable session cookie.
    return _check_in_page(event, search="", result=result)


def _check_in_page(
    event: Event, *, search: str, result: check_in_services.CodeCheckIn | None = None
) -> Response:
    counts = attendee_counts(event)
    response = make_response(
        render_template(
            "organisers/check_in/check_in.html",
            event=event,
            # Names only: nobody at the door needs an email address.
            listing=list_for_check_in(event, search=search, booked=counts.booked),
            search=search,
            counts=counts,
            form=ConfirmForm(),
            result=result,
            outcomes=check_in_services.CodeOutcome,
        )
    )
    # The one page that may use the camera, to scan booking codes.
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
    return response


@blueprint.post("/events/<int:event_id>/attendees/<int:registration_id>/attended")
@role_required(*CHECK_IN_ROLES)
def mark_attended(event_id: int, registration_id: int) -> Response:
    event = _check_in_event_or_403(event_id)
    registration = attendee_or_404(event, registration_id)
    if ConfirmForm().validate_on_submit():
        attended = request.form.get("attended", "yes") == "yes"
        try:
            attendee_services.mark_attended(
                registration=registration,
                attended=attended,
                organiser=current_organiser(),
                now=utc_now(),
            )
            db.session.commit()
        except attendee_services.NotBooked:
            flash("This person does not have a place, so cannot be checked in")
        else:
            # No names: flash messages wait in the session cookie, which is readable.
            flash("Checked in" if attended else "Check-in undone", "success")
    if (
        request.args.get("next") == "attendees"
        and current_organiser().role != OrganiserRole.CHECK_IN
    ):
        return redirect(url_for("organisers.list_attendees_page", event_id=event.id))
    return redirect(
        url_for("organisers.check_in", event_id=event.id, q=request.form.get("q") or None)
    )
