"""The attendee list of an event, and what organisers do to bookings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, stream_with_context, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import attendee_or_404, event_or_404
from webinar.models import Event, EventStatus, RegistrationStatus, utc_now
from webinar.organisers.answer_queries import answers_by_registration, questions_of
from webinar.organisers.attendee_cursors import Cursor, read_cursor
from webinar.organisers.attendee_pages import list_attendees
from webinar.organisers.forms.accounts import ConfirmForm
from webinar.organisers.forms.attendees import AddAttendeeForm
from webinar.organisers.queries import AttendeeFilter, attendee_counts, mask_email, page_number
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.attendees import (
    AlreadyRegistered,
    EventNotOpen,
    NoPlaceLeft,
    NotWaiting,
    add_attendee,
    cancel_booking,
    offer_place,
    record_reveal,
)
from webinar.organisers.services.exports import export_attendees
from webinar.organisers.spreadsheets import csv_chunks, csv_download, to_xlsx, xlsx_download

_FILTER_VALUES = {choice.value for choice in AttendeeFilter}


@dataclass(frozen=True)
class ListArguments:
    q: str
    status: AttendeeFilter
    page: int
    #: From the Next and Previous links (webinar/organisers/attendee_cursors.py).
    after: Cursor | None
    before: Cursor | None


def _list_arguments() -> ListArguments:
    status = request.args.get("status", AttendeeFilter.ALL.value)
    return ListArguments(
        q=request.args.get("q", "")[:100],
        status=AttendeeFilter(status) if status in _FILTER_VALUES else AttendeeFilter.ALL,
        page=page_number(request.args.get("page")),
        after=read_cursor(request.args.get("after")),
        before=read_cursor(request.args.get("before")),
    )


@blueprint.route("/events/<int:event_id>/attendees", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def list_attendees_page(event_id: int) -> str:
    """GET shows masked emails; POST (the Reveal button) shows them and is audited."""
    event = event_or_404(event_id)
    arguments = _list_arguments()
    page = list_attendees(
        event,
        search=arguments.q,
        status=arguments.status,
        page=arguments.page,
        after=arguments.after,
        before=arguments.before,
    )
    form = ConfirmForm()
    revealed = request.method == "POST" and form.validate_on_submit()
    if revealed:
        record_reveal(event=event, organiser=current_organiser(), count=len(page.registrations))
        db.session.commit()
    return render_template(
        "organisers/attendees/list_attendees.html",
        event=event,
        counts=attendee_counts(event),
        page=page,
        arguments=arguments,
        filters=AttendeeFilter,
        revealed=revealed,
        mask_email=mask_email,
        statuses=RegistrationStatus,
        form=form,
        form_questions=questions_of(event),
        answers=answers_by_registration(page.registrations),
    )


@blueprint.route(
    "/events/<int:event_id>/attendees/<int:registration_id>/cancel", methods=["GET", "POST"]
)
@role_required(*EVENT_ROLES)
def cancel_attendee(event_id: int, registration_id: int) -> str | Response:
    event = event_or_404(event_id)
    registration = attendee_or_404(event, registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        return redirect(url_for("organisers.list_attendees_page", event_id=event.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        cancel_booking(registration=registration, organiser=current_organiser(), now=utc_now())
        db.session.commit()
        # Flash messages live in the session cookie, which is signed but readable: no names.
        flash("Booking cancelled. They will be emailed.", "success")
        return redirect(url_for("organisers.list_attendees_page", event_id=event.id))
    return render_template(
        "organisers/attendees/cancel_attendee.html",
        event=event,
        registration=registration,
        form=form,
    )


@blueprint.post("/events/<int:event_id>/attendees/<int:registration_id>/offer-place")
@role_required(*EVENT_ROLES)
def offer_place_page(event_id: int, registration_id: int) -> Response:
    event = event_or_404(event_id)
    registration = attendee_or_404(event, registration_id)
    if ConfirmForm().validate_on_submit():
        try:
            offer_place(registration=registration, organiser=current_organiser(), now=utc_now())
            db.session.commit()
        except NoPlaceLeft:
            flash("There are no places left. Add places to the event or cancel a booking first.")
        except NotWaiting:
            flash("This person is not on the waiting list")
        except EventNotOpen:
            flash(f"This event is {_not_open(event)}, so no places can be offered")
        else:
            flash("Place offered. They will be emailed.", "success")
    return redirect(url_for("organisers.list_attendees_page", event_id=event.id))


@blueprint.route("/events/<int:event_id>/attendees/add", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def add_attendee_page(event_id: int) -> str | Response:
    event = event_or_404(event_id)
    form = AddAttendeeForm()
    if form.validate_on_submit():
        try:
            add_attendee(
                event=event,
                name=form.name.data or "",
                email=form.email.data or "",
                accessibility_needs=form.accessibility_needs.data,
                discreet=bool(form.discreet.data),
                organiser=current_organiser(),
                now=utc_now(),
            )
            db.session.commit()
        except AlreadyRegistered:
            form.email.errors.append("This email address is already booked or on the waiting list")
        except NoPlaceLeft:
            form.name.errors.append("There are no places left. Add places to the event first.")
        except EventNotOpen:
            form.name.errors.append(f"This event is {_not_open(event)}, so nobody can be added")
        else:
            flash("Person added. They will be emailed.", "success")
            return redirect(url_for("organisers.list_attendees_page", event_id=event.id))
    return render_template("organisers/attendees/add_attendee.html", event=event, form=form)


def _not_open(event: Event) -> str:
    return "cancelled" if event.status == EventStatus.CANCELLED else "not published yet"


@blueprint.get("/events/<int:event_id>/attendees.csv")
@role_required(*EVENT_ROLES)
def export_attendees_page(event_id: int) -> Response:
    event = event_or_404(event_id)
    export = export_attendees(event=event, organiser=current_organiser())
    filename = f"attendees-{event.slug}.csv"
    db.session.commit()  # the audit entry, before any row leaves
    # Streamed: rows are read and written a few hundred at a time as the download goes.
    chunks = stream_with_context(csv_chunks(export.header, export.rows))
    return csv_download(chunks, filename=filename)


@blueprint.get("/events/<int:event_id>/attendees.xlsx")
@role_required(*EVENT_ROLES)
def export_attendees_xlsx_page(event_id: int) -> Response:
    event = event_or_404(event_id)
    export = export_attendees(event=event, organiser=current_organiser())
    filename = f"attendees-{event.slug}.xlsx"
    db.session.commit()
    workbook = to_xlsx(export.header, export.rows, title="Attendees")
    return xlsx_download(workbook, filename=filename)
