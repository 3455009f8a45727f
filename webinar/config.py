"""Settings: the only module that reads the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

DEV_PUBLIC_SITE_URL = "http://127.0.0.1:5000"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside development


class ConfigurationError(RuntimeError):
    """Start-up refused because a setting is unsafe or missing."""


def default_settings(instance_path: str) -> dict[str, Any]:
    """Safe defaults for development; production overrides them from the environment."""
    database = Path(instance_path) / "webinar.sqlite"
    return {
        "SECRET_KEY": DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        # pool_pre_ping: a connection dropped by the server is replaced, not an error.
        # hide_parameters: a database error logs the SQL, never the values (addresses, names).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "ORGANISATION_NAME": "Bedfordshire Police",
        "SERVICE_NAME": "16 Days of Action events",
        "PUBLIC_SITE_URL": DEV_PUBLIC_SITE_URL,
        "QUICK_EXIT_URL": "https://www.bbc.co.uk/weather",
        "FEEDBACK_URL": "mailto:feedback@example.org",
        "CONTACT_EMAIL": "events@example.org",
        # How many proxies in front of the app set X-Forwarded-For/-Proto (0: none).
        "PROXY_FIX_X_FOR": 0,
        # Mail: no MAIL_SERVER means every message is written as a .eml file to
        # OUTBOX_EML_DIR and listed at /dev/emails (development only).
        "MAIL_SERVER": "",
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "events@example.org",
        "MAIL_SENDER_NAME": "Bedfordshire Police events",
        "DISCREET_SENDER_NAME": "Bookings",
        #: A neutral From address for discreet messages; empty means MAIL_DEFAULT_SENDER.
        "DISCREET_SENDER_EMAIL": "",
        #: Seconds to wait for the SMTP server before treating it as down (retried later).
        "MAIL_TIMEOUT": 30,
        #: Where emails are written as .eml files when MAIL_SERVER is empty (development).
        "OUTBOX_EML_DIR": str(Path(instance_path) / "emails"),
        "REMINDER_HOURS_BEFORE": [24, 1],
        # Reminders per second the senders keep up with: an event's reminders fall due over
        # capacity / this seconds before their time, 0 sends each at its nominal time
        # (docs/architecture.md#reminders-for-large-events).
        "REMINDERS_PER_SECOND": 100,
        "SENT_EMAIL_RETENTION_DAYS": 7,
        "PERSONAL_DATA_RETENTION_DAYS": 30,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Every registration answer takes at least this long, so its timing does not
        # say whether the address was new or already registered (docs/safety.md#response-timing).
        "REGISTRATION_MINIMUM_RESPONSE_MS": 100,
        # Registrations each worker process lets do their database work at once; the others
        # wait their turn (docs/architecture.md#a-few-registrations-at-a-time). 0: no limit.
        "BOOKING_CONCURRENCY": 2,
        "RATELIMIT_HEADERS_ENABLED": False,
        # Public pages are served from each worker's memory for at most this many seconds;
        # any change to what they show ends that at once, on every server (0: no cache;
        # docs/architecture.md#public-page-cache).
        "PAGE_CACHE_SECONDS": 60,
        # On PostgreSQL, each worker keeps the page version in memory, told of each change
        # by NOTIFY (docs/architecture.md#page-version-in-memory). Off: read it per request
        # (needed behind a pooler in transaction mode, such as PgBouncer's, which has no LISTEN).
        "PAGE_VERSION_LISTEN": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        # Organiser sessions end after this many seconds without a request: the signed
        # cookie's age is checked on every request, and Flask's SESSION_REFRESH_EACH_REQUEST
        # (on by default) renews it with each one.
        "PERMANENT_SESSION_LIFETIME": 30 * 60,
        # Seconds: however active, an organiser session ends this long after signing in.
        # Sessions are also recorded in the database, so signing out ends a copied cookie.
        "ORGANISER_SESSION_MAX_AGE": 12 * 60 * 60,
        # Failed organiser sign-ins allowed per network address, then per account
        # (OWASP ASVS 6.3.1 / 2.2.1: anti-automation). Flask-Limiter syntax. The account
        # limit does not apply on a device that has signed in to that account before, so
        # someone who knows a volunteer's address cannot lock them out.
        "ORGANISER_SIGN_IN_LIMIT": "5 per minute;20 per hour",
        "ORGANISER_SIGN_IN_ACCOUNT_LIMIT": "10 per hour",
        # Wrong second-step codes allowed per account: 3 of a million codes are valid at a time.
        "ORGANISER_TWO_FACTOR_LIMIT": "5 per 15 minutes",
        "WTF_CSRF_TIME_LIMIT": 60 * 60,
        "MAX_CONTENT_LENGTH": 64 * 1024,
    }


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Defaults, then FLASK_* environment variables, then explicit overrides (tests)."""
    app.config.from_mapping(default_settings(app.instance_path))
    app.config.from_prefixed_env("FLASK")
    if overrides:
        app.config.from_mapping(overrides)
    _finish_database_settings(app)
    _secure_cookies_outside_development(app, overrides or {})
    _refuse_unsafe_production(app)


def is_development(app: Flask) -> bool:
    """Debug mode (`flask --debug`, FLASK_DEBUG=1) or tests; anything else is production."""
    return bool(app.debug or app.testing)


def _finish_database_settings(app: Flask) -> None:
    uri: str = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri.removeprefix("postgres://")
    if uri.startswith("postgresql://"):
        # psycopg 3 is the driver we install.
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def _secure_cookies_outside_development(app: Flask, overrides: dict[str, Any]) -> None:
    """Cookies only over HTTPS in production, unless the environment says otherwise."""
    if is_development(app):
        return
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if f"FLASK_{key}" not in os.environ and key not in overrides:
            app.config[key] = True
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)


def _refuse_unsafe_production(app: Flask) -> None:
    if is_development(app):
        return
    secret = app.config.get("SECRET_KEY")
    if not secret or secret == DEV_SECRET_KEY or len(str(secret)) < 32:
        raise ConfigurationError(
            "FLASK_SECRET_KEY is missing or is the development default. Set it to a random "
            "value of at least 32 characters, for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    _refuse_default_public_site_url(app)


def _refuse_default_public_site_url(app: Flask) -> None:
    """Emails carry manage and delete links: they must point at the real site."""
    url = urlsplit(str(app.config.get("PUBLIC_SITE_URL") or ""))
    loopback = url.hostname in {"localhost", "127.0.0.1", "::1"}
    if (
        url.geturl() == DEV_PUBLIC_SITE_URL
        or not url.hostname
        or (url.scheme != "https" and not loopback)
    ):
        raise ConfigurationError(
            "FLASK_PUBLIC_SITE_URL must be the site's public https address, for example "
            "https://events.example.org, so links in emails work."
        )
