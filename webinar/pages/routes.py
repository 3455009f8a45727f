"""The pages a public service must have, and help for people at risk."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("pages", __name__)


@blueprint.get("/accessibility-statement")
def accessibility_statement() -> str:
    return render_template("pages/accessibility_statement.html")


@blueprint.get("/privacy-notice")
def privacy_notice() -> str:
    return render_template("pages/privacy_notice.html")


@blueprint.get("/cookies")
def cookies() -> str:
    return render_template("pages/cookies.html")


@blueprint.get("/help-and-support")
def help_and_support() -> str:
    return render_template("pages/help_and_support.html")


@blueprint.get("/staying-safe-online")
def staying_safe_online() -> str:
    return render_template("pages/staying_safe_online.html")
