"""The pages a public service must have, and help for people at risk; all cached."""

from __future__ import annotations

from flask import Blueprint, render_template

from webinar.page_cache import cached_page

blueprint = Blueprint("pages", __name__)


@blueprint.get("/accessibility-statement")
@cached_page
def accessibility_statement() -> str:
    return render_template("pages/accessibility_statement.html")


@blueprint.get("/privacy-notice")
@cached_page
def privacy_notice() -> str:
    return render_template("pages/privacy_notice.html")


@blueprint.get("/cookies")
@cached_page
def cookies() -> str:
    return render_template("pages/cookies.html")


@blueprint.get("/help-and-support")
@cached_page
def help_and_support() -> str:
    return render_template("pages/help_and_support.html")


@blueprint.get("/staying-safe-online")
@cached_page
def staying_safe_online() -> str:
    return render_template("pages/staying_safe_online.html")
