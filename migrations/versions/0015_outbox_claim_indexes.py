"""Partial indexes for the sender's claims: due rows in due order, and stuck sending rows

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

DUE = sa.text("status = 'due'")
SENDING = sa.text("status = 'sending'")


def upgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_status_due")
        batch_op.create_index(
            "ix_outbox_message_due",
            ["due_at_utc", "id"],
            unique=False,
            sqlite_where=DUE,
            postgresql_where=DUE,
        )
        batch_op.create_index(
            "ix_outbox_message_sending",
            ["claimed_at_utc"],
            unique=False,
            sqlite_where=SENDING,
            postgresql_where=SENDING,
        )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_sending", sqlite_where=SENDING, postgresql_where=SENDING)
        batch_op.drop_index("ix_outbox_message_due", sqlite_where=DUE, postgresql_where=DUE)
        batch_op.create_index(
            "ix_outbox_message_status_due", ["status", "due_at_utc"], unique=False
        )
