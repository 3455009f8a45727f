"""Attendee choices: no calendar entry, no reminders

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch copy: copying the table would cascade-delete bookings.
    for name in ("no_calendar", "no_reminders"):
        op.add_column(
            "registration",
            sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()),
        )


def downgrade():
    op.drop_column("registration", "no_reminders")
    op.drop_column("registration", "no_calendar")
