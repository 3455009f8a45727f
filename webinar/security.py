"""Response headers, the content security policy, refused input and manage-link tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import random
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from webinar.logs import install as install_log_filter


def new_token() -> str:
    """A random token for a private link (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What we store: the token itself never reaches the database."""
    return hashlib.sha256(token.encode()).hexdigest()


#: The page template whose one inline script (GOV.UK Frontend's "js-enabled" line) the
#: content security policy allows by its hash.
PAGE_TEMPLATE = "govuk_frontend_jinja/template.html"
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL)


def inline_script_hashes(app: Flask) -> list[str]:
    """CSP sources for the inline scripts of the page template, hashed from its own text.

    Hashes, not a nonce: a page is then the same for every visitor and can be cached
    (docs/safety.md#content-security-policy). Read from the template that renders the
    script, so a GOV.UK Frontend upgrade that changes it cannot leave a stale hash.
    """
    loader = app.jinja_env.loader
    assert loader is not None
    source = loader.get_source(app.jinja_env, PAGE_TEMPLATE)[0]
    hashes = []
    for script in INLINE_SCRIPT.findall(source):
        if "{{" in script or "{%" in script:
            # Text that changes per render has no fixed hash: refuse to start.
            raise RuntimeError(f"An inline script in {PAGE_TEMPLATE} is not fixed text")
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return hashes


def _set_headers(response: Response) -> Response:
    # No third parties in the page (docs/safety.md#no-third-parties); GOV.UK Frontend's
    # one inline script is allowed by its hash, nothing else inline.
    scripts = " ".join(["'self'", *current_app.extensions["csp_script_hashes"]])
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src {scripts}; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )
    # same-origin, not no-referrer: Flask-WTF checks the Referer over HTTPS.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # setdefault: the check-in page allows its own camera, to scan booking codes.
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if not request.path.startswith("/static/"):
        # Nothing about a visit should be left in a shared browser's cache.
        response.headers.setdefault("Cache-Control", "no-store")
    elif response.status_code >= 400:
        # A missing file may appear with the next release: never cache its absence.
        response.headers["Cache-Control"] = "no-store"
    return response


#: What our HTML forms send. Flask-WTF would try to read anything else (JSON) as form
#: data and fail, so other bodies are refused before they reach a view.
FORM_MIMETYPES = {"", "application/x-www-form-urlencoded", "multipart/form-data"}


def _refuse_non_form_bodies() -> None:
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype not in FORM_MIMETYPES:
        abort(415)


#: What no text column can hold: PostgreSQL refuses NUL in text, and lone surrogates
#: cannot be encoded as UTF-8. Anything else is the forms' and exports' business.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _refuse_unstorable_input() -> None:
    """A NUL byte in the address or a form is never a real visitor: refuse it up front.

    A 404 when it is in the path (no page has such a name), a 400 in a query or a form,
    instead of a database error deep in a view.
    """
    if UNSTORABLE.search(request.path):
        abort(404)
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if UNSTORABLE.search(key) or UNSTORABLE.search(value):
                abort(400)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that refuses ids no database column can hold (a 404, not a 500)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter


def trust_proxies(app: Flask) -> None:
    """Behind a TLS proxy, take the client address and scheme from its headers.

    Without it every visitor shares the proxy's rate-limit bucket and HSTS is never sent.
    """
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def register(app: Flask) -> None:
    app.before_request(_refuse_non_form_bodies)
    app.before_request(_refuse_unstorable_input)
    app.after_request(_set_headers)
    app.extensions["csp_script_hashes"] = inline_script_hashes(app)
    trust_proxies(app)
    # Flask's "Exception on <path>" and the development server's request lines.
    install_log_filter(app.logger)
    install_log_filter(logging.getLogger("werkzeug"))


def manage_token_for(calendar_uid: str) -> str:
    """The manage-link token for a booking: an HMAC of its random calendar UID.

    Only a hash of it is stored (for look-up), yet any later email can carry the same
    link without keeping the token anywhere: it is recomputed with the secret key.
    Changing FLASK_SECRET_KEY therefore ends every manage link.
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"manage-booking:" + calendar_uid.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@contextmanager
def minimum_duration(milliseconds: int) -> Iterator[None]:
    """Make the block take at least this long (plus up to 10% jitter).

    Pads fast paths to the same floor as slow ones, so a response's timing reveals
    nothing about which path ran.
    """
    started = time.perf_counter()
    yield
    floor = milliseconds / 1000 * (1 + random.random() / 10)  # noqa: S311 - not a secret
    remaining = floor - (time.perf_counter() - started)
    if remaining > 0:
        time.sleep(remaining)
