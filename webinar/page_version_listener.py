"""Each worker process's copy of the page version, kept current by PostgreSQL's NOTIFY.

A cached page is served only under the current page version. Reading it from the
database on every request costs a connection from the pool and a round trip, which under
a surge of registrations (threads busy with the interpreter lock, the pool busy with
bookings) is most of a cached page's time. Instead, the transaction that raises the
version also sends it with NOTIFY, delivered only if it commits, and one thread per worker
process LISTENs and keeps the newest version in memory. The reasons and limits are in
docs/architecture.md#page-version-in-memory.

Whenever this process is not listening (starting, the connection lost, reconnecting) the
copy is unknown and `current()` says None: the caller reads the table as before.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

#: The NOTIFY channel; the payload is the new version.
CHANNEL = "page_version"

#: Every so often the listener reads the table too: a version lowered by restoring a
#: backup sends no NOTIFY, and a connection that died silently shows up as an error here.
CHECK_SECONDS = 5.0

#: How often the thread wakes without a NOTIFY, to see whether it should stop.
WAKE_SECONDS = 0.5

#: After a lost connection, wait this long before listening again (reads the table meanwhile).
RETRY_SECONDS = 1.0


class VersionListener:
    """The page version as this process last heard it, or None while it may have missed one."""

    def __init__(self, connect: Callable[[], Any], read_version: Callable[[Any], int]) -> None:
        self._connect = connect
        self._read_version = read_version
        self._version: int | None = None
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        #: The listening connection's server process, while there is one (for tests).
        self.backend_pid: int | None = None
        # A child forked while the listening thread held the lock would inherit it held.
        forgotten = weakref.WeakMethod(self._forked)
        os.register_at_fork(after_in_child=lambda: _call(forgotten))

    def current(self) -> int | None:
        """The version, with no I/O; None if this process is not (yet) listening."""
        if self._pid != os.getpid():
            self._start()  # first use in this process, or in a worker forked from it
        return self._version

    def heard(self, version: int) -> None:
        """A version this process raised itself (seen at its commit) or was sent.

        Never lowers the copy: a NOTIFY can arrive after a read of the table that already
        saw a later commit. Only the periodic read (`_checked`) may lower it.
        """
        with self._lock:
            if self._version is not None and version > self._version:
                self._version = version

    def stop(self, wait_seconds: float = 0.0) -> None:
        """Stop listening: the thread ends when it next wakes (within WAKE_SECONDS)."""
        self._stopping.set()
        with self._lock:
            self._version = None
        if self._thread is not None and wait_seconds:
            self._thread.join(wait_seconds)

    def _forked(self) -> None:
        """In a forked child: no thread, no connection, nothing known yet."""
        self._lock = threading.Lock()
        self._pid = None
        self._version = None
        self._thread = None
        self.backend_pid = None

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._version = None
        self._thread = threading.Thread(target=self._run, name="page-version-listener", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._listen()
            except Exception:
                log.warning("page version listener lost its connection", exc_info=True)
            with self._lock:
                self._version = None
            self._stopping.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        connection = self._connect()
        self.backend_pid = connection.info.backend_pid
        try:
            connection.execute(f"LISTEN {CHANNEL}")
            # After LISTEN, so nothing committed between the read and listening is missed.
            self._checked(self._read_version(connection))
            next_check = time.monotonic() + CHECK_SECONDS
            while not self._stopping.is_set():
                for notice in connection.notifies(timeout=WAKE_SECONDS):
                    self._heard_payload(notice.payload)
                if time.monotonic() >= next_check and not self._stopping.is_set():
                    self._checked(self._read_version(connection))
                    next_check = time.monotonic() + CHECK_SECONDS
        finally:
            self.backend_pid = None
            connection.close()

    def _heard_payload(self, payload: str) -> None:
        try:
            version = int(payload)
        except ValueError:
            return  # not ours: anyone can NOTIFY on any channel
        self.heard(version)

    def _checked(self, version: int) -> None:
        with self._lock:
            self._version = version


def _call(method: weakref.WeakMethod[Callable[[], None]]) -> None:
    found = method()
    if found is not None:
        found()


def psycopg_connection(engine: Engine) -> Callable[[], Any]:
    """Connections made as the engine makes them (its URL, connect arguments and hooks),
    but outside its pool, in autocommit: LISTEN needs a session of its own."""

    def connect() -> Any:
        pooled = engine.raw_connection()
        connection = pooled.driver_connection
        pooled.detach()  # closed for real when we close it, never handed back to the pool
        if connection is None:
            raise RuntimeError("the pool gave no driver connection")
        connection.rollback()  # the pool's checkout may have begun a transaction
        connection.autocommit = True
        return connection

    return connect
