"""A few registrations at a time in each process, the others waiting their turn outside.

Every booking for an event takes the event's row lock in PostgreSQL, and every request
takes its process's interpreter lock after each answer from the database. In a rush,
dozens of registrations at once queue on both, and the queueing itself costs: the more
of them wait inside, the fewer get through each second. So each worker lets
`BOOKING_CONCURRENCY` registrations at a time do their database work, and the others wait
here, holding no connection. Why, and what it was measured to do:
docs/architecture.md#a-few-registrations-at-a-time.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, current_app, g, request

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_GATE = "booking_gate"

#: How long a registration waits for its turn before it goes ahead anyway: the gate only
#: evens out a rush, it must never turn a slow moment into a refused registration.
PATIENCE_SECONDS = 10.0


def register(app: Flask) -> None:
    """One gate per app, so one per gunicorn worker (each worker makes its own app)."""
    size = int(app.config["BOOKING_CONCURRENCY"])
    app.extensions[_GATE] = threading.BoundedSemaphore(size) if size > 0 else None


def one_turn_per_post(view: Callable[P, R]) -> Callable[P, R]:
    """A POST waits for a turn before the view's first query; the turn ends with the view.

    The view ends it sooner with `end_turn()` once it has committed, so that time spent
    on anything but the database (the response-timing padding) holds no turn.
    """

    @functools.wraps(view)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if request.method != "POST":
            return view(*args, **kwargs)
        _take_turn()
        try:
            return view(*args, **kwargs)
        finally:
            end_turn()

    return run


def _take_turn() -> None:
    gate: threading.BoundedSemaphore | None = current_app.extensions.get(_GATE)
    if gate is None:
        return
    if gate.acquire(timeout=PATIENCE_SECONDS):
        g.booking_turn = gate
    else:
        log.warning("A registration went ahead without a turn after %s s", PATIENCE_SECONDS)


def end_turn() -> None:
    """Give this request's turn back, if it holds one (a second call does nothing)."""
    gate: threading.BoundedSemaphore | None = g.pop("booking_turn", None)
    if gate is not None:
        gate.release()
