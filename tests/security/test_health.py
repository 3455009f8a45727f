"""Health and readiness checks, and headers on a missing static file."""

from __future__ import annotations

from pathlib import Path

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from tests.conftest import base_config, postgres_url
from webinar import create_app
from webinar.extensions import db
from webinar.health.routes import migration_heads

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def test_healthz_answers_without_touching_the_database(tmp_path: Path) -> None:
    # Nothing listens on port 1: any database access would fail.
    config = base_config("postgresql://nobody@127.0.0.1:1/none", tmp_path)
    app = create_app(config)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_says_the_database_is_unreachable(tmp_path: Path) -> None:
    app = create_app(base_config("postgresql://nobody@127.0.0.1:1/none", tmp_path))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "not ready", "database": "unreachable"}


def test_readyz_says_a_schema_made_without_migrations_is_not_ready(app: Flask) -> None:
    """Tests build the schema with create_all, which records no migration."""
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "status": "not ready",
        "database": "ok",
        "migrations": "not applied: run flask db upgrade",
    }


def test_readyz_is_ready_once_every_migration_has_run(
    tmp_path: Path, postgres_schema: str, frozen_time: time_machine.Coordinates
) -> None:
    app = create_app(base_config(postgres_url(postgres_schema), tmp_path))
    with app.app_context():
        upgrade(revision="0003")
        behind = app.test_client().get("/readyz")
        upgrade()
        ready = app.test_client().get("/readyz")
        db.session.remove()
        db.engine.dispose()
    assert behind.status_code == 503
    assert behind.json is not None and behind.json["migrations"].startswith("at 0003, expected")
    assert ready.status_code == 200
    assert ready.json == {"status": "ready", "database": "ok", "migrations": "current"}
    # One head: the newest migration, the one "current" means.
    newest = max(path.name[:4] for path in MIGRATIONS.glob("[0-9]*.py"))
    assert migration_heads() == {newest}


def test_a_missing_static_file_is_not_cached(client: FlaskClient) -> None:
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
