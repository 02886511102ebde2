"""Erased web chat pages: the open page's next poll learns its conversation was erased

Revision ID: 0011_erased_pages
Revises: 0010_safe_contact_window
Create Date: 2026-12-05 04:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_erased_pages"
down_revision = "0010_safe_contact_window"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erased_pages",
        sa.Column("marker", sa.String(length=64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_erased_pages_expires_at", "erased_pages", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_erased_pages_expires_at", table_name="erased_pages")
    op.drop_table("erased_pages")
