"""Password hashing with Argon2id, a memory-hard algorithm (OWASP ASVS 6.2, 11.4.2)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def _hasher() -> PasswordHasher:
    # The library's defaults follow RFC 9106's second recommended option.
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-used-only-for-timing")


def spend_verification_time(password: str) -> None:
    """Take as long as a real check, so timing does not show which accounts exist."""
    verify_password(_dummy_hash(), password)
