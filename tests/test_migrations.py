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
