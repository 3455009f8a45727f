"""Column types shared by the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as UTC and always read back as an aware UTC datetime.

    SQLite has no time zone type, so we store naive UTC everywhere and refuse naive
    input: a naive datetime is a bug waiting for the clocks to change.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Store aware datetimes only (convert to UTC first)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant: datetime = value.replace(tzinfo=UTC)
        return instant


def utc_now() -> datetime:
    return datetime.now(UTC)


def enum_column(kind: type[enum.Enum], name: str) -> Enum:
    """A Python enum stored as its values: plain strings with a CHECK, on every database."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )
