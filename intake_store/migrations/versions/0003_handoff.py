"""Human handoff: an operator holds a conversation; a person's request for a human is recorded

Revision ID: 0003_handoff
Revises: 0001
Create Date: 2026-12-01 17:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_handoff"
down_revision = "0002_routing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        # The console user holding the conversation (the bot is silent meanwhile) and since when.
        batch.add_column(sa.Column("held_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("held_at", sa.DateTime(), nullable=True))
        # The person asked for a human ("gặp người thật") and nobody has taken it yet.
        batch.add_column(sa.Column("handoff_requested_at", sa.DateTime(), nullable=True))
        # Released by the operator; the gateway passes the context to Rasa, then clears it.
        batch.add_column(sa.Column("handed_back_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("handed_back_at")
        batch.drop_column("handoff_requested_at")
        batch.drop_column("held_at")
        batch.drop_column("held_by")
