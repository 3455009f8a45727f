"""Devices an account has signed in from: they skip the per-account failure limit.

OWASP's "device cookies" against account lock-out: failed sign-ins from anywhere count
against an account, but a browser that has signed in to that account before carries a
signed cookie naming it, and is only held to the per-address limit. Someone who knows a
volunteer's email address can slow down strangers guessing their password, not the
volunteer.

The cookie names accounts by a keyed hash of the address, never the address itself.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from webinar.validators import normalise_email

COOKIE = "organiser_device"
#: Seconds a device stays known after its last sign-in (180 days).
LIFETIME = 180 * 24 * 60 * 60
#: A shared laptop at an event may be used by a few volunteers.
MOST_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.secret_key), salt="organiser-device")


def _account_tag(email: str) -> str:
    key = str(current_app.secret_key).encode()
    address = normalise_email(email)[:254].encode()
    return hmac.new(key, b"device:" + address, hashlib.sha256).hexdigest()[:24]


def _known_tags() -> list[str]:
    cookie = request.cookies.get(COOKIE, "")
    if not cookie:
        return []
    try:
        tags = _serializer().loads(cookie, max_age=LIFETIME)
    except BadSignature:
        return []
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []


def known_device() -> bool:
    """Has this browser signed in to the account now being tried?"""
    email = str(request.form.get("email", ""))
    return bool(email.strip()) and _account_tag(email) in _known_tags()


def remember_device(response: Response, email: str) -> None:
    tag = _account_tag(email)
    tags = [tag, *(known for known in _known_tags() if known != tag)][:MOST_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(tags),
        max_age=LIFETIME,
        path="/organisers/sign-in",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Strict",
    )
