"""Indexes for events with 100,000 bookings: list order, attendance, registration day

The attendee list's order within a status (which also serves the waiting list's queue and
counts by status) replaces the (event, status, id) index it covers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CAME = "attended_at_utc IS NOT NULL OR join_first_used_at_utc IS NOT NULL"


def upgrade():
    op.create_index(
        "ix_registration_event_status_changed",
        "registration",
        ["event_id", "status", "status_changed_at_utc", "id"],
    )
    op.drop_index("ix_registration_event_status", table_name="registration")
    op.create_index(
        "ix_registration_attendance",
        "registration",
        ["event_id", "status", "attended_at_utc"],
        sqlite_where=sa.text(CAME),
        postgresql_where=sa.text(CAME),
    )
    op.create_index("ix_registration_created_at_utc", "registration", ["created_at_utc"])


def downgrade():
    op.drop_index("ix_registration_created_at_utc", table_name="registration")
    op.drop_index("ix_registration_attendance", table_name="registration")
    op.create_index(
        "ix_registration_event_status", "registration", ["event_id", "status", "id"]
    )
    op.drop_index("ix_registration_event_status_changed", table_name="registration")
