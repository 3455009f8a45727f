"""Questions sent in for the panel: select, answer, hide and export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import event_or_404
from webinar.models import Question, QuestionStatus
from webinar.organisers.forms.accounts import ConfirmForm
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services.exports import export_selected_questions
from webinar.organisers.services.questions import list_questions, set_question_status
from webinar.organisers.spreadsheets import csv_download


@blueprint.get("/events/<int:event_id>/questions")
@role_required(*EVENT_ROLES)
def list_questions_page(event_id: int) -> str:
    event = event_or_404(event_id)
    chosen = request.args.get("status", "")
    status = QuestionStatus(chosen) if chosen in QuestionStatus.__members__.values() else None
    return render_template(
        "organisers/questions/list_questions.html",
        event=event,
        questions=list_questions(event, status=status),
        chosen=status,
        statuses=QuestionStatus,
        form=ConfirmForm(),
    )


@blueprint.post("/events/<int:event_id>/questions/<question_id>")
@role_required(*EVENT_ROLES)
def change_question(event_id: int, question_id: str) -> Response:
    event = event_or_404(event_id)
    question = db.session.scalar(select(Question).where(Question.public_id == question_id))
    if question is None or question.event_id != event.id:
        abort(404)
    new_status = request.form.get("status", "")
    if new_status not in QuestionStatus.__members__.values():
        abort(400)
    if ConfirmForm().validate_on_submit():
        set_question_status(
            question=question, status=QuestionStatus(new_status), organiser=current_organiser()
        )
        db.session.commit()
        flash(f"Question marked as {new_status}", "success")
    return redirect(url_for("organisers.list_questions_page", event_id=event.id))


@blueprint.get("/events/<int:event_id>/questions.csv")
@role_required(*EVENT_ROLES)
def export_questions(event_id: int) -> Response:
    event = event_or_404(event_id)
    content = export_selected_questions(event=event, organiser=current_organiser())
    db.session.commit()
    return csv_download(content, filename=f"questions-{event.slug}.csv")
