"""Log lines that hold no manage-link tokens and cannot be forged with control characters.

A manage link (/booking/<token>) is a bearer credential: anyone holding the token can see
and cancel the booking (docs/safety.md#manage-links). Logs are kept longer and read by
more people than the database, so no token is ever written to them. A path is also
attacker-chosen text: a newline or a terminal escape in it could fake a log line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_BOOKING_TOKEN = re.compile(r"(/booking/)[^/?#\s\"]+")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """The text with manage-link tokens removed and control characters escaped."""
    text = _BOOKING_TOKEN.sub(r"\g<1>" + REDACTED, text)
    return _UNPRINTABLE.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactingFilter(logging.Filter):
    """Applies redact() to a record's message and its string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(value) for value in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        return True


def install(logger: logging.Logger) -> None:
    """Idempotent: the app factory runs once per app, and tests build many apps."""
    if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
        logger.addFilter(RedactingFilter())
