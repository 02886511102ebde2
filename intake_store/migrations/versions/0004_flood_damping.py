"""Flood damping: the source of a web chat conversation, urgent bursts, blocked senders/addresses

Revision ID: 0004_flood_damping
Revises: 0003_handoff
Create Date: 2026-12-05 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_flood_damping"
down_revision = "0003_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        # Keyed hash of the client address that opened a web chat conversation (never the address).
        batch.add_column(sa.Column("source_hash", sa.String(length=64), nullable=True))
        batch.create_index("ix_conversations_source_hash", ["source_hash"])
    with op.batch_alter_table("intakes") as batch:
        # The earlier urgent case of the same burst whose alert this case's was folded into.
        batch.add_column(sa.Column("burst_leader_id", sa.Integer(), nullable=True))
        batch.create_index("ix_intakes_burst_leader_id", ["burst_leader_id"])
    op.create_table(
        "blocked_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("blocked_by", sa.String(length=64), nullable=False),
        sa.Column("blocked_at", sa.DateTime(), nullable=False),
        sa.Column("unblocked_by", sa.String(length=64), nullable=True),
        sa.Column("unblocked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_blocked_sources"),
    )
    op.create_index("ix_blocked_sources_key_hash", "blocked_sources", ["key_hash"])


def downgrade() -> None:
    op.drop_index("ix_blocked_sources_key_hash", table_name="blocked_sources")
    op.drop_table("blocked_sources")
    with op.batch_alter_table("intakes") as batch:
        batch.drop_index("ix_intakes_burst_leader_id")
        batch.drop_column("burst_leader_id")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_source_hash")
        batch.drop_column("source_hash")
