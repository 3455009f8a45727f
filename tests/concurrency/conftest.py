"""An app on PostgreSQL whose connections can be ended from outside, as a restart does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL, base_config, postgres_url
from webinar import create_app
from webinar.extensions import db


@pytest.fixture
def named_app(
    tmp_path: Path, postgres_schema: str, frozen_time: time_machine.Coordinates
) -> Iterator[Flask]:
    """The app on PostgreSQL with the default engine options; its connections are named."""
    url = f"{postgres_url(postgres_schema)}&application_name={postgres_schema}"
    app = create_app(base_config(url, tmp_path))
    app.config["CONNECTION_NAME"] = postgres_schema
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def end_connections(app: Flask) -> int:
    """End every connection of this app's, from outside, as a restarting server does."""
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": app.config["CONNECTION_NAME"]},
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)
