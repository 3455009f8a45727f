"""/healthz: the process answers. /readyz: it can serve, with a current database schema.

A load balancer sends traffic only to ready servers; an orchestrator restarts a process
whose /healthz stops answering. Neither page names a person or needs a session, and
/healthz touches no database, so a database outage does not get every process restarted.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webinar.extensions import db

blueprint = Blueprint("health", __name__)

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


@cache
def migration_heads() -> frozenset[str]:
    """The newest revision(s) in migrations/versions: what a current database records."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def database_revisions() -> frozenset[str] | None:
    """What alembic_version records; None when the table is missing (not migrated).

    Through the request's own session: a second connection would wait for SQLite's
    write lock whenever another connection holds it.
    """
    connection = db.session.connection()
    if not db.engine.dialect.has_table(connection, "alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version"))
    return frozenset(str(row[0]) for row in rows)


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz() -> ResponseReturnValue:
    try:
        revisions = database_revisions()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("Readiness: the database is unreachable")
        return jsonify(status="not ready", database="unreachable"), 503
    expected = migration_heads()
    if revisions is None:
        migrations = "not applied: run flask db upgrade"
    elif revisions != expected:
        found = ", ".join(sorted(revisions)) or "none"
        migrations = f"at {found}, expected {', '.join(sorted(expected))}: run flask db upgrade"
    else:
        return jsonify(status="ready", database="ok", migrations="current")
    return jsonify(status="not ready", database="ok", migrations=migrations), 503
