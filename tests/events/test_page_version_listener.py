"""Each worker keeps the page version in memory, told of every change by PostgreSQL's NOTIFY.

Two apps on one schema stand for two app servers. A cached page then costs no database
round trip, and whenever a worker may have missed a change it reads the table again
(docs/architecture.md#page-version-in-memory).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Executable, create_engine, event, text, update
from sqlalchemy.orm import Session

from tests.conftest import POSTGRES_URL, base_config, postgres_url
from tests.factories import Factory
from tests.pages import check_page, text_of
from webinar import create_app, page_version_listener
from webinar.extensions import db
from webinar.models import Event, PageVersion
from webinar.page_version import current_version, listener, public_pages_changed
from webinar.page_version_listener import VersionListener


def listening_app(schema: str, tmp_path: Path) -> Flask:
    config = base_config(postgres_url(schema), tmp_path)
    config["PAGE_VERSION_LISTEN"] = True
    return create_app(config)


@pytest.fixture
def servers(
    postgres_schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Flask, Flask]]:
    # No periodic read of the table during a test, unless the test asks for one: a change
    # seen in time was heard by NOTIFY. Threads wake often, so they end quickly.
    monkeypatch.setattr(page_version_listener, "CHECK_SECONDS", 60.0)
    monkeypatch.setattr(page_version_listener, "TRUSTED_SECONDS", 2 * 60.0 + 2)
    monkeypatch.setattr(page_version_listener, "WAKE_SECONDS", 0.05)
    monkeypatch.setattr(page_version_listener, "RETRY_SECONDS", 0.1)
    one, other = listening_app(postgres_schema, tmp_path), listening_app(postgres_schema, tmp_path)
    with one.app_context():
        db.create_all()
    yield one, other
    for app in (one, other):
        found = listener(app)
        if found is not None:
            found.stop(wait_seconds=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def the_listener(app: Flask) -> VersionListener:
    found = listener(app)
    assert found is not None
    return found


def eventually(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Wait for a condition: returns as soon as it holds, so a long budget costs nothing
    unless the machine is slow, and then it is what keeps the test from failing falsely."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.002)


def listening(app: Flask) -> VersionListener:
    """The app's listener, started and caught up with the table."""
    with app.app_context():
        current_version()
    found = the_listener(app)
    eventually(lambda: found.current() is not None)
    return found


def change_pages(app: Flask, *statements: Executable) -> int:
    """A change an anonymous visitor sees, committed through `app`; the new version."""
    with app.app_context():
        for statement in statements:
            db.session.execute(statement)
        public_pages_changed()
        db.session.commit()
        version: int = db.session.scalar(text("SELECT version FROM page_version"))
        db.session.commit()
        return version


def test_a_change_through_one_server_reaches_the_others_memory(
    servers: tuple[Flask, Flask],
) -> None:
    one, other = servers
    heard = listening(other)

    version = change_pages(one)

    eventually(lambda: heard.current() == version)


