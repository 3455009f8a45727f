"""Registering for an event."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.database import survives_lost_connection
from webinar.events.queries import accepts_registrations, availability, next_change_utc
from webinar.extensions import db, limiter
from webinar.form_cache import cached_form
from webinar.lookups import public_event_or_404
from webinar.models import Event, EventAccess, FormQuestion, utc_now
from webinar.page_cache import valid_until
from webinar.registrations.access import access_code_accepted
from webinar.registrations.answers import answers_from, registration_form_for, visible_questions
from webinar.registrations.booking import (
    RegistrationClosed,
    register_for_event,
)
from webinar.registrations.forms import RegistrationForm
from webinar.registrations.gate import end_turn, one_turn_per_post
from webinar.registrations.places import NoPlaceLeft
from webinar.registrations.routes.blueprint import blueprint
from webinar.security import minimum_duration


@blueprint.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("10 per minute;60 per hour", methods=["POST"])
@survives_lost_connection
@one_turn_per_post
@cached_form
def register(slug: str) -> str | Response:
    event = public_event_or_404(slug)
    now = utc_now()
    if not accepts_registrations(event, now=now):
        return redirect(url_for("events.show_event", slug=slug))
    # The empty form is kept for anonymous visitors until registration opens or closes.
    valid_until(next_change_utc([event], now=now))
    questions = visible_questions(event)
    form = _form_for(event, questions)
    if form.validate_on_submit() and access_code_accepted(event, form):
        try:
            with minimum_duration(current_app.config["REGISTRATION_MINIMUM_RESPONSE_MS"]):
                # Commits: the padding (on leaving this block) then holds no database
                # connection or transaction, only this thread (docs/safety.md#response-timing).
                # Nothing may touch the database after it, or a connection is taken again.
                _register(event, questions, form)
                # Nor is the padding spent holding one of the process's turns.
                end_turn()
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


def _register(event: Event, questions: list[FormQuestion], form: RegistrationForm) -> None:
    """Book, join the waiting list or repeat (the same answer for each), and commit."""
    register_for_event(
        event=event,
        name=form.name.data or "",
        email=form.email.data or "",
        accessibility_needs=form.accessibility_needs.data,
        question=form.question.data if "question" in form else None,
        discreet=bool(form.discreet.data),
        now=utc_now(),
        no_calendar=bool(form.no_calendar.data),
        no_reminders=bool(form.no_reminders.data),
        answers=answers_from(form, questions),
    )
    db.session.commit()


def _form_for(event: Event, questions: list[FormQuestion]) -> RegistrationForm:
    """The fields this event asks for: its own questions, panel questions, access code."""
    form = registration_form_for(event, questions)
    if not event.accepts_questions:
        del form.question
    if event.access != EventAccess.CODE:
        del form.access_code
    return form


@blueprint.get("/events/<slug>/check-your-email")
def check_your_email(slug: str) -> str:
    # The same page whatever happened (docs/safety.md#no-enumeration): only the email
    # says which.
    return render_template("registrations/check_your_email.html", event=public_event_or_404(slug))
