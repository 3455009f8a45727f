"""Who may use which organiser page. Admins may use every page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
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
            if current_organiser().role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return cast(View, wrapped)

    return decorator


def current_organiser() -> Organiser:
    """The signed-in organiser (only call behind role_required)."""
    organiser = current_user._get_current_object()
    assert isinstance(organiser, Organiser)
    return organiser
