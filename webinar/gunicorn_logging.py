"""Gunicorn's access log without manage-link tokens (used by gunicorn.conf.py)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from webinar.logs import redact


class RedactingLogger(Logger):
    """Every access-log atom (request line, path, query, Referer, headers) goes through
    redact(): /booking/<token> becomes /booking/[redacted], control characters escaped."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
