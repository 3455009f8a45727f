"""The schema comes from migrations, and they match the models, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from tests.conftest import base_config, postgres_url
from webinar import create_app
from webinar.extensions import db


@pytest.fixture(params=["sqlite", "postgresql"])
def database_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    schema: str = request.getfixturevalue("postgres_schema")
    return postgres_url(schema)


def test_upgrade_builds_the_schema_the_models_describe(database_uri: str, tmp_path: Path) -> None:
    app = create_app(base_config(database_uri, tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        inspector_engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        tables = set(inspect(inspector_engine).get_table_names())
        inspector_engine.dispose()
        assert tables <= {"alembic_version"}
        db.engine.dispose()


def test_questions_asked_before_0002_get_a_random_public_id(
    database_uri: str, tmp_path: Path
) -> None:
    from sqlalchemy import text

    app = create_app(base_config(database_uri, tmp_path))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO event (slug, title, summary, description, format, status,"
                    " starts_at_utc, ends_at_utc, accessibility_information, hosted_by,"
                    " capacity, places_taken, waiting_list_enabled, accepts_questions,"
                    " discreet_title, calendar_sequence, created_at_utc, updated_at_utc,"
                    " cancellations_count) VALUES ('e', 'E', 's', 'd', 'online', 'published',"
                    " '2026-12-02 18:00:00', '2026-12-02 19:00:00', '', 'h', 10, 0, false,"
                    " true, 'Appointment', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00', 0)"
                )
            )
            for words in ("First?", "Second?"):
                connection.execute(
                    text(
                        "INSERT INTO question (event_id, text, status, received_on)"
                        " SELECT id, :words, 'new', '2026-11-28 00:00:00' FROM event"
                    ),
                    {"words": words},
                )

        upgrade()

        with db.engine.connect() as connection:
            ids = [row[0] for row in connection.execute(text("SELECT public_id FROM question"))]
        assert len(ids) == len(set(ids)) == 2
        assert all(len(public_id) >= 16 and not public_id.isdigit() for public_id in ids)
        downgrade(revision="base")
        db.engine.dispose()


def test_after_0008_a_booking_can_be_requested_and_nothing_else_is_lost(
    database_uri: str, tmp_path: Path
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    app = create_app(base_config(database_uri, tmp_path))
    with app.app_context():
        upgrade(revision="0007")
        insert_event = (
            "INSERT INTO event (slug, title, summary, description, format, status,"
            " starts_at_utc, ends_at_utc, accessibility_information, hosted_by, capacity,"
            " places_taken, waiting_list_enabled, accepts_questions, discreet_title,"
            " calendar_sequence, created_at_utc, updated_at_utc) VALUES ('e', 'E', 's', 'd',"
            " 'online', 'published', '2026-12-02 18:00:00', '2026-12-02 19:00:00', '', 'h',"
            " 10, 1, false, false, 'Appointment', 0, '2026-11-01 00:00:00',"
            " '2026-11-01 00:00:00')"
        )
        insert_booking = (
            "INSERT INTO registration (event_id, calendar_uid, name, email, status, discreet,"
            " manage_token_hash, calendar_sequence, created_at_utc, status_changed_at_utc,"
            " added_by_organiser) SELECT id, :uid, 'N', :email, :status, false, :uid, 0,"
            " '2026-11-01 00:00:00', '2026-11-01 00:00:00', false FROM event"
        )
        with db.engine.begin() as connection:
            connection.execute(text(insert_event))
            connection.execute(
                text(insert_booking), {"uid": "a", "email": "a@x.example", "status": "booked"}
            )
            connection.execute(
                text(
                    "INSERT INTO outbox_message (kind, recipient, registration_id, event_id,"
                    " status, attempts, created_at_utc, due_at_utc, payload, message_id)"
                    " SELECT 'booking_confirmed_to_attendee', 'a@x.example', r.id, r.event_id,"
                    " 'due', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00', '{}', '<m@x>'"
                    " FROM registration r"
                )
            )
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(
                text(insert_booking), {"uid": "b", "email": "b@x.example", "status": "requested"}
            )
            statuses = connection.execute(text("SELECT status FROM registration ORDER BY id"))
            assert [row[0] for row in statuses] == ["booked", "requested"]
            outbox = connection.execute(text("SELECT count(*) FROM outbox_message")).scalar()
            assert outbox == 1
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(
                text(insert_booking), {"uid": "c", "email": "c@x.example", "status": "bogus"}
            )
        downgrade(revision="base")
        db.engine.dispose()
