"""The second factor: authenticator app codes (TOTP, RFC 6238) and recovery codes.

Codes are checked here; who may do what, and the audit entries, are in
webinar/organisers/services/two_factor.py.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import or_, update

from webinar.extensions import db
from webinar.models import Organiser

STEP_SECONDS = 30
DIGITS = 6
#: One time-step either side of now, for a phone whose clock is a little out.
ALLOWED_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
#: No 0/O or 1/I, so a code read from paper is typed right first time.
READABLE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_CODE_LENGTH = 16


def new_secret() -> str:
    """160 random bits, base32, as RFC 4226 recommends."""
    return pyotp.random_base32(length=32)


def provisioning_uri(*, secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=issuer
    )


def grouped(secret: str) -> str:
    """The key in groups of four, easier to copy by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def time_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time-step the code belongs to, within the allowed drift, or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = time_step(now)
    matched = None
    for step in range(current - ALLOWED_DRIFT_STEPS, current + ALLOWED_DRIFT_STEPS + 1):
        # Every candidate is compared, so the time taken does not say which matched.
        if hmac.compare_digest(totp.generate_otp(step), code):
            matched = step
    return matched


def claim_step(organiser: Organiser, step: int) -> bool:
    """Record the step as used, only if it is later than the last: a code works once.

    One conditional UPDATE, so two requests with the same code cannot both succeed.
    """
    result = db.session.execute(
        update(Organiser)
        .where(Organiser.id == organiser.id)
        .where(or_(Organiser.totp_last_step.is_(None), Organiser.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def normalise_recovery_code(code: str) -> str:
    return "".join(character for character in code.upper() if character.isalnum())


def hash_recovery_code(code: str) -> str:
    """SHA-256 is enough: each code is 80 random bits, far beyond guessing offline."""
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(READABLE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[index : index + 4] for index in range(0, len(raw), 4)))
    return codes


def looks_like_recovery_code(code: str) -> bool:
    return len(normalise_recovery_code(code)) == RECOVERY_CODE_LENGTH
