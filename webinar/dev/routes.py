"""The emails written as .eml files when no MAIL_SERVER is set (development only)."""

from __future__ import annotations

from email import message_from_binary_file, policy
from pathlib import Path

from flask import Blueprint, abort, render_template, send_from_directory
from werkzeug.wrappers import Response

from webinar.notifications.housekeeping import list_eml_files
from webinar.notifications.transport import eml_directory

blueprint = Blueprint("dev", __name__, url_prefix="/dev")


def _summary(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        message = message_from_binary_file(file, policy=policy.default)
    return {
        "name": path.name,
        "to": str(message.get("To", "")),
        "from": str(message.get("From", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
    }


@blueprint.get("/emails")
def list_emails() -> str:
    return render_template("dev/list_emails.html", emails=[_summary(p) for p in list_eml_files()])


@blueprint.get("/emails/<name>")
def download_email(name: str) -> Response:
    if not name.endswith(".eml"):
        abort(404)
    # send_from_directory refuses paths outside the directory.
    return send_from_directory(
        eml_directory().resolve(), name, mimetype="message/rfc822", as_attachment=True
    )
