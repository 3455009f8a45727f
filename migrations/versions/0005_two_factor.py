"""Two-factor sign-in: an authenticator app's key per organiser, and recovery codes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch copy of the table: copying drops the old table, and
    # with foreign keys on that would take the audit log's links with it.
    op.add_column("organiser", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column("organiser", sa.Column("totp_confirmed_at_utc", sa.DateTime(), nullable=True))
    op.add_column("organiser", sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.add_column(
        "organiser",
        sa.Column(
            "two_factor_required", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at_utc", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_recovery_code_organiser_id_organiser"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    op.create_index(
        op.f("ix_recovery_code_organiser_id"), "recovery_code", ["organiser_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_recovery_code_organiser_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    op.drop_column("organiser", "two_factor_required")
    op.drop_column("organiser", "totp_last_step")
    op.drop_column("organiser", "totp_confirmed_at_utc")
    op.drop_column("organiser", "totp_secret")
