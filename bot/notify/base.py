"""The alert a staff member receives and the interface every notifier implements.

An alert carries only what staff need to act: reference code, triage, reasons, province and a
console link. Never the transcript, names or phone numbers of the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from intake_store.roster import StaffRef

TRIAGE_VI = {
    "urgent": "KHẨN CẤP",
    "report": "tin báo",
    "help": "cần hỗ trợ",
    "question": "câu hỏi",
    "other": "khác",
}


@dataclass(frozen=True)
class StaffAlert:
    intake_id: int
    reference_code: str
    triage: str
    reasons: tuple[str, ...]
    province: str | None
    console_url: str
    escalation_level: int = 0  # 0 first alert, 1 backup on-call, 2 supervisor
    nobody_on_duty: bool = False
    unacknowledged_minutes: float | None = None

    def text(self) -> str:
        lines = [f"🚨 {TRIAGE_VI.get(self.triage, self.triage)} · hồ sơ {self.reference_code}"]
        if self.nobody_on_duty:
            lines.append("Không có cán bộ nào đang trực: chuyển thẳng cho giám sát.")
        elif self.escalation_level > 0 and self.unacknowledged_minutes is not None:
            minutes = round(self.unacknowledged_minutes)
            lines.append(f"Chuyển cấp {self.escalation_level}: chưa ai nhận ca sau {minutes} phút.")
        if self.reasons:
            lines.append("Dấu hiệu: " + ", ".join(self.reasons))
        lines.append(f"Tỉnh/thành: {self.province or 'chưa rõ'}")
        lines.append(f"Mở hồ sơ: {self.console_url}")
        return "\n".join(lines)

    def sms_text(self) -> str:
        # One short SMS; the console holds the rest.
        reasons = f" ({', '.join(self.reasons[:3])})" if self.reasons else ""
        level = f" [cap {self.escalation_level}]" if self.escalation_level else ""
        return (
            f"ChungTay {TRIAGE_VI.get(self.triage, self.triage)}{level}: {self.reference_code}"
            f"{reasons}, {self.province or 'chua ro tinh'}. {self.console_url}"
        )


class DeliveryError(Exception):
    """A channel could not deliver. ``retry_after`` (seconds) is the provider's rate-limit hint."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Notifier(Protocol):
    channel: str  # "telegram" | "sms" | "log"

    def can_reach(self, recipient: StaffRef) -> bool: ...

    async def send(self, recipient: StaffRef, alert: StaffAlert) -> str:
        """Deliver ``alert``; returns the provider's message id. Raises ``DeliveryError``."""
        ...
