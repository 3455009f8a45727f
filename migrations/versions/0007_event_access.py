"""Who can get a place at an event: anyone, people with an access code, or by approval

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch copy: copying drops the event table, and with foreign
    # keys on that deletes every booking with it. SQLite takes the CHECK only inside the
    # ADD COLUMN itself, so it is written out there.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE event ADD COLUMN access VARCHAR(20) DEFAULT 'open' NOT NULL "
            "CONSTRAINT ck_event_event_access CHECK (access IN ('open', 'code', 'approval'))"
        )
    else:
        op.add_column(
            "event",
            sa.Column(
                "access",
                sa.Enum(
                    "open",
                    "code",
                    "approval",
                    name="event_access",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=False,
                server_default="open",
            ),
        )
    op.add_column("event", sa.Column("access_code", sa.String(length=40), nullable=True))


def downgrade():
    op.drop_column("event", "access_code")
    op.drop_column("event", "access")
