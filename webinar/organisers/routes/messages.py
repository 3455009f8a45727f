"""Messaging the people registered for an event: write, preview, then send."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import event_or_404
from webinar.organisers.forms.attendees import AUDIENCES, MessageForm
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.messages import (
    Audience,
    NobodyToMessage,
    recipients,
    send_message,
)


@blueprint.route("/events/<int:event_id>/message", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def message_attendees(event_id: int) -> str | Response:
    event = event_or_404(event_id)
    form = MessageForm()
    if form.validate_on_submit():
        audience = Audience(form.audience.data)
        people = recipients(event, audience)
        if not people:
            form.audience.errors.append("Nobody in this group is registered. Choose another.")
        elif request.form.get("confirmed") != "yes":
            return render_template(
                "organisers/messages/preview_message.html",
                event=event,
                form=form,
                count=len(people),
                discreet_count=sum(1 for person in people if person.discreet),
                audience_label=dict(AUDIENCES)[audience.value],
            )
        else:
            try:
                queued = send_message(
                    event=event,
                    audience=audience,
                    subject=form.subject.data or "",
                    body=form.body.data or "",
                    organiser=current_organiser(),
                )
                db.session.commit()
            except NobodyToMessage:
                form.audience.errors.append("Nobody in this group is registered. Choose another.")
            else:
                people_text = "1 person" if queued == 1 else f"{queued} people"
                flash(f"Your message is being sent to {people_text}.", "success")
                return redirect(url_for("organisers.show_event", event_id=event.id))
    return render_template("organisers/messages/write_message.html", event=event, form=form)
