"""A case and the conversations staff linked to it by its code are one person's data: erased
together, by anyone's erasure and by retention; a pending (unconfirmed) link is only dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from intake_store import case_links, privacy, workflow
from intake_store.models import CaseLink, Conversation, Intake, Message
from intake_store.store import Store
from tests.store.conftest import open_chat_case, record_message


def _message(store: Store, sender: str, text: str, channel: str = "sms") -> int:
    with store.begin() as session:
        return record_message(
            session, store, text=text, channel=channel, sender=sender
        ).conversation_id


def _case(store: Store) -> tuple[int, int, str]:
    with store.begin() as session:
        message, ref = open_chat_case(
            session,
            store,
            text="tôi bị giữ ở Sihanoukville",
            channel="zalo",
            sender="84900000001",
            triage="urgent",
            urgent_reasons=["held"],
            details={"contact_name": "Hoa"},
            from_message=False,
        )
    return message.conversation_id, ref.id, ref.reference_code


def _types_code(store: Store, conversation_id: int, code: str) -> None:
    with store.begin() as session:
        case_links.look_up_code(
            session,
            conversation_id=conversation_id,
            reference_code=code,
            per_sender=5,
            overall=100,
            window=timedelta(hours=1),
        )


def _linked(store: Store, code: str, case_id: int, sender: str) -> int:
    """A conversation that typed the code and that staff confirmed as the case's person."""
    conversation_id = _message(store, sender, f"em là người nhắn hôm qua, mã {code}")
    _types_code(store, conversation_id, code)
    with store.begin() as session:
        [link] = case_links.pending_links(session, intake_id=case_id)
        case_links.confirm_link(session, intake_id=case_id, link_id=link.id, actor="lan")
    return conversation_id


def _erased(store: Store, conversation_id: int) -> bool:
    with store.begin() as session:
        conversation = session.get(Conversation, conversation_id)
        texts = session.scalars(
            select(Message.text_enc).where(Message.conversation_id == conversation_id)
        ).all()
    assert conversation is not None
    if conversation.erased_at is None:
        return False
    assert texts and all(t is None for t in texts) and conversation.sender_id_enc is None
    return True


def test_erasing_the_case_erases_its_linked_conversation_and_drops_a_pending_link(
    store: Store,
) -> None:
    own, case_id, code = _case(store)
    linked = _linked(store, code, case_id, "84900000002")
    stranger = _message(store, "84900000003", f"mã {code}")
    _types_code(store, stranger, code)

    with store.begin() as session:  # staff erase the case's (now: the linked) conversation
        privacy.erase_conversation(
            session, conversation_id=linked, actor="lan", reason="người này yêu cầu xóa"
        )

    assert _erased(store, own) and _erased(store, linked)
    assert not _erased(store, stranger)  # never confirmed: not the case's person
    with store.begin() as session:
        case = session.get(Intake, case_id)
        assert case is not None and case.anonymised_at is not None
        assert (
            session.scalar(
                select(func.count())
                .select_from(CaseLink)
                .where(CaseLink.status == case_links.PENDING)
            )
            == 0
        )


def test_the_persons_own_erasure_from_the_first_conversation_takes_the_linked_one(
    store: Store,
) -> None:
    own, case_id, code = _case(store)
    linked = _linked(store, code, case_id, "84900000002")
    with store.begin() as session:
        privacy.erase_conversation(
            session, conversation_id=own, actor="system:assistant", reason="xóa theo yêu cầu"
        )
    assert _erased(store, own) and _erased(store, linked)


def test_retention_erases_the_linked_conversation_with_the_case(store: Store) -> None:
    own, case_id, code = _case(store)
    linked = _linked(store, code, case_id, "84900000002")
    with store.begin() as session:
        workflow.change_status(
            session, intake_id=case_id, to_status="closed", actor="lan", reason="đã hỗ trợ xong"
        )
        # The first conversation went quiet long ago; the linked one is recent.
        session.get(Conversation, own).last_message_at = datetime.now(UTC) - timedelta(days=400)  # type: ignore[union-attr]
        session.get(Intake, case_id).closed_at = datetime.now(UTC) - timedelta(days=400)  # type: ignore[union-attr]
    with store.begin() as session:
        privacy.run_retention(session, retention_days=365)
    assert _erased(store, own) and _erased(store, linked)
