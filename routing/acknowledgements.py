"""A staff member's "Nhận xử lý" on a Telegram alert: the case is theirs, escalation stops."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from intake_store import alerts
from intake_store.workflow import acknowledge


def acknowledge_from_chat(
    session_factory: sessionmaker[Session], *, intake_id: int, chat_id: str, now: datetime
) -> str:
    """Acknowledge for the staff member of this Telegram chat; the answer shown to them."""
    with session_factory.begin() as session:
        staff_id = alerts.staff_for_telegram_chat(session, chat_id=chat_id)
        if staff_id is None:
            return "Bạn không có trong danh sách trực."
        try:
            done = acknowledge(
                session,
                intake_id=intake_id,
                actor=f"staff:{staff_id}",
                staff_id=staff_id,
                now=now,
            )
        except LookupError:
            return "Không tìm thấy hồ sơ."
    return "Đã nhận xử lý hồ sơ." if done else "Hồ sơ này đã có người nhận."
