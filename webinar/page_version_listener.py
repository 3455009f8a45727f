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

#: The NOTIFY channel, followed by the schema: notifications go to every session of the
#: database, and two deployments (or test runs) may share one in different schemas.
CHANNEL = "page_version"

#: Every so often the listener reads the table too: a version lowered by restoring a
#: backup sends no NOTIFY, and a read that fails shows a connection that died silently.
CHECK_SECONDS = 5.0

#: A copy not confirmed by a read for this long is not trusted: a connection whose
#: network stopped answering can block a read for minutes without an error.
TRUSTED_SECONDS = 2 * CHECK_SECONDS + 2

#: How often the thread wakes without a NOTIFY, to see whether it should stop.
WAKE_SECONDS = 0.5

#: After a lost connection, wait this long before listening again (reads the table meanwhile).
RETRY_SECONDS = 1.0

#: What the listening session reads: its schema (for the channel) and the version.
READ_SCHEMA = "SELECT current_schema()"
READ_VERSION = "SELECT version FROM page_version WHERE id = %s"


#: The listening session's application_name, followed by the schema.
APPLICATION_NAME = "page version listener: "


def channel(schema: str) -> str:
    """As the commit names it (page_version._raise_version_on_commit); at most 63
    characters, PostgreSQL's longest name."""
    return f"{CHANNEL}.{schema}"[:63]


class VersionListener:
    """The page version as this process last heard it, or None while it may have missed one."""

    def __init__(self, connect: Callable[[], Any], row_id: int) -> None:
        self._connect = connect
        self._row_id = row_id
        self._version: int | None = None
        self._confirmed_at = 0.0
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
        version = self._version
        if version is None or time.monotonic() - self._confirmed_at > TRUSTED_SECONDS:
            return None
        return version

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
        self._forget()
        if self._thread is not None and wait_seconds:
            self._thread.join(wait_seconds)

    def _forget(self) -> None:
        with self._lock:
            self._version = None

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
            self._stopping.wait(RETRY_SECONDS)
        self._forget()

    def _listen(self) -> None:
        connection = self._connect()
        try:
            self.backend_pid = connection.info.backend_pid
            (schema,) = connection.execute(READ_SCHEMA).fetchone()
            name = channel(schema)
            # Seen in pg_stat_activity: which sessions are listeners, and for which schema.
            connection.execute(f"SET application_name = {_literal(APPLICATION_NAME + schema)}")
            connection.execute(f"LISTEN {_identifier(name)}")
            # After LISTEN, so nothing committed between the read and listening is missed.
            self._checked(connection)
            next_check = time.monotonic() + CHECK_SECONDS
            while not self._stopping.is_set():
                for notice in connection.notifies(timeout=WAKE_SECONDS):
                    self._heard_payload(notice.payload)
                if time.monotonic() >= next_check:
                    self._checked(connection)
                    next_check = time.monotonic() + CHECK_SECONDS
        finally:
            # Unknown from the moment anything fails: requests read the table meanwhile.
            self._forget()
            self.backend_pid = None
            connection.close()

    def _heard_payload(self, payload: str) -> None:
        try:
            version = int(payload)
        except ValueError:
            return  # not ours: anyone can NOTIFY on any channel
        self.heard(version)

    def _checked(self, connection: Any) -> None:
        row = connection.execute(READ_VERSION, (self._row_id,)).fetchone()
        with self._lock:
            if self._stopping.is_set():
                return
            # No row (a database not migrated yet) is unknown, as for a request's own read.
            self._version = None if row is None else int(row[0])
            self._confirmed_at = time.monotonic()


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _call(method: weakref.WeakMethod[Callable[[], None]]) -> None:
    found = method()
    if found is not None:
        found()


def driver_connection(engine: Engine) -> Callable[[], Any]:
    """Connections made as the engine makes them (its URL and connect arguments), but
    outside its pool, so a reconnect never waits for a slot the requests are using, and in
    autocommit: LISTEN needs a session of its own."""

    def connect() -> Any:
        args, kwargs = engine.dialect.create_connect_args(engine.url)
        connection = engine.dialect.connect(*args, **kwargs)
        connection.autocommit = True
        return connection

    return connect
