"""The organisers' pages: the blueprint, its route modules and what every page shares."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from webinar.extensions import login_manager
from webinar.models import OrganiserRole
from webinar.organisers.roles import current_organiser

# Each module adds its views to the blueprint when imported.
from webinar.organisers.routes import (  # noqa: F401
    accounts,
    attendees,
    audit_log,
    check_in,
    dashboard,
    event_access,
    events,
    follow_up,
    form_questions,
    joining,
    messages,
    questions,
    requests,
    sign_in,
    two_factor,
)
from webinar.organisers.routes.blueprint import blueprint

__all__ = ["blueprint"]


@blueprint.record_once
def _configure_login(state: BlueprintSetupState) -> None:
    login_manager.login_view = "organisers.sign_in_page"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"


@blueprint.errorhandler(403)
def _forbidden(error: Exception) -> tuple[str, int]:
    return render_template("organisers/forbidden.html"), 403


@blueprint.app_context_processor
def _navigation() -> dict[str, Any]:
    return {"organiser_navigation": organiser_navigation}


def organiser_navigation() -> list[dict[str, Any]]:
    """Links for the header when an organiser is signed in; none for the public."""
    if not current_user.is_authenticated:
        return []
    role = current_organiser().role
    links: list[tuple[str, str]] = []
    if role != OrganiserRole.CHECK_IN:
        links += [("organisers.home", "Dashboard"), ("organisers.list_events", "Manage events")]
    links.append(("organisers.check_in_events", "Check-in"))
    if role == OrganiserRole.ADMIN:
        links += [("organisers.list_accounts", "Accounts"), ("organisers.audit_log", "Audit log")]
    links += [("organisers.your_account", "Your account"), ("organisers.sign_out", "Sign out")]
    return [
        {"href": url_for(endpoint), "text": text, "active": request.endpoint == endpoint}
        for endpoint, text in links
    ]
