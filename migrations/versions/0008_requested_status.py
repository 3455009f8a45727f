"""A booking can be "requested": waiting for the organisers' approval

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 17:10:00
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD = "status IN ('booked', 'waiting', 'cancelled')"
NEW = "status IN ('booked', 'waiting', 'cancelled', 'requested')"
CONSTRAINT = "ck_registration_registration_status"


def upgrade():
    _replace_check(OLD, NEW)


def downgrade():
    op.execute("UPDATE registration SET status = 'cancelled' WHERE status = 'requested'")
    _replace_check(NEW, OLD)


def _replace_check(old: str, new: str) -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        # op.f: the name is already complete, not one for the naming convention to extend.
        op.drop_constraint(op.f(CONSTRAINT), "registration", type_="check")
        op.create_check_constraint(op.f(CONSTRAINT), "registration", new)
        return
    # SQLite cannot alter a CHECK, and copying the table (batch mode) drops the old one,
    # which with foreign keys on deletes every email queued for a booking. Loosening a
    # CHECK changes nothing stored, so SQLite's documented way for it is used instead:
    # rewrite the table's CREATE statement and bump the schema version
    # (https://www.sqlite.org/lang_altertable.html#otheralter).
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'registration'"
    ).scalar_one()
    if old not in sql:
        raise RuntimeError(f"registration's CHECK is not what this migration expects: {sql}")
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'registration'",
        (sql.replace(old, new),),
    )
    connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")
