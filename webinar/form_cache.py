"""Public forms served from the page cache, each with its visitor's own CSRF token.

A registration form, before anyone types into it, is the same page for every anonymous
visitor but for one thing: the CSRF token in its hidden field, which ties the form to the
visitor's session. So the page is kept with a marker where the token was, and each visitor
gets it with a token of their own (and the session cookie that goes with it). The reasons
are in docs/architecture.md#cached-forms; what keeps it safe in docs/safety.md#cached-pages.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ParamSpec

from flask import current_app, g, make_response, request, session
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response as BaseResponse

from webinar.page_cache import (
    PageStore,
    cacheable_request,
    expiry,
    kept_headers,
    kept_or_rendered,
)
from webinar.page_version import current_version

#: Stands in the kept page where the token was: random per process, so no page can
#: contain it by chance or by an organiser typing it into an event's description.
_MARKER = f"csrf-token-{secrets.token_hex(16)}".encode()


@dataclass(frozen=True)
class CachedForm:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    has_token: bool
    expires_at_utc: datetime

    def response(self) -> BaseResponse:
        body = self.body
        if self.has_token:
            body = body.replace(_MARKER, _new_token().encode())
        return current_app.response_class(body, status=200, headers=list(self.headers))


P = ParamSpec("P")


def cached_form(view: Callable[P, Any]) -> Callable[P, Any]:
    """Serve a form's empty page from the cache to anonymous visitors; POSTs go through."""

    @functools.wraps(view)
    def serve(*args: P.args, **kwargs: P.kwargs) -> Any:
        if request.method != "GET" or not cacheable_request():
            return view(*args, **kwargs)
        version = current_version()
        if version is None:
            return view(*args, **kwargs)
        store: PageStore[CachedForm] = current_app.extensions["form_cache"]

        def render() -> BaseResponse:
            # Set by this request only: `g` can outlive one request (Flask's test client).
            g.pop("page_valid_until", None)
            g.pop(_token_field(), None)
            return make_response(view(*args, **kwargs))

        # A fresh page already has this visitor's own token: sent as it is.
        found = kept_or_rendered(store, version, render, _form_from)
        return found if isinstance(found, BaseResponse) else found.response()

    return serve


def _new_token() -> str:
    g.pop(_token_field(), None)
    return str(generate_csrf())


def _token_field() -> str:
    return str(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def _form_from(response: BaseResponse, now: datetime) -> CachedForm | None:
    """The page with a marker for its token; None when anything else in it is personal."""
    token: str | None = g.get(_token_field())
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Set-Cookie" in response.headers
        # Only the CSRF token may be in the session (and Flask-Login's note that nobody
        # signed in afresh): anything else, a flashed message or a sign-in, is personal.
        or set(session) - {_token_field(), "_fresh"}
        or session.get("_fresh", False) is not False
    ):
        return None
    body = response.get_data()
    if token is not None:
        if body.count(token.encode()) != 1:
            return None
        body = body.replace(token.encode(), _MARKER)
    return CachedForm(
        body=body,
        headers=kept_headers(response),
        has_token=token is not None,
        expires_at_utc=expiry(now),
    )
