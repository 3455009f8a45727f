"""The page version: raised by every change an anonymous visitor could see, read by the cache.

The design and its reasons are in docs/architecture.md#public-page-cache and
#page-version-in-memory.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context
from sqlalchemy import String, cast, event, exists, func, select, text, update
from sqlalchemy.orm import Session, SessionTransaction

from webinar.extensions import db
from webinar.models import Event, PageVersion
from webinar.models.page_version import ROW_ID
from webinar.page_version_listener import CHANNEL, VersionListener, driver_connection

_EVERY_PAGE = "page_version.every_page"
_EVENTS_NEAR_FULL = "page_version.events_near_full"
_RAISED_TO = "page_version.raised_to"
_LISTENER = "page_version_listener"


def public_pages_changed() -> None:
    """Something an anonymous visitor sees has changed: counted when this transaction
    commits (see _raise_version_on_commit)."""
    db.session.info[_EVERY_PAGE] = True


def places_changed(event_id: int) -> None:
    """A place was taken or given back: the pages change only if the event filled or had
    been full (the pages never say how many places are left, docs/safety.md#no-enumeration).
    """
    db.session.info.setdefault(_EVENTS_NEAR_FULL, set()).add(event_id)


def _raise_version_on_commit(session: Session) -> None:
    """Raise the version as the last statement of the transaction that made the change.

    Last, because the version row is one row for the whole site: taken early, an event
    cancelled for 100,000 people would hold it while every email is queued, and every
    booking that fills any event would wait behind it
    (docs/architecture.md#public-page-cache). In the same transaction, so a page is never
    newer-keyed than its data; on PostgreSQL with a NOTIFY of the new version, which
    PostgreSQL delivers to every listening server only if this transaction commits.
    """
    if session.in_nested_transaction():
        return  # a savepoint: the transaction's own commit comes later
    every_page = session.info.pop(_EVERY_PAGE, False)
    event_ids: set[int] = session.info.pop(_EVENTS_NEAR_FULL, set())
    if not every_page and not event_ids:
        return
    statement = (
        update(PageVersion)
        .where(PageVersion.id == ROW_ID)
        .values(version=PageVersion.version + 1)
        .execution_options(synchronize_session=False)
    )
    if not every_page:
        # Raised one booking early (one place left), which is harmless; a surge of
        # bookings that leaves places free never empties the cache.
        statement = statement.where(
            exists().where(
                Event.id.in_(sorted(event_ids)), Event.places_taken >= Event.capacity - 1
            )
        )
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        session.execute(statement)
        return
    raised = statement.returning(PageVersion.version).cte("raised")
    # The channel names the schema: see page_version_listener.CHANNEL.
    name = func.left(func.concat(f"{CHANNEL}.", func.current_schema()), 63)
    notify = select(raised.c.version, func.pg_notify(name, cast(raised.c.version, String)))
    version = session.execute(notify).scalar()
    if version is not None:
        session.info[_RAISED_TO] = version


def _tell_this_process(session: Session) -> None:
    """This process knows its own commit at once, without waiting for its NOTIFY."""
    version = session.info.pop(_RAISED_TO, None)
    if version is not None and has_app_context():
        found = listener(current_app)
        if found is not None:
            found.heard(version)


def _forget_on_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is not None:
        return  # a savepoint rolled back: what the transaction did before it still stands
    session.info.pop(_EVERY_PAGE, None)
    session.info.pop(_EVENTS_NEAR_FULL, None)
    session.info.pop(_RAISED_TO, None)


#: Plain SQL: read on every cacheable request, so it skips building an ORM statement.
_READ_VERSION = text("SELECT version FROM page_version WHERE id = :id")


def current_version() -> int | None:
    """The version now, so a change through any server is seen.

    From this process's listener when it is listening (no I/O); otherwise one primary-key
    read, made before the view reads anything, so a page is never newer-keyed than its
    data. On PostgreSQL in autocommit, on a connection of its own: no BEGIN and no ROLLBACK
    (docs/benchmarks.md#public-page-cache); the view's own reads, on a miss, come later and
    so see at least this version's changes. SQLite has no network to save, and its
    transactions begin IMMEDIATE: the view's session reads it there.
    """
    found = listener(current_app)
    if found is not None:
        known = found.current()
        if known is not None:
            return known
    if db.engine.dialect.name == "sqlite":
        version: int | None = db.session.scalar(_READ_VERSION, {"id": ROW_ID})
        return version
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        version = connection.scalar(_READ_VERSION, {"id": ROW_ID})
        return version


def register(app: Flask) -> None:
    if not event.contains(Session, "before_commit", _raise_version_on_commit):
        event.listen(Session, "before_commit", _raise_version_on_commit)
        event.listen(Session, "after_commit", _tell_this_process)
        event.listen(Session, "after_soft_rollback", _forget_on_rollback)
    if app.config["PAGE_VERSION_LISTEN"] and app.config["PAGE_CACHE_SECONDS"] > 0:
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                connect = driver_connection(db.engine)
                app.extensions[_LISTENER] = VersionListener(connect, ROW_ID)


def listener(app: Flask) -> VersionListener | None:
    found: VersionListener | None = app.extensions.get(_LISTENER)
    return found
