"""The anonymous feedback form: /feedback/<token>."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from webinar.extensions import db
from webinar.feedback.answers import (
    Answers,
    FeedbackOutcome,
    already_answered,
    feedback_event,
    save_answers,
)
from webinar.feedback.forms import FeedbackForm
from webinar.models import utc_now

blueprint = Blueprint("feedback", __name__)


@blueprint.route("/feedback/<token>", methods=["GET", "POST"])
def give_feedback(token: str) -> tuple[str, int] | str | Response:
    if len(token) > 100 or feedback_event(token, now=utc_now()) is None:
        return render_template("feedback/not_available.html"), 404
    if already_answered(token):
        return render_template("feedback/thank_you.html", already=True)
    form = FeedbackForm()
    if form.validate_on_submit():
        answers = Answers(
            usefulness=int(form.usefulness.data or 0),
            learned_where_to_get_help=str(form.learned_where_to_get_help.data),
            what_to_change=form.what_to_change.data or None,
        )
        outcome = save_answers(token, answers, now=utc_now())
        db.session.commit()
        if outcome == FeedbackOutcome.NOT_AVAILABLE:
            return render_template("feedback/not_available.html"), 404
        return redirect(url_for("feedback.thank_you"))
    return render_template("feedback/give_feedback.html", form=form, token=token)


@blueprint.get("/feedback/thank-you")
def thank_you() -> str:
    # No token in this address: the browser history keeps only that someone answered.
    return render_template("feedback/thank_you.html", already=False)
