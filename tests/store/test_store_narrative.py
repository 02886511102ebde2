"""The person's own words in their case (intake_store/narrative.py): encrypted, appended once per
message, read only inside the audited reveal, kept out of other people's cases, and gone with the
case's erasure and retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from intake_store import intake_views, intakes, messages, narrative, privacy, workflow
from intake_store.models import NarrativeEntry
from intake_store.store import Store

WORDS = "ở thôn Đồng Mỏ có bà Lựu hay rủ các cô gái sang Lào, hứa lương 15 triệu"


def _case(store: Store, sender: str, **kw: object) -> tuple[int, int, int]:
    """(conversation id, message id, intake id) of a tip with the person's words kept."""
    with store.begin() as session:
        msg = messages.record_inbound(
            session,
            cipher=store.cipher,
            hasher=store.hasher,
            channel="webchat",
            sender_id=sender,
            external_id=f"{sender}-1",
            text=WORDS,
            **kw,  # type: ignore[arg-type]
        )
        ref = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=msg.conversation_id,
            triage="report",
            urgent_reasons=[],
            source_message_id=msg.message_id,
            language="vi",
        )
        assert narrative.add_words(
            session,
            cipher=store.cipher,
            intake_id=ref.id,
            text=f"  {WORDS}\n",
            label="Tin nhắn đầu",
            message_id=msg.message_id,
            conversation_id=msg.conversation_id,
        )
    return msg.conversation_id, msg.message_id, ref.id


def _reveal(store: Store, intake_id: int) -> str | None:
    with store.begin() as session:
        return intake_views.reveal_intake(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            actor="console:lan",
            reason="xác minh",
        )["narrative"]


def test_words_are_encrypted_appended_once_per_message_and_revealed_in_order(
    store: Store,
) -> None:
    conversation_id, message_id, intake_id = _case(store, "a")
    with store.begin() as session:
        # The same message again (a redelivered action): not twice.
        again = narrative.add_words(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            text=WORDS,
            label="Tin nhắn đầu",
            message_id=message_id,
        )
        assert again is False
        assert narrative.add_words(
            session,
            cipher=store.cipher,
            intake_id=intake_id,
            text="công ty Hoàng Phát, tầng 2 số 14 phố Trần Phú",
            label="Đã thấy gì",
            conversation_id=conversation_id,
        )
        dump = "\n".join(
            repr(row) for row in session.execute(text("SELECT * FROM narrative_entries"))
        )
    assert "Lựu" not in dump and "Hoàng Phát" not in dump and "Đã thấy gì" in dump

    assert _reveal(store, intake_id) == (
        f"Tin nhắn đầu: {WORDS}\nĐã thấy gì: công ty Hoàng Phát, tầng 2 số 14 phố Trần Phú"
    )
    with store.begin() as session:
        assert intake_views.case_summary(session, intake_id=intake_id).has_personal_data


def test_words_never_go_into_another_conversations_case(store: Store) -> None:
    _, _, theirs = _case(store, "a")
    mine, _, _ = _case(store, "b")
    with store.begin() as session, pytest.raises(intakes.NotTheConversationsIntake):
        narrative.add_words(
            session,
            cipher=store.cipher,
            intake_id=theirs,
            text="bà Lựu",
            label="Bổ sung sau",
            conversation_id=mine,
        )


def test_erasure_and_retention_take_the_words_and_nothing_is_kept_after(store: Store) -> None:
    conversation_id, _, intake_id = _case(store, "a")
    long_ago = datetime.now(UTC) - timedelta(days=400)
    _, _, old_id = _case(store, "b", received_at=long_ago)
    with store.begin() as session:
        privacy.erase_conversation(
            session, conversation_id=conversation_id, actor="system:assistant", reason="xóa"
        )
        workflow.change_status(
            session,
            intake_id=old_id,
            to_status="closed",
            actor="lan",
            reason="đã xong",
            now=long_ago + timedelta(days=1),
        )
        privacy.run_retention(session, retention_days=365)
        assert session.scalar(select(func.count()).select_from(NarrativeEntry)) == 0
        # Erased: what the person writes afterwards is not kept in it again.
        assert not narrative.add_words(
            session, cipher=store.cipher, intake_id=intake_id, text="bà Lựu", label="Bổ sung sau"
        )
    assert _reveal(store, intake_id) is None and _reveal(store, old_id) is None
