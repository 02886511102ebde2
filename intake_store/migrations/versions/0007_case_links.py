"""Case codes: pending links staff confirm, and lookups counted against limits

Revision ID: 0007_case_links
Revises: 0006_console_sessions
Create Date: 2026-12-05 00:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_case_links"
down_revision = "0006_console_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_case_links_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intakes.id"], name=op.f("fk_case_links_intake_id_intakes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_links")),
        sa.UniqueConstraint("intake_id", "conversation_id", name="uq_case_links_pair"),
    )
    with op.batch_alter_table("case_links") as batch:
        batch.create_index(op.f("ix_case_links_conversation_id"), ["conversation_id"], unique=False)
        batch.create_index(op.f("ix_case_links_intake_id"), ["intake_id"], unique=False)
        batch.create_index(op.f("ix_case_links_status"), ["status"], unique=False)
    op.create_table(
        "code_lookups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_lookups")),
    )
    with op.batch_alter_table("code_lookups") as batch:
        batch.create_index(op.f("ix_code_lookups_at"), ["at"], unique=False)
        batch.create_index(
            op.f("ix_code_lookups_conversation_id"), ["conversation_id"], unique=False
        )
    # Links made before this revision were made by typing the code alone, without staff checking:
    # they become pending links, so a stranger linked that way loses the case until confirmed.
    op.execute(
        "INSERT INTO case_links (intake_id, conversation_id, status, requested_at) "
        "SELECT c.linked_intake_id, c.id, 'pending', c.last_message_at FROM conversations c "
        "JOIN intakes i ON i.id = c.linked_intake_id "
        "WHERE c.linked_intake_id IS NOT NULL "
        "AND (i.conversation_id IS NULL OR i.conversation_id <> c.id)"
    )
    op.execute(
        "UPDATE conversations SET linked_intake_id = NULL WHERE linked_intake_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("code_lookups") as batch:
        batch.drop_index(op.f("ix_code_lookups_conversation_id"))
        batch.drop_index(op.f("ix_code_lookups_at"))
    op.drop_table("code_lookups")
    with op.batch_alter_table("case_links") as batch:
        batch.drop_index(op.f("ix_case_links_status"))
        batch.drop_index(op.f("ix_case_links_intake_id"))
        batch.drop_index(op.f("ix_case_links_conversation_id"))
    op.drop_table("case_links")
