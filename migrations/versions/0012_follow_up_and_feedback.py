"""Follow-up messages after events, and anonymous feedback

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("attended_text", sa.Text(), nullable=False),
        sa.Column("absent_text", sa.Text(), nullable=False),
        sa.Column("recording_url", sa.String(500), nullable=True),
        sa.Column("resources_url", sa.String(500), nullable=True),
        sa.Column("send_at_utc", sa.DateTime(), nullable=False),
        sa.Column("scheduled_at_utc", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_table(
        "feedback_answer",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("usefulness", sa.Integer(), nullable=False),
        sa.Column("learned_where_to_get_help", sa.String(10), nullable=False),
        sa.Column("what_to_change", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feedback_answer_event_id", "feedback_answer", ["event_id"])
    op.create_table(
        "feedback_used",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )


def downgrade():
    op.drop_table("feedback_used")
    op.drop_index("ix_feedback_answer_event_id", table_name="feedback_answer")
    op.drop_table("feedback_answer")
    op.drop_table("follow_up")
