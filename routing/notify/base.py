"""What a staff member receives (an alert, an update) and the interface every notifier implements.

An alert carries only what staff need to act: reference code, triage, reasons, province and a
console link. An update names what changed in coarse terms (with the few non-identifying values
that change what staff do: how many people, whether a child is involved). Never the transcript,
names, places or phone numbers of the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from intake_store.roster import StaffRef
from nlu.normalize import strip_diacritics

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
    # Urgent chats from the same source folded into this alert (intake_store/bursts.py).
    burst: int = 0

    def text(self) -> str:
        lines = [f"🚨 {TRIAGE_VI.get(self.triage, self.triage)} · hồ sơ {self.reference_code}"]
        if self.burst:
            lines.append(
                f"Cùng một nguồn: {self.burst + 1} ca khẩn cấp trong vài phút (có thể là tin "
                "nhắn hàng loạt). Các ca kia đã vào hàng chờ, không báo riêng."
            )
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
        burst = f" +{self.burst} ca cung nguon" if self.burst else ""
        return (
            f"ChungTay {TRIAGE_VI.get(self.triage, self.triage)}{level}: {self.reference_code}"
            f"{reasons}{burst}, {self.province or 'chua ro tinh'}. {self.console_url}"
        )

    @property
    def ack_button(self) -> bool:
        return True

    def voice_text(self) -> str:
        # Read out by text-to-speech: the code letter by letter, nothing about the person.
        level = f" Chuyển cấp {self.escalation_level}." if self.escalation_level else ""
        return (
            f"Chung Tay. Có ca {TRIAGE_VI.get(self.triage, self.triage).lower()}.{level} "
            f"Hồ sơ {spell(self.reference_code)}. "
            "Xin mở Telegram hoặc bảng điều khiển để nhận xử lý."
        )


def spell(reference_code: str) -> str:
    """ "CT-7K3M9Q" -> "C T, 7 K 3 M 9 Q": text-to-speech reads it sign by sign."""
    head, _, tail = reference_code.partition("-")
    return ", ".join(" ".join(part) for part in (head, tail) if part)


# Coarse words for what changed; values are never shown except those in ``_SHOWN``.
UPDATE_LABELS = {
    "message": "tin nhắn mới",
    "conversation": "người báo liên hệ lại qua kênh khác",
    "conversation_claimed": "có người nhắn mã hồ sơ từ cuộc trò chuyện khác, chờ cán bộ xác nhận",
    "urgent_reasons": "dấu hiệu nguy hiểm mới",
    "location_detail": "nơi đang ở",
    "province": "tỉnh/thành",
    "destination_country": "nước đến",
    "people_count": "số người",
    "is_minor": "người dưới 18 tuổi",
    "age_band": "độ tuổi",
    "at_risk": "ai gặp nguy hiểm",
    "category": "hình thức bóc lột",
    "consent_contact": "đồng ý liên hệ",
    "safe_to_contact": "liên hệ an toàn",
    "contact_method": "cách liên hệ",
    "safe_contact_time": "giờ liên hệ an toàn",
    "contact_name": "thông tin liên hệ",
    "contact_phone": "thông tin liên hệ",
    "summary": "câu trả lời",
    "narrative": "lời người dân kể thêm",
    "burst": "ca khẩn cấp khác từ cùng một nguồn",
    "call": "cuộc gọi hoặc tiếp nhận mới do điện thoại viên ghi",
    "return_mode": "phân loại thống kê",
    "discovery": "phân loại thống kê",
    "route": "phân loại thống kê",
}


@dataclass(frozen=True)
class IntakeUpdate:
    """New facts about a case already alerted or taken (``intake_update`` outbox rows)."""

    intake_id: int
    reference_code: str
    triage: str
    fields: tuple[str, ...]
    console_url: str
    acknowledged: bool = False
    province: str | None = None
    people_count: int | None = None
    is_minor: bool | None = None
    escalation_level: int = 0  # updates never escalate
    burst: int = 0  # more urgent chats from the case's source, folded into this notice

    @property
    def ack_button(self) -> bool:
        return not self.acknowledged

    def labels(self) -> list[str]:
        words: list[str] = []
        for name in self.fields:
            if name == "summary" and len(self.fields) > 1:
                continue  # the summary changes with every answer: say what the answer was about
            label = UPDATE_LABELS.get(name, "thông tin khác")
            if label not in words:
                words.append(label)
        return words

    def facts(self) -> list[str]:
        shown: list[str] = []
        if "is_minor" in self.fields and self.is_minor is not None:
            shown.append(
                "CÓ người dưới 18 tuổi" if self.is_minor else "không có người dưới 18 tuổi"
            )
        if "people_count" in self.fields and self.people_count is not None:
            shown.append(f"số người: {self.people_count}")
        if "province" in self.fields and self.province:
            shown.append(f"tỉnh/thành: {self.province}")
        if "burst" in self.fields and self.burst:
            shown.append(f"thêm {self.burst} ca khẩn cấp từ cùng một nguồn (xem hàng chờ)")
        return shown

    def text(self) -> str:
        lines = [
            f"ℹ️ Cập nhật · hồ sơ {self.reference_code} ({TRIAGE_VI.get(self.triage, self.triage)})"
        ]
        lines.append("Có thêm: " + ", ".join(self.labels()))
        if facts := "; ".join(self.facts()):
            lines.append(facts[:1].upper() + facts[1:])
        lines.append(f"Mở hồ sơ: {self.console_url}")
        return "\n".join(lines)

    def sms_text(self) -> str:
        facts = f" ({'; '.join(self.facts())})" if self.facts() else ""
        return strip_diacritics(
            f"ChungTay cập nhật {self.reference_code}: {', '.join(self.labels())}{facts}. "
            f"{self.console_url}"
        )

    def voice_text(self) -> str:
        return (
            f"Chung Tay. Hồ sơ {spell(self.reference_code)} có thông tin mới. "
            "Xin mở bảng điều khiển để xem."
        )


class StaffMessage(Protocol):
    """An alert or an update, as every notifier sends it."""

    @property
    def intake_id(self) -> int: ...
    @property
    def reference_code(self) -> str: ...
    @property
    def triage(self) -> str: ...
    @property
    def console_url(self) -> str: ...
    @property
    def escalation_level(self) -> int: ...
    @property
    def ack_button(self) -> bool: ...
    def text(self) -> str: ...
    def sms_text(self) -> str: ...
    def voice_text(self) -> str: ...


class DeliveryError(Exception):
    """A channel could not deliver. ``retry_after`` (seconds) is the provider's rate-limit hint."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Notifier(Protocol):
    channel: str  # "telegram" | "sms" | "voice" | "log"

    def can_reach(self, recipient: StaffRef) -> bool: ...

    async def send(self, recipient: StaffRef, alert: StaffMessage) -> str:
        """Deliver ``alert``; returns the provider's message id. Raises ``DeliveryError``."""
        ...
