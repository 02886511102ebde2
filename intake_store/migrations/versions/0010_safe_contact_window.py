"""The daily window a person said staff may contact them in (read from their own words)

Revision ID: 0010_safe_contact_window
Revises: 0009_operator_intakes
Create Date: 2026-12-05 03:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_safe_contact_window"
down_revision = "0009_operator_intakes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.add_column(sa.Column("safe_from", sa.Time(), nullable=True))
        batch.add_column(sa.Column("safe_until", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.drop_column("safe_until")
        batch.drop_column("safe_from")
