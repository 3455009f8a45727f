"""Registering for an event."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.events.queries import accepts_registrations, availability
from webinar.extensions import db, limiter
from webinar.lookups import public_event_or_404
from webinar.models import utc_now
from webinar.registrations.booking import (
    RegistrationClosed,
    RegistrationOutcome,
    register_for_event,
)
from webinar.registrations.changes import record_new_booking_choices
from webinar.registrations.forms import RegistrationForm
from webinar.registrations.places import NoPlaceLeft
from webinar.registrations.routes.blueprint import blueprint
from webinar.security import minimum_duration
from webinar.validators import normalise_email


@blueprint.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("10 per minute;60 per hour", methods=["POST"])
def register(slug: str) -> str | Response:
    event = public_event_or_404(slug)
    if not accepts_registrations(event, now=utc_now()):
        return redirect(url_for("events.show_event", slug=slug))
    form = RegistrationForm()
    if not event.accepts_questions:
        del form.question
    if form.validate_on_submit():
        try:
            with minimum_duration(current_app.config["REGISTRATION_MINIMUM_RESPONSE_MS"]):
                outcome = register_for_event(
                    event=event,
                    name=form.name.data or "",
                    email=form.email.data or "",
                    accessibility_needs=form.accessibility_needs.data,
                    question=form.question.data if "question" in form else None,
                    discreet=bool(form.discreet.data),
                    now=utc_now(),
                )
                if outcome != RegistrationOutcome.ALREADY_REGISTERED:
                    record_new_booking_choices(
                        event_id=event.id,
                        email=normalise_email(form.email.data or ""),
                        no_calendar=bool(form.no_calendar.data),
                        no_reminders=bool(form.no_reminders.data),
                    )
                db.session.commit()
        except (RegistrationClosed, NoPlaceLeft):
            # It closed or filled up while the form was open: the event page says which.
            db.session.rollback()
            return redirect(url_for("events.show_event", slug=slug))
        return redirect(url_for("registrations.check_your_email", slug=slug))
    return render_template(
        "registrations/register.html",
        event=event,
        form=form,
        availability=availability(event, now=utc_now()),
    )


@blueprint.get("/events/<slug>/check-your-email")
def check_your_email(slug: str) -> str:
    # The same page whatever happened (docs/safety.md#no-enumeration): only the email
    # says which.
    return render_template("registrations/check_your_email.html", event=public_event_or_404(slug))
