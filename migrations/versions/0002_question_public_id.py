"""Give questions for the panel a random public id for organisers' pages

Sequential ids in form URLs showed the order questions arrived in, which could be
matched to the order of registrations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=32), nullable=True))

    question = sa.table("question", sa.column("id", sa.Integer), sa.column("public_id"))
    connection = op.get_bind()
    for (question_id,) in connection.execute(sa.select(question.c.id)).all():
        connection.execute(
            question.update()
            .where(question.c.id == question_id)
            .values(public_id=secrets.token_urlsafe(12))
        )

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_question_public_id"), ["public_id"])


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_question_public_id"), type_="unique")
        batch_op.drop_column("public_id")
