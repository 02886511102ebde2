"""The person's own words kept in their case (opening message, free-text answers, later news)

Revision ID: 0012_narrative_entries
Revises: 0011_erased_pages
Create Date: 2026-12-05 22:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_narrative_entries"
down_revision = "0011_erased_pages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "narrative_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("text_enc", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_narrative_entries_intake_id", "narrative_entries", ["intake_id"])


def downgrade() -> None:
    op.drop_index("ix_narrative_entries_intake_id", table_name="narrative_entries")
    op.drop_table("narrative_entries")
