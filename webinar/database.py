"""Engine set-up that differs between SQLite and PostgreSQL, and lost connections."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import DBAPIError

from webinar.extensions import db

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


#: SQLSTATE classes PostgreSQL sends as it ends a connection: 08 (connection exception) and
#: 57P (admin shutdown, crash shutdown, cannot connect now).
LOST_CONNECTION_SQLSTATES = ("08", "57P")


def configure_engine_events(engine: Engine) -> None:
    """Engine hooks: lost connections on PostgreSQL, locking and pragmas on SQLite."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "handle_error", _ended_by_server_is_a_disconnect)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _ended_by_server_is_a_disconnect(context: ExceptionContext) -> None:
    """Treat "terminating connection" errors as lost connections, whatever libpq saw yet.

    The server sends the error and then closes the socket. SQLAlchemy asks psycopg whether
    the connection is broken, and psycopg says so only once libpq has read the close, which
    races with reading the error: a request ended by a restart was then neither retried nor
    its connection discarded (docs/architecture.md#lost-connections).
    """
    sqlstate = getattr(context.original_exception, "sqlstate", None) or ""
    if sqlstate.startswith(LOST_CONNECTION_SQLSTATES):
        context.is_disconnect = True


def _configure_sqlite(engine: Engine) -> None:
    """On SQLite: WAL, a busy timeout, foreign keys, and write transactions that begin at once.

    pysqlite starts transactions lazily, so two writers can both read and then one fails
    with "database is locked". Beginning with BEGIN IMMEDIATE serialises writers instead
    (the SQLAlchemy pysqlite "serializable isolation / savepoints" recipe).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


#: How many times a request runs when its database connection is lost half way.
LOST_CONNECTION_ATTEMPTS = 3


def survives_lost_connection(view: Callable[P, R]) -> Callable[P, R]:
    """Run a view again, on a new connection, if its connection is lost half way.

    A database restart, failover or idle timeout ends connections under running requests.
    Nothing is committed before the view's single commit, so running it again is safe;
    if the commit itself went through and only its answer was lost, the second run finds
    the change made (every change of state is conditional) and does not repeat it.
    Connections lost while idle in the pool are caught before use by `pool_pre_ping`
    (webinar.config).
    """

    @functools.wraps(view)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, LOST_CONNECTION_ATTEMPTS + 1):
            try:
                return view(*args, **kwargs)
            except DBAPIError as error:
                if not error.connection_invalidated or attempt == LOST_CONNECTION_ATTEMPTS:
                    raise
                log.warning("Database connection lost; running the request again")
                db.session.rollback()
        raise AssertionError("unreachable")  # pragma: no cover

    return run
