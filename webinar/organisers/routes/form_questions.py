"""Questions on an event's registration form: up to five, hidden once answered."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.lookups import event_or_404
from webinar.models import AnswerKind, Event, FormQuestion
from webinar.organisers.forms.accounts import ConfirmForm
from webinar.organisers.forms.form_questions import AddQuestionForm, ChangeQuestionForm
from webinar.organisers.roles import EVENT_ROLES, current_organiser, role_required
from webinar.organisers.routes.blueprint import blueprint
from webinar.organisers.services import form_questions as services

TOO_MANY = f"The form already shows {services.MAX_SHOWN} questions. Hide one first"


def _question_or_404(event: Event, question_id: int) -> FormQuestion:
    question = db.session.get(FormQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question


@blueprint.route("/events/<int:event_id>/form-questions", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def form_questions_page(event_id: int) -> str | Response:
    event = event_or_404(event_id)
    form = AddQuestionForm()
    if form.validate_on_submit():
        try:
            services.add_form_question(
                event=event,
                text=form.text.data or "",
                kind=AnswerKind(form.kind.data),
                choices=form.choices.data or "",
                required=bool(form.required.data),
                organiser=current_organiser(),
            )
            db.session.commit()
        except services.TooManyQuestions:
            form.text.errors.append(TOO_MANY)
        else:
            flash("Question added", "success")
            return redirect(url_for("organisers.form_questions_page", event_id=event.id))
    questions = services.list_form_questions(event)
    return render_template(
        "organisers/form_questions/list.html",
        event=event,
        questions=questions,
        answers={question.id: services.answer_count(question) for question in questions},
        form=form,
        max_shown=services.MAX_SHOWN,
    )


@blueprint.route("/events/<int:event_id>/form-questions/<int:question_id>", methods=["GET", "POST"])
@role_required(*EVENT_ROLES)
def change_form_question_page(event_id: int, question_id: int) -> str | Response:
    event = event_or_404(event_id)
    question = _question_or_404(event, question_id)
    form = ChangeQuestionForm(
        kind=question.kind,
        data={
            "text": question.text,
            "choices": question.choices,
            "required": question.required,
            "hidden": question.hidden,
        },
    )
    if form.validate_on_submit():
        try:
            services.change_form_question(
                event=event,
                question=question,
                text=form.text.data or "",
                choices=form.choices.data or "",
                required=bool(form.required.data),
                hidden=bool(form.hidden.data),
                organiser=current_organiser(),
            )
            db.session.commit()
        except services.TooManyQuestions:
            form.hidden.errors.append(TOO_MANY)
        else:
            flash("Question saved", "success")
            return redirect(url_for("organisers.form_questions_page", event_id=event.id))
    return render_template(
        "organisers/form_questions/change.html",
        event=event,
        question=question,
        form=form,
        answered=services.answer_count(question),
        remove_form=ConfirmForm(),
    )


@blueprint.post("/events/<int:event_id>/form-questions/<int:question_id>/remove")
@role_required(*EVENT_ROLES)
def remove_form_question_page(event_id: int, question_id: int) -> Response:
    event = event_or_404(event_id)
    question = _question_or_404(event, question_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.remove_form_question(
                event=event, question=question, organiser=current_organiser()
            )
            db.session.commit()
        except services.AlreadyAnswered:
            db.session.rollback()
            flash("People have answered this question, so it can only be hidden")
        else:
            flash("Question removed", "success")
    return redirect(url_for("organisers.form_questions_page", event_id=event.id))
