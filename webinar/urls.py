"""Absolute links on the public site, for emails and calendar files made outside a request."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values: str | int) -> str:
    """An absolute link on PUBLIC_SITE_URL, usable outside a request (emails, feeds)."""
    base = urlsplit(str(current_app.config["PUBLIC_SITE_URL"]))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def site_domain() -> str:
    """The host name used in event-level calendar UIDs."""
    return urlsplit(str(current_app.config["PUBLIC_SITE_URL"])).hostname or "localhost"
