"""Questions on an event's registration form, and the answers people give

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 17:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "text",
                "choice",
                "yes_no",
                name="answer_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("created_at_utc", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_form_question_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_question")),
    )
    op.create_index(op.f("ix_form_question_event_id"), "form_question", ["event_id"])
    op.create_table(
        "form_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["form_question.id"],
            name=op.f("fk_form_answer_question_id_form_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_form_answer_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_answer")),
    )
    op.create_index(op.f("ix_form_answer_question_id"), "form_answer", ["question_id"])
    op.create_index(
        "uq_form_answer_registration_question",
        "form_answer",
        ["registration_id", "question_id"],
        unique=True,
    )


def downgrade():
    op.drop_index("uq_form_answer_registration_question", table_name="form_answer")
    op.drop_index(op.f("ix_form_answer_question_id"), table_name="form_answer")
    op.drop_table("form_answer")
    op.drop_index(op.f("ix_form_question_event_id"), table_name="form_question")
    op.drop_table("form_question")
