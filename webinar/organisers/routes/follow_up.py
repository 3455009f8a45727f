"""After an event: writing and scheduling the follow-up, and reading the feedback."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from webinar.charts import Bar, bar_chart
from webinar.extensions import db
from webinar.feedback.follow_up import follow_up_for
from webinar.lookups import event_or_404
from webinar.models import utc_now
from webinar.organisers.forms.follow_up import FollowUpForm
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.follow_up import (
    FollowUpDetails,
    feedback_results,
    feedback_rows,
    save_and_schedule,
)
from webinar.organisers.spreadsheets import csv_download, to_csv


@blueprint.route("/events/<int:event_id>/follow-up", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def follow_up_page(event_id: int) -> str | Response:
    event = event_or_404(event_id)
    saved = follow_up_for(event)
    form = FollowUpForm(obj=saved, data=None if saved else {"hours_after_end": 1})
    if form.validate_on_submit():
        details = FollowUpDetails(
            attended_text=form.attended_text.data or "",
            absent_text=form.absent_text.data or "",
            recording_url=form.recording_url.data or None,
            resources_url=form.resources_url.data or None,
            hours_after_end=int(form.hours_after_end.data or 0),
        )
        if request.form.get("confirmed") != "yes":
            return render_template(
                "organisers/follow_up/preview_follow_up.html", event=event, details=details
            )
        queued = save_and_schedule(
            event=event, details=details, organiser=current_organiser(), now=utc_now()
        )
        db.session.commit()
        people = "1 person" if queued == 1 else f"{queued} people"
        flash(f"Follow-up scheduled for {people}.", "success")
        return redirect(url_for("organisers.show_event", event_id=event.id))
    return render_template(
        "organisers/follow_up/write_follow_up.html", event=event, form=form, saved=saved
    )


@blueprint.get("/events/<int:event_id>/feedback")
@role_required(*EVENT_ROLES)
def feedback_page(event_id: int) -> str:
    event = event_or_404(event_id)
    results = feedback_results(event)
    return render_template(
        "organisers/follow_up/feedback.html",
        event=event,
        results=results,
        chart=bar_chart(
            [Bar(label, label, count) for label, count in results.usefulness],
            title="How useful people found the event",
        ),
    )


@blueprint.get("/events/<int:event_id>/feedback.csv")
@role_required(*EVENT_ROLES)
def export_feedback_page(event_id: int) -> Response:
    event = event_or_404(event_id)
    rows = feedback_rows(event, organiser=current_organiser())
    content = to_csv(["How useful (1 to 5)", "Learned where to get help", "What to change"], rows)
    db.session.commit()
    return csv_download(content, filename=f"feedback-{event.slug}.csv")
