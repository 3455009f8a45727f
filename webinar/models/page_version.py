"""One counter that says whether the cached public pages are still current."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, event, insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.schema import Table

from webinar.extensions import Base

#: The one row there is.
ROW_ID = 1


class PageVersion(Base):
    """Raised (by an SQL increment, in the changing transaction) whenever what an anonymous
    visitor sees may have changed; cached pages of an older version are not served.

    In the database, not in one server's memory, so every app server sees a change at
    once (docs/architecture.md#public-page-cache); each worker keeps a copy, told of every
    change by NOTIFY (docs/architecture.md#page-version-in-memory).
    """

    __tablename__ = "page_version"
    __table_args__ = (CheckConstraint(f"id = {ROW_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


@event.listens_for(PageVersion.__table__, "after_create")
def _insert_the_row(target: Table, connection: Connection, **kwargs: object) -> None:
    # create_all (tests) makes the row as migration 0013 does.
    connection.execute(insert(target).values(id=ROW_ID, version=0))
