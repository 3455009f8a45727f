"""Error pages in the site's style: a visitor never sees a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from webinar.extensions import db

TEMPLATES = {
    400: "errors/400.html",
    404: "errors/404.html",
    405: "errors/400.html",
    413: "errors/413.html",
    415: "errors/400.html",
    429: "errors/429.html",
}


def _http_error(error: HTTPException) -> tuple[str, int]:
    # A failed transaction must not break the error page itself (the header reads the
    # signed-in organiser from the database).
    db.session.rollback()
    code = error.code or 500
    if code >= 500:
        return render_template("errors/500.html"), 500
    template = TEMPLATES.get(code, "errors/400.html")
    return render_template(template, error=error), code


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_template("errors/form_expired.html"), 400


def _server_error(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    return render_template("errors/500.html"), 500


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
