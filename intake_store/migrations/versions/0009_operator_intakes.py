"""Operator intakes: calls, walk-ins and handovers filed in the console; search keys; canned replies

Revision ID: 0009_operator_intakes
Revises: 0008_scale_out
Create Date: 2026-12-05 03:40:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009_operator_intakes"
down_revision = "0008_scale_out"
branch_labels = None
depends_on = None

SEED_REPLIES = (
    (
        "vi",
        "Số khẩn cấp 113 và tổng đài 111",
        "Nếu bạn đang gặp nguy hiểm, hãy gọi ngay 113 (Công an). Tổng đài quốc gia về phòng, "
        'chống mua bán người 111 miễn phí, 24/7, có cả Zalo "111".',
    ),
    (
        "vi",
        "Đang ở nước ngoài",
        "111 và 113 là số trong nước; nếu bạn đang ở nước ngoài, hãy liên hệ Đại sứ quán hoặc "
        "Lãnh sự quán Việt Nam.",
    ),
    (
        "vi",
        "Sau khi báo tin",
        "Tin báo được chuyển đến Công an, Biên phòng, Cảnh sát biển hoặc Ủy ban nhân dân xã. Nếu "
        "chính bạn tự khai báo là nạn nhân, cơ quan có thẩm quyền cùng Công an xác minh trong 3 "
        "ngày. Bạn có thể nhận hoặc từ chối hỗ trợ.",
    ),
    (
        "vi",
        "Cán bộ rời cuộc trò chuyện",
        "Cán bộ đã rời cuộc trò chuyện. Trợ lý Chung Tay tiếp tục trả lời bạn tại đây. Nếu gặp "
        "nguy hiểm, hãy gọi 113; tổng đài 111 miễn phí, 24/7.",
    ),
    (
        "en",
        "Emergency 113 and the 111 hotline",
        "If you are in danger, call 113 (police) now. The national anti-trafficking hotline 111 "
        'is free, 24/7, also on Zalo "111".',
    ),
    (
        "en",
        "If you are abroad",
        "111 and 113 are numbers in Vietnam; if you are abroad, contact the Vietnamese embassy or "
        "consulate.",
    ),
    (
        "en",
        "What happens after a report",
        "Reports go to the police, border guard, coast guard or commune People's Committee. If "
        "you report yourself as a victim, the competent agency and the police verify it within 3 "
        "days. You may accept or refuse support.",
    ),
    (
        "en",
        "A staff member has left",
        "A staff member has left the conversation. The Chung Tay assistant carries on answering "
        "you here. If you are in danger, call 113; the 111 hotline is free, 24/7.",
    ),
)


def upgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.add_column(sa.Column("source", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("filed_by", sa.String(length=64), nullable=True))
        batch.create_index(op.f("ix_intakes_source"), ["source"], unique=False)
    op.create_table(
        "operator_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=True),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=True),
        sa.Column("caller_relation", sa.String(length=24), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("caller_name_enc", sa.Text(), nullable=True),
        sa.Column("caller_phone_enc", sa.Text(), nullable=True),
        sa.Column("notes_enc", sa.Text(), nullable=True),
        sa.Column("draft_enc", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intakes.id"], name=op.f("fk_operator_calls_intake_id_intakes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_calls")),
    )
    with op.batch_alter_table("operator_calls") as batch:
        batch.create_index(op.f("ix_operator_calls_intake_id"), ["intake_id"], unique=False)
        batch.create_index(op.f("ix_operator_calls_operator"), ["operator"], unique=False)
        batch.create_index(op.f("ix_operator_calls_status"), ["status"], unique=False)
    op.create_table(
        "intake_search_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intake_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intakes.id"], name=op.f("fk_intake_search_keys_intake_id_intakes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_search_keys")),
        sa.UniqueConstraint("intake_id", "kind", "key_hash", name="uq_intake_search_keys_entry"),
    )
    with op.batch_alter_table("intake_search_keys") as batch:
        batch.create_index(op.f("ix_intake_search_keys_key_hash"), ["key_hash"], unique=False)
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
    )
    # A few vetted snippets to start with, each resting on content/kb (hotline_111,
    # after_reporting); supervisors edit or add to them in the console.
    canned = sa.table(
        "canned_replies",
        sa.column("language", sa.String),
        sa.column("title", sa.String),
        sa.column("text", sa.Text),
        sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean),
        sa.column("updated_by", sa.String),
        sa.column("updated_at", sa.DateTime),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        canned,
        [
            {
                "language": language,
                "title": title,
                "text": text,
                "position": position,
                "active": True,
                "updated_by": "system:seed",
                "updated_at": now,
            }
            for position, (language, title, text) in enumerate(SEED_REPLIES)
        ],
    )


def downgrade() -> None:
    op.drop_table("canned_replies")
    with op.batch_alter_table("intake_search_keys") as batch:
        batch.drop_index(op.f("ix_intake_search_keys_key_hash"))
    op.drop_table("intake_search_keys")
    with op.batch_alter_table("operator_calls") as batch:
        batch.drop_index(op.f("ix_operator_calls_status"))
        batch.drop_index(op.f("ix_operator_calls_operator"))
        batch.drop_index(op.f("ix_operator_calls_intake_id"))
    op.drop_table("operator_calls")
    with op.batch_alter_table("intakes") as batch:
        batch.drop_index(op.f("ix_intakes_source"))
        batch.drop_column("filed_by")
        batch.drop_column("source")