def test_the_server_that_made_the_change_knows_it_at_its_commit(
    servers: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, _ = servers
    heard = listening(one)
    before = heard.current()
    assert before is not None
    # Its own NOTIFY, when it comes back, is not what tells it.
    monkeypatch.setattr(heard, "_heard_payload", lambda payload: None)

    with one.app_context():
        public_pages_changed()
        db.session.commit()

    assert heard.current() == before + 1


def test_a_change_whose_commit_fails_sends_nothing(servers: tuple[Flask, Flask]) -> None:
    one, other = servers
    heard = listening(other)
    before = heard.current()
    assert before is not None

    def fail_after_the_version_was_raised(session: Session) -> None:
        raise RuntimeError("the commit fails after the version's UPDATE and NOTIFY")

    event.listen(Session, "before_commit", fail_after_the_version_was_raised)
    try:
        with one.app_context(), pytest.raises(RuntimeError):
            public_pages_changed()
            db.session.commit()
    finally:
        event.remove(Session, "before_commit", fail_after_the_version_was_raised)
    with one.app_context():
        db.session.rollback()
        assert current_version() == before  # undone...
    time.sleep(0.3)
    assert heard.current() == before  # ...and never announced

    version = change_pages(one)
    assert version == before + 1
    eventually(lambda: heard.current() == version)


def test_a_cached_page_costs_no_database_round_trip_while_listening(
    servers: tuple[Flask, Flask],
) -> None:
    one, _ = servers
    with one.app_context():
        Factory().event(title="Winter safety talk")
        db.session.commit()
    listening(one)
    assert "Winter safety talk" in one.test_client().get("/").text  # rendered and kept

    statements: list[str] = []
    with one.app_context():
        record = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            page = check_page(one.test_client().get("/"))
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    assert "Winter safety talk" in text_of(page)
    assert statements == []


def test_a_page_changed_through_one_server_is_not_served_from_the_others_cache(
    servers: tuple[Flask, Flask],
) -> None:
    one, other = servers
    with one.app_context():
        event_ = Factory().event(title="Before")
        db.session.commit()
        slug, event_id = event_.slug, event_.id
    heard = listening(other)
    assert "Before" in other.test_client().get(f"/events/{slug}").text

    version = change_pages(one, update(Event).where(Event.id == event_id).values(title="After"))
    eventually(lambda: heard.current() == version)

    assert "After" in other.test_client().get(f"/events/{slug}").text


def test_a_lost_listening_connection_falls_back_to_reading_the_table(
    servers: tuple[Flask, Flask],
) -> None:
    one, other = servers
    heard = listening(other)
    pid = heard.backend_pid

    with one.app_context():
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
    eventually(lambda: heard.current() is None or heard.backend_pid != pid)
    version = change_pages(one)

    # Whether or not it is listening again yet, the version it uses is the new one.
    with other.app_context():
        assert current_version() == version
    # And it listens again, on a new connection.
    eventually(lambda: heard.current() == version and heard.backend_pid not in (None, pid))


def test_a_version_lowered_without_notice_is_read_at_the_next_check(
    servers: tuple[Flask, Flask],
) -> None:
    """Restoring a backup can lower the version, and sends no NOTIFY."""
    page_version_listener.CHECK_SECONDS = 0.2  # the fixture's monkeypatch puts it back
    one, other = servers
    heard = listening(other)
    change_pages(one)
    change_pages(one)

    with one.app_context():
        db.session.execute(update(PageVersion).values(version=0))
        db.session.commit()

    eventually(lambda: heard.current() == 0)


def test_someone_elses_notice_on_the_channel_is_ignored(servers: tuple[Flask, Flask]) -> None:
    one, other = servers
    heard = listening(other)
    pid = heard.backend_pid

    with one.app_context():
        # On the very channel this schema's listener listens on.
        channel = "left('page_version.' || current_schema(), 63)"
        db.session.execute(text(f"SELECT pg_notify({channel}, 'not a number')"))
        db.session.commit()
    version = change_pages(one)

    eventually(lambda: heard.current() == version)
    assert heard.backend_pid == pid  # still the same connection: nothing went wrong


def test_with_listening_off_every_request_reads_the_table(
    postgres_schema: str, tmp_path: Path
) -> None:
    app = create_app(base_config(postgres_url(postgres_schema), tmp_path))
    with app.app_context():
        db.create_all()
        assert listener(app) is None
        assert current_version() == 0
        db.session.remove()
        db.engine.dispose()


def test_a_forked_worker_listens_on_a_connection_of_its_own(
    servers: tuple[Flask, Flask],
) -> None:
    """gunicorn forks its workers: each needs its own thread and its own connection."""
    one, _ = servers
    heard = listening(one)
    parents = heard.backend_pid
    read_end, write_end = os.pipe()

    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child process
        status = 1
        try:
            os.close(read_end)
            with one.app_context():
                db.engine.dispose(close=False)  # the parent's pooled connections are not ours
            first = heard.current()
            eventually(lambda: heard.current() is not None)
            os.write(write_end, f"{first} {heard.backend_pid} {heard.current()}".encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    first, childs, version = os.read(read_end, 200).decode().split()
    os.close(read_end)

    assert first == "None"  # nothing known until the child itself has listened and read
    assert childs not in ("None", str(parents))
    assert int(version) == heard.current()


def test_each_schema_has_a_channel_of_its_own(servers: tuple[Flask, Flask], tmp_path: Path) -> None:
    """Two deployments sharing one database in two schemas never hear each other."""
    _, other = servers
    heard = listening(other)
    before = heard.current()
    engine = create_engine(POSTGRES_URL)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    elsewhere = create_app(base_config(postgres_url(schema), tmp_path))
    try:
        with elsewhere.app_context():
            db.create_all()
            db.session.execute(update(PageVersion).values(version=1000))
            db.session.commit()
        change_pages(elsewhere)
        time.sleep(0.3)
        assert heard.current() == before
    finally:
        with elsewhere.app_context():
            db.session.remove()
            db.engine.dispose()
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
