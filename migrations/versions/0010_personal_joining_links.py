"""Personal joining links: a token hash, version and first use per booking; a window per event

Bookings made before this revision get their joining-link hash the first time an email
or their manage page needs it (webinar.joining.tokens.current_join_token).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch copy: copying the table would cascade-delete bookings.
    op.add_column("registration", sa.Column("join_token_hash", sa.String(64), nullable=True))
    op.add_column(
        "registration",
        sa.Column("join_token_version", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "registration", sa.Column("join_first_used_at_utc", sa.DateTime(), nullable=True)
    )
    op.create_index(
        "uq_registration_join_token_hash", "registration", ["join_token_hash"], unique=True
    )
    op.add_column(
        "event",
        sa.Column("join_opens_minutes_before", sa.Integer(), nullable=False, server_default="15"),
    )


def downgrade():
    op.drop_column("event", "join_opens_minutes_before")
    op.drop_index("uq_registration_join_token_hash", table_name="registration")
    op.drop_column("registration", "join_first_used_at_utc")
    op.drop_column("registration", "join_token_version")
    op.drop_column("registration", "join_token_hash")
