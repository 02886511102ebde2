"""Nothing identifying outlives erasure: channel message ids kept as keyed hashes; erased
conversations remember their Rasa sender id until Rasa's copy is deleted

Revision ID: 0005_erasure_doors
Revises: 0004_flood_damping
Create Date: 2026-12-05 00:45:00
"""

import hashlib
import hmac

import sqlalchemy as sa
from alembic import op

revision = "0005_erasure_doors"
down_revision = "0004_flood_damping"
branch_labels = None
depends_on = None


def _hash_key() -> bytes:
    config = op.get_context().config
    key = config.attributes.get("sender_hash_key") if config is not None else None
    if not key:
        from chungtay.settings import get_settings  # the same settings the CLI runs with

        key = get_settings().sender_hash_key
    if not key:
        raise RuntimeError(
            "CHUNGTAY_SENDER_HASH_KEY is empty: it is needed to hash the stored channel message ids"
        )
    return str(key).encode("utf-8")


def _message_key(key: bytes, channel: str, external_id: str) -> str:
    # Frozen copy of SenderHasher.message_key (intake_store/crypto.py) as of this revision.
    return hmac.new(key, f"message:{channel}:{external_id}".encode(), hashlib.sha256).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("rasa_forget_sender", sa.String(length=80), nullable=True))
        batch.create_index("ix_conversations_rasa_forget_sender", ["rasa_forget_sender"])

    bind = op.get_bind()
    messages = sa.table(
        "messages",
        sa.column("id", sa.Integer),
        sa.column("conversation_id", sa.Integer),
        sa.column("channel", sa.String),
        sa.column("external_id", sa.String),
    )
    conversations = sa.table(
        "conversations", sa.column("id", sa.Integer), sa.column("erased_at", sa.DateTime)
    )
    # Erased conversations keep no message id at all, hashed or not.
    erased = sa.select(conversations.c.id).where(conversations.c.erased_at.is_not(None))
    bind.execute(
        messages.update()
        .where(messages.c.conversation_id.in_(erased), messages.c.external_id.is_not(None))
        .values(external_id=None)
    )
    rows = bind.execute(
        sa.select(messages.c.id, messages.c.channel, messages.c.external_id).where(
            messages.c.external_id.is_not(None)
        )
    ).all()
    if not rows:
        return
    key = _hash_key()
    bind.execute(
        messages.update()
        .where(messages.c.id == sa.bindparam("row_id"))
        .values(external_id=sa.bindparam("hashed")),
        [
            {"row_id": row_id, "hashed": _message_key(key, channel, external_id)}
            for row_id, channel, external_id in rows
        ],
    )


def downgrade() -> None:
    # Hashed message ids cannot be turned back into the channels' ids: they stay hashed.
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_rasa_forget_sender")
        batch.drop_column("rasa_forget_sender")
