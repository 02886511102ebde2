"""Conversations linked to an existing intake (a case code typed on another channel)

Revision ID: 0002_routing
Revises: 0001
Create Date: 2026-12-01 18:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_routing"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("linked_intake_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_conversations_linked_intake_id_intakes"),
            "intakes",
            ["linked_intake_id"],
            ["id"],
        )
        batch.create_index(
            op.f("ix_conversations_linked_intake_id"), ["linked_intake_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index(op.f("ix_conversations_linked_intake_id"))
        batch.drop_constraint(op.f("fk_conversations_linked_intake_id_intakes"), type_="foreignkey")
        batch.drop_column("linked_intake_id")
