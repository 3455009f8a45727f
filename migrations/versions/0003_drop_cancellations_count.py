"""Drop event.cancellations_count: written but never read

The attendee list counts cancellations from the bookings themselves; after "delete my
details" nothing about that person is kept, not even a tally.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    # A plain DROP COLUMN (SQLite 3.35 and later), not a batch copy of the table: copying
    # drops the old table, and with foreign keys on that deletes every booking with it.
    op.drop_column("event", "cancellations_count")


def downgrade():
    op.add_column(
        "event",
        sa.Column("cancellations_count", sa.Integer(), nullable=False, server_default="0"),
    )
