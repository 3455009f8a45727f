"""Organiser sessions recorded on the server

Signing out deletes the session's row, so a copied session cookie stops working; a session
also ends ORGANISER_SESSION_MAX_AGE after signing in, however active.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organiser_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("created_at_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_organiser_session_organiser_id_organiser"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organiser_session")),
    )
    op.create_index(
        op.f("ix_organiser_session_organiser_id"),
        "organiser_session",
        ["organiser_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_organiser_session_created_at_utc"),
        "organiser_session",
        ["created_at_utc"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_organiser_session_created_at_utc"), table_name="organiser_session")
    op.drop_index(op.f("ix_organiser_session_organiser_id"), table_name="organiser_session")
    op.drop_table("organiser_session")
