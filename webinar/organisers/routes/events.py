"""Running events: create, edit, preview, publish, unpublish and cancel."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from webinar.events.queries import availability
from webinar.extensions import db
from webinar.lookups import event_or_404
from webinar.models import EventStatus, utc_now
from webinar.organisers.forms.accounts import ConfirmForm
from webinar.organisers.forms.events import EventForm, form_data_for
from webinar.organisers.queries import attendee_counts, count_active_registrations, list_all_events
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.events import (
    CapacityBelowBookings,
    EventUpdate,
    HasRegistrations,
    cancel_event,
    create_event,
    people_to_email_about_change,
    places_to_offer,
    publish_event,
    unpublish_event,
    update_event,
)
from webinar.registrations.event_changes import EventCancelled


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


@blueprint.get("/events")
@role_required(*EVENT_ROLES)
def list_events() -> str:
    return render_template("organisers/events/list_events.html", events=list_all_events())


@blueprint.route("/events/new", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def create_event_page() -> str | Response:
    form = EventForm(
        data={"discreet_title": "Appointment", "capacity": None, "join_opens_minutes_before": 15},
        now=utc_now(),
    )
    if form.validate_on_submit():
        event = create_event(details=form.details(), organiser=current_organiser())
        db.session.commit()
        flash("Event saved as a draft. Preview it, then publish it.", "success")
        return redirect(url_for("organisers.show_event", event_id=event.id))
    return render_template("organisers/events/edit_event.html", form=form, event=None)


@blueprint.get("/events/<int:event_id>")
@role_required(*EVENT_ROLES)
def show_event(event_id: int) -> str:
    event = event_or_404(event_id)
    return render_template(
        "organisers/events/show_event.html",
        event=event,
        counts=attendee_counts(event),
        form=ConfirmForm(),
        statuses=EventStatus,
    )


@blueprint.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def edit_event(event_id: int) -> str | Response:
    event = event_or_404(event_id)
    if event.status == EventStatus.CANCELLED:
        flash("This event is cancelled and cannot be changed")
        return redirect(url_for("organisers.show_event", event_id=event.id))
    form = EventForm(data=form_data_for(event), now=utc_now(), existing_event=event)
    if form.validate_on_submit():
        details, now = form.details(), utc_now()
        to_email = people_to_email_about_change(event, details)
        to_offer = places_to_offer(event, details, now=now)
        if (to_email or to_offer) and request.form.get("confirmed") != "yes":
            return render_template(
                "organisers/events/confirm_change.html",
                event=event,
                form=form,
                count=to_email,
                to_offer=to_offer,
            )
        try:
            saved = update_event(
                event=event, details=details, organiser=current_organiser(), now=now
            )
            db.session.commit()
        except CapacityBelowBookings:
            form.capacity.errors.append(
                f"Number of places must be at least {event.places_taken}, "
                "the number of people already booked"
            )
        else:
            flash(_saved_message(saved), "success")
            return redirect(url_for("organisers.show_event", event_id=event.id))
    return render_template("organisers/events/edit_event.html", form=form, event=event)


def _saved_message(saved: EventUpdate) -> str:
    message = "Event saved."
    if saved.emailed:
        message += f" {_people(saved.emailed)} will be emailed an updated invite."
    if saved.offered:
        have = "has" if saved.offered == 1 else "have"
        message += (
            f" {_people(saved.offered)} on the waiting list {have} been offered places"
            " and will be emailed."
        )
    return message


@blueprint.get("/events/<int:event_id>/preview")
@role_required(*EVENT_ROLES)
def preview_event(event_id: int) -> str:
    event = event_or_404(event_id)
    return render_template(
        "organisers/events/preview_event.html",
        event=event,
        availability=availability(event, now=utc_now()),
    )


@blueprint.post("/events/<int:event_id>/publish")
@role_required(*EVENT_ROLES)
def publish(event_id: int) -> Response:
    event = event_or_404(event_id)
    if ConfirmForm().validate_on_submit():
        try:
            publish_event(event=event, organiser=current_organiser())
            db.session.commit()
        except EventCancelled:
            flash("A cancelled event cannot be published again")
        else:
            flash("Event published. People can now see it and register.", "success")
    return redirect(url_for("organisers.show_event", event_id=event.id))


@blueprint.post("/events/<int:event_id>/unpublish")
@role_required(*EVENT_ROLES)
def unpublish(event_id: int) -> Response:
    event = event_or_404(event_id)
    if ConfirmForm().validate_on_submit():
        try:
            unpublish_event(event=event, organiser=current_organiser())
            db.session.commit()
        except HasRegistrations:
            flash(
                "People have registered for this event, so it cannot be unpublished. "
                "Cancel it instead."
            )
        except EventCancelled:
            flash("A cancelled event cannot be unpublished")
        else:
            flash("Event unpublished. It is a draft again.", "success")
    return redirect(url_for("organisers.show_event", event_id=event.id))


@blueprint.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def cancel_event_page(event_id: int) -> str | Response:
    event = event_or_404(event_id)
    if event.status == EventStatus.CANCELLED:
        return redirect(url_for("organisers.show_event", event_id=event.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            emailed = cancel_event(event=event, organiser=current_organiser())
            db.session.commit()
        except EventCancelled:
            # Another organiser cancelled it a moment ago: everyone was emailed once.
            db.session.rollback()
        else:
            flash(f"Event cancelled. {_people(emailed)} will be emailed.", "success")
        return redirect(url_for("organisers.show_event", event_id=event.id))
    return render_template(
        "organisers/events/cancel_event.html",
        event=event,
        form=form,
        count=count_active_registrations(event),
    )
