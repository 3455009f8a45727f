"""Booking codes: 8 characters per booking, unique within its event

Bookings made before this get a code too, so everyone can be checked in the same way.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 16:30:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def upgrade():
    # Plain ADD COLUMN, not a batch copy: copying drops the table, and with foreign keys
    # on that would delete every booking's emails with it.
    op.add_column("registration", sa.Column("booking_code", sa.String(length=8), nullable=True))
    registration = sa.table(
        "registration",
        sa.column("id", sa.Integer),
        sa.column("event_id", sa.Integer),
        sa.column("email", sa.String),
        sa.column("booking_code", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(registration.c.id, registration.c.event_id, registration.c.email)
    ).all()
    used: set[tuple[int, str]] = set()
    for registration_id, event_id, email in rows:
        if email.endswith("@deleted.invalid"):
            continue  # anonymised by the retention purge: nothing to check in
        code = _unused_code(event_id, used)
        connection.execute(
            registration.update()
            .where(registration.c.id == registration_id)
            .values(booking_code=code)
        )
    op.create_index(
        "uq_registration_event_booking_code",
        "registration",
        ["event_id", "booking_code"],
        unique=True,
    )


def _unused_code(event_id: int, used: set[tuple[int, str]]) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        if (event_id, code) not in used:
            used.add((event_id, code))
            return code


def downgrade():
    op.drop_index("uq_registration_event_booking_code", table_name="registration")
    op.drop_column("registration", "booking_code")
