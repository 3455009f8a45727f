"""Registering for an event and managing a booking through its private link."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.events.queries import accepts_registrations, availability, get_public_event
from webinar.extensions import limiter
from webinar.models import Event, EventStatus, Registration, RegistrationStatus, utc_now
from webinar.registrations.forms import CancelForm, RegistrationForm
from webinar.registrations.services import (
    EventFull,
    RegistrationClosed,
    cancel_registration,
    find_registration_by_token,
    register_for_event,
)
from webinar.security import minimum_duration

blueprint = Blueprint("registrations", __name__)


def _event_or_404(slug: str) -> Event:
    event = get_public_event(slug)
    if event is None:
        abort(404)
    return event


@blueprint.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("10 per minute;60 per hour", methods=["POST"])
def register(slug: str) -> str | Response:
    event = _event_or_404(slug)
    if not accepts_registrations(event, now=utc_now()):
        return redirect(url_for("events.show_event", slug=slug))
    form = RegistrationForm()
    if not event.accepts_questions:
        del form.question
    if form.validate_on_submit():
        try:
            with minimum_duration(current_app.config["REGISTRATION_MINIMUM_RESPONSE_MS"]):
                register_for_event(
                    event=event,
                    name=form.name.data or "",
                    email=form.email.data or "",
                    accessibility_needs=form.accessibility_needs.data,
                    question=form.question.data if "question" in form else None,
                    discreet=bool(form.discreet.data),
                    now=utc_now(),
                )
        except (RegistrationClosed, EventFull):
            # It closed or filled up while the form was open: the event page says which.
            return redirect(url_for("events.show_event", slug=slug))
        else:
            return redirect(url_for("registrations.check_your_email", slug=slug))
    return render_template(
        "registrations/register.html",
        event=event,
        form=form,
        availability=availability(event, now=utc_now()),
    )


@blueprint.get("/events/<slug>/check-your-email")
def check_your_email(slug: str) -> str:
    # The same page whatever happened (SAFETY.md 2): only the email says which.
    return render_template("registrations/check_your_email.html", event=_event_or_404(slug))


def _registration_or_404(token: str) -> Registration:
    registration = find_registration_by_token(token)
    if registration is None:
        abort(404)
    return registration


@blueprint.get("/booking/<token>")
def manage_booking(token: str) -> str:
    registration = _registration_or_404(token)
    return render_template(
        "registrations/manage_booking.html",
        registration=registration,
        event=registration.event,
        token=token,
        statuses=RegistrationStatus,
    )


@blueprint.route("/booking/<token>/cancel", methods=["GET", "POST"])
def cancel_booking(token: str) -> str | Response:
    registration = _registration_or_404(token)
    if (
        registration.status == RegistrationStatus.CANCELLED
        or registration.event.status != EventStatus.PUBLISHED
    ):
        # Nothing to cancel: the manage page says why.
        return redirect(url_for("registrations.manage_booking", token=token))
    form = CancelForm()
    if form.validate_on_submit():
        cancel_registration(registration=registration, now=utc_now())
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
    registration = _registration_or_404(token)
    return render_template(
        "registrations/booking_cancelled.html", registration=registration, event=registration.event
    )
