"""Several gateways: per-conversation turn leases, shared retry counts, shared channel tokens

Revision ID: 0008_scale_out
Revises: 0007_case_links
Create Date: 2026-12-05 03:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_scale_out"
down_revision = "0007_case_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("turn_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("turn_until", sa.DateTime(), nullable=True))
    with op.batch_alter_table("messages") as batch:
        batch.add_column(
            sa.Column("retry_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("retry_at", sa.DateTime(), nullable=True))
    op.create_table(
        "service_tokens",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("access_enc", sa.Text(), nullable=True),
        sa.Column("refresh_enc", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("lease_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_service_tokens")),
    )


def downgrade() -> None:
    op.drop_table("service_tokens")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("retry_at")
        batch.drop_column("retry_attempts")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("turn_until")
        batch.drop_column("turn_by")
