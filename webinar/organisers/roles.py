"""Who may use which organiser page. Admins may use every page.

Admins and organisers (and check-in staff an admin chooses) use no page until they have
set up an authenticator app.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, redirect, url_for
from flask_login import current_user

from webinar.extensions import login_manager
from webinar.models import Organiser, OrganiserRole

View = TypeVar("View", bound=Callable[..., Any])

ALL_ROLES = tuple(OrganiserRole)
EVENT_ROLES = (OrganiserRole.ADMIN, OrganiserRole.ORGANISER)
CHECK_IN_ROLES = (OrganiserRole.ADMIN, OrganiserRole.ORGANISER, OrganiserRole.CHECK_IN)


def role_required(*roles: OrganiserRole) -> Callable[[View], View]:
    """Anonymous visitors go to sign in; a signed-in organiser without the role gets 403."""
    allowed = {*roles, OrganiserRole.ADMIN}

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            organiser = current_organiser()
            if organiser.role not in allowed:
                abort(403)
            if organiser.needs_two_factor and not organiser.has_two_factor:
                # Nothing else, least of all attendee data, until the app is set up.
                return redirect(url_for("organisers.set_up_two_factor"))
            return view(*args, **kwargs)

        return cast(View, wrapped)

    return decorator


def signed_in_required(view: View) -> View:
    """Any signed-in account, second factor or not: for setting the second factor up."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return cast(View, wrapped)


def current_organiser() -> Organiser:
    """The signed-in organiser (only call behind role_required)."""
    organiser = current_user._get_current_object()
    assert isinstance(organiser, Organiser)
    return organiser
