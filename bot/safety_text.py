"""The few fixed sentences the gateway says on its own, when Rasa cannot answer.

111 is the national anti-trafficking hotline (free, 24/7); 113 is police emergency. No other number
is ever given here (docs: /work/shared/domain/facts.md, "Where to get help").
"""

from __future__ import annotations

DELETE_HINT = 'Bạn có thể gõ "xóa" bất cứ lúc nào để xóa cuộc trò chuyện này.'

QUEUED_REPLY = (
    "Tin nhắn của bạn đã được lưu lại an toàn. Hệ thống đang bận nên chưa trả lời ngay được; "
    "chúng tôi sẽ xử lý sớm. Cần hỗ trợ ngay: gọi 111 (Tổng đài quốc gia phòng, chống mua bán "
    "người, miễn phí, 24/7)."
)

URGENT_REPLY = (
    "Bạn không đơn độc. Nếu bạn đang gặp nguy hiểm, hãy gọi ngay 113 (Công an) hoặc 111 "
    "(Tổng đài quốc gia phòng, chống mua bán người, miễn phí, 24/7). Tin nhắn của bạn đã được "
    "chuyển cho nhân viên trực."
)

RATE_LIMITED_REPLY = (
    "Bạn đang gửi tin nhắn quá nhanh, vui lòng đợi một chút rồi gửi lại. "
    "Cần hỗ trợ ngay: gọi 111 (miễn phí, 24/7)."
)

# Refused by the flood limits (not stored, so nobody was told): the numbers to call now.
RATE_LIMITED_URGENT_REPLY = (
    "Nếu bạn đang gặp nguy hiểm, hãy gọi ngay 113 (Công an) hoặc 111 (Tổng đài quốc gia phòng, "
    "chống mua bán người, miễn phí, 24/7). Hệ thống đang quá tải nên chưa nhận được tin nhắn "
    "này; bạn có thể gửi lại sau ít phút."
)

# A source staff blocked: its messages are kept, but the only answer is where to get help.
BLOCKED_REPLY = (
    "Nếu bạn đang gặp nguy hiểm, hãy gọi ngay 113 (Công an) hoặc 111 (Tổng đài quốc gia phòng, "
    "chống mua bán người, miễn phí, 24/7)."
)

UNSUPPORTED_MEDIA_REPLY = (
    "Chúng tôi đã nhận được tệp của bạn. Hãy viết thêm vài dòng để chúng tôi hiểu bạn cần gì. "
    "Cần hỗ trợ ngay: gọi 111 (miễn phí, 24/7)."
)


def fallback_reply(*, urgent: bool, reference: str | None = None, delete_hint: bool = True) -> str:
    text = URGENT_REPLY if urgent else QUEUED_REPLY
    if reference:
        text += f" Mã hồ sơ của bạn: {reference}."  # so the person can quote it when calling
    return f"{text}\n{DELETE_HINT}" if delete_hint else text
