"""Encryption at rest, audited reads, key rotation, erasure and retention."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from intake_store import audit, conversations, intake_views, intakes, messages, privacy, workflow
from intake_store.crypto import FieldCipher, parse_keys
from intake_store.store import Store
from tests.store.conftest import record_message

SECRET_TEXT = "tôi là Nguyễn Thị Hoa, bị giữ ở Sihanoukville"
PHONE = "0912345678"


def _case(store: Store, external_id: str = "m1", sender: str = "84912345678", **kw: object):
    with store.begin() as session:
        msg = record_message(
            session,
            store,
            text=SECRET_TEXT,
            channel="zalo",
            sender=sender,
            external_id=external_id,
            **kw,
        )
        messages.record_outbound(
            session, cipher=store.cipher, conversation_id=msg.conversation_id, text="Gọi 111"
        )
        ref = intakes.open_intake(
            session,
            cipher=store.cipher,
            conversation_id=msg.conversation_id,
            triage="urgent",
            urgent_reasons=["held"],
            source_message_id=msg.message_id,
            language="vi",
            details={"contact_phone": PHONE, "contact_name": "Hoa", "province": "Quảng Ninh"},
        )
    return msg, ref


def _dump(store: Store) -> str:
    """Every row of every table, as a DBA with a raw SELECT would see it."""
    with store.begin() as session:
        tables = [
            "conversations",
            "messages",
            "intakes",
            "outbox",
            "audit_log",
            "alerts",
        ]
        return "\n".join(
            repr(row) for t in tables for row in session.execute(text(f"SELECT * FROM {t}"))
        )


def test_raw_select_shows_no_personal_data(store: Store) -> None:
    _case(store)
    dump = _dump(store)
    for plaintext in ("Nguyễn Thị Hoa", "Sihanoukville", PHONE, "84912345678", "Gọi 111"):
        assert plaintext not in dump
    assert "Quảng Ninh" in dump  # the province is a routing/statistics field, not identifying


def test_transcript_and_reveal_are_audited(store: Store) -> None:
    msg, ref = _case(store)
    with store.begin() as session:
        lines = conversations.transcript(
            session,
            cipher=store.cipher,
            conversation_id=msg.conversation_id,
            actor="console:lan",
            reason="xác minh ca khẩn cấp",
        )
        personal = intake_views.reveal_intake(
            session, cipher=store.cipher, intake_id=ref.id, actor="console:lan", reason="gọi lại"
        )
    assert [(line.direction, line.text) for line in lines] == [
        ("inbound", SECRET_TEXT),
        ("outbound", "Gọi 111"),
    ]
    assert personal["contact_phone"] == PHONE
    with store.begin() as session:
        entries = audit.list_audit(session, actor="console:lan")
    assert [(e.action, e.subject_id, e.reason) for e in entries] == [
        ("reveal_intake", ref.id, "gọi lại"),
        ("read_transcript", msg.conversation_id, "xác minh ca khẩn cấp"),
    ]
    with store.begin() as session, pytest.raises(ValueError):
        conversations.transcript(
            session, cipher=store.cipher, conversation_id=msg.conversation_id, actor="x", reason=""
        )


def test_keys_rotate_without_losing_old_values() -> None:
    old = base64.b64encode(secrets.token_bytes(32)).decode()
    new = base64.b64encode(secrets.token_bytes(32)).decode()
    before = FieldCipher(parse_keys(f"k1:{old}"))
    token = before.encrypt(SECRET_TEXT)
    after = FieldCipher(parse_keys(f"k2:{new},k1:{old}"))
    assert after.decrypt(token) == SECRET_TEXT
    assert after.key_id_of(after.encrypt("x")) == "k2" and before.key_id_of(token) == "k1"
    assert before.encrypt(SECRET_TEXT) != token  # random nonce per value


def test_erasure_removes_personal_data_but_keeps_statistics(store: Store) -> None:
    msg, ref = _case(store)
    with store.begin() as session:
        result = privacy.erase_conversation(
            session,
            conversation_id=msg.conversation_id,
            actor="person",
            reason="xóa dữ liệu của tôi",
        )
    assert (result.messages, result.intakes) == (2, 1)
    with store.begin() as session:
        lines = conversations.transcript(
            session,
            cipher=store.cipher,
            conversation_id=msg.conversation_id,
            actor="console:lan",
            reason="kiểm tra",
        )
        personal = intake_views.reveal_intake(
            session, cipher=store.cipher, intake_id=ref.id, actor="console:lan", reason="kiểm tra"
        )
        view = intake_views.get_intake(session, intake_id=ref.id)
        gone = conversations.conversation_for_sender(session, rasa_sender_id=msg.rasa_sender_id)
    assert [line.text for line in lines] == [None, None]
    assert set(personal.values()) == {None}
    assert view.anonymised and view.triage == "urgent" and view.details["province"] == "Quảng Ninh"
    assert gone is None  # the pseudonym no longer leads to this conversation
    # The same person writing again starts afresh.
    again = _case(store, "m2")[0]
    assert again.conversation_id != msg.conversation_id


def test_retention_erases_only_old_closed_cases(store: Store) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=400)
    old_msg, old_ref = _case(store, "old", sender="a", received_at=long_ago)
    open_msg, _ = _case(store, "open", sender="b", received_at=long_ago)
    new_msg, new_ref = _case(store, "new", sender="c")
    with store.begin() as session:
        for ref in (old_ref, new_ref):
            workflow.change_status(
                session,
                intake_id=ref.id,
                to_status="closed",
                actor="lan",
                reason="đã xong",
                now=long_ago + timedelta(days=1) if ref is old_ref else None,
            )
        result = privacy.run_retention(session, retention_days=365)
    assert (result.conversations_erased, result.intakes_anonymised) == (1, 1)
    with store.begin() as session:

        def texts(conversation_id: int) -> list[str | None]:
            return [
                line.text
                for line in conversations.transcript(
                    session,
                    cipher=store.cipher,
                    conversation_id=conversation_id,
                    actor="test",
                    reason="check",
                )
            ]

        assert texts(old_msg.conversation_id) == [None, None]
        assert texts(open_msg.conversation_id)[0] == SECRET_TEXT  # case still open
        assert texts(new_msg.conversation_id)[0] == SECRET_TEXT  # closed recently
