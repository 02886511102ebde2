"""Interface text: Vietnamese by default, English on request (a `lang` cookie)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from console import labels
from console.filing_text import FILING_TEXT

LANGUAGES = ("vi", "en")
LANG_COOKIE = "chungtay_lang"

# key: (Vietnamese, English)
TEXT: dict[str, tuple[str, str]] = {
    "app": ("Chung Tay — Bàn điều phối", "Chung Tay — Operator console"),
    "login": ("Đăng nhập", "Sign in"),
    "logout": ("Đăng xuất", "Sign out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "locked": (
        "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 15 phút.",
        "Too many failed sign-ins. Try again in 15 minutes.",
    ),
    "forbidden": ("Bạn không có quyền thực hiện thao tác này.", "You may not do this."),
    "not_found": ("Không tìm thấy.", "Not found."),
    "queue": ("Hàng chờ", "Queue"),
    "notifications": ("Thông báo cán bộ", "Staff alerts"),
    "roster": ("Lịch trực", "Roster"),
    "statistics": ("Thống kê", "Statistics"),
    "audit": ("Nhật ký truy cập", "Audit log"),
    "users": ("Tài khoản", "Users"),
    "triage": ("Mức độ", "Triage"),
    "reasons": ("Dấu hiệu khẩn cấp", "Urgency reasons"),
    "channel": ("Kênh", "Channel"),
    "language": ("Ngôn ngữ người viết", "Writer's language"),
    "province": ("Tỉnh/thành", "Province"),
    "waiting": ("Chờ", "Waiting"),
    "holder": ("Người xử lý", "Holder"),
    "status": ("Trạng thái", "Status"),
    "reference": ("Mã hồ sơ", "Reference"),
    "category": ("Loại hình", "Category"),
    "filter": ("Lọc", "Filter"),
    "search_phone": ("Số điện thoại / mã", "Phone / reference"),
    "all": ("Tất cả", "All"),
    "from_date": ("Từ ngày", "From"),
    "empty_queue": ("Không có hồ sơ nào đang mở.", "No open intakes."),
    "auto_refresh": ("Tự động cập nhật mỗi 20 giây", "Refreshes every 20 seconds"),
    "unassigned": ("Chưa ai nhận", "Unassigned"),
    **labels.TRIAGE,  # the triage levels by their own codes ("urgent", ...)
    "transcript": ("Nội dung hội thoại", "Transcript"),
    "masked": (
        "Dữ liệu cá nhân đang được che. Nêu lý do để xem (được ghi nhật ký).",
        "Personal data is masked. State a reason to reveal it (audited).",
    ),
    "reason": ("Lý do", "Reason"),
    "reveal": ("Xem dữ liệu", "Reveal"),
    "facts": ("Thông tin trích xuất", "Extracted facts"),
    "timeline": ("Diễn biến", "Status timeline"),
    "acknowledge": ("Xác nhận đã nhận", "Acknowledge"),
    "assign": ("Giao cho", "Assign to"),
    "change_status": ("Đổi trạng thái", "Change status"),
    "save": ("Lưu", "Save"),
    "classify": ("Lưu phân loại thống kê", "Save statistics categories"),
    "classify_invalid": (
        "Giá trị phân loại không có trong danh mục.",
        "That category value is not in the list.",
    ),
    "notes": ("Ghi chú", "Notes"),
    "add_note": ("Thêm ghi chú", "Add note"),
    "referrals": ("Chuyển tuyến", "Referrals"),
    "agency": ("Cơ quan", "Agency"),
    "add_referral": ("Chuyển tuyến", "Refer"),
    "reply": ("Trả lời người báo tin", "Reply to the person"),
    "send": ("Gửi", "Send"),
    "reply_not_safe": (
        "Không được nhắn cho người này: họ chưa xác nhận là an toàn.",
        "Do not message this person: they have not said it is safe.",
    ),
    "on_duty": ("Đang trực", "On duty now"),
    "gap": ("Không có ai trực!", "Nobody on duty!"),
    "export_csv": ("Tải CSV", "Download CSV"),
    "export_xlsx": ("Tải XLSX", "Download XLSX"),
    "count": ("Số lượng", "Count"),
    "when": ("Thời điểm", "When"),
    "actor": ("Người thực hiện", "Actor"),
    "action": ("Thao tác", "Action"),
    "role": ("Vai trò", "Role"),
    "create": ("Tạo", "Create"),
    "roster_person": ("Người trong lịch trực", "Person on the roster"),
    "no_roster_person": ("— không gắn —", "— not linked —"),
    "done": ("Đã lưu.", "Saved."),
    "weak_password": ("Mật khẩu quá yếu", "Password too weak"),
    "destination": ("Nơi đến", "Destination"),
    "at_risk": ("Người gặp nguy", "Who is at risk"),
    "minor": ("Trẻ em (dưới 18)", "Minor (under 18)"),
    "people_count": ("Số người", "People"),
    "safe_to_contact": ("An toàn để liên lạc", "Safe to contact"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "actions": ("Xử lý", "Actions"),
    "received": ("Tiếp nhận", "Received"),
    "revealed_for": ("Đã xem với lý do", "Revealed for"),
    "reason_required": (
        "Cần nêu lý do (ít nhất 5 ký tự).",
        "A reason is required (5+ characters).",
    ),
    "erased": ("(đã xóa)", "(erased)"),
    "contact_name": ("Tên liên hệ", "Contact name"),
    "contact_phone": ("Số điện thoại", "Phone"),
    "location_detail": ("Địa điểm chi tiết", "Location detail"),
    "safe_contact_time": ("Thời gian liên lạc an toàn", "Safe time to contact"),
    "summary": ("Tóm tắt", "Summary"),
    # intake_store/narrative.py: every message of the tip or request, in order.
    "narrative": ("Lời người dân kể (theo thứ tự)", "In their own words (in order)"),
    "add_note_err": ("Ghi chú trống.", "Empty note."),
    "message": ("Nội dung", "Message"),
    "week": (
        "Tuần này (số người nhận cảnh báo mỗi giờ, không tính giám sát)",
        "This week (staff answering alerts per hour, supervisors not counted)",
    ),
    "supervisor_last_line": (
        "giám sát: chỉ nhận cảnh báo khi không có ai khác trực",
        "supervisor: alerted only when nobody else is on duty",
    ),
    "shift_days": ("Ngày trực", "Days"),
    "all_day": ("cả ngày (24 giờ)", "all day (24 h)"),
    "pages": ("Các trang", "Pages"),
    "page": ("Trang", "Page"),
    "page_prev": ("Trang trước", "Previous"),
    "page_next": ("Trang sau", "Next"),
    "gap_hours": ("giờ không có người trực", "hours with nobody on duty"),
    "staff": ("Cán bộ", "Staff"),
    "shifts": ("Ca trực", "Shifts"),
    "add_staff": ("Thêm cán bộ", "Add staff member"),
    "add_shift": ("Thêm ca trực", "Add shift"),
    "name": ("Họ tên", "Name"),
    "disable": ("Khóa", "Disable"),
    "remove": ("Xóa", "Remove"),
    "overnight": ("qua đêm", "overnight"),
    "languages": ("Ngôn ngữ (vi, en, ...)", "Languages (vi, en, ...)"),
    "provinces": ("Tỉnh phụ trách (để trống: tất cả)", "Provinces covered (empty: all)"),
    "all_provinces": ("mọi tỉnh", "every province"),
    "roster_staff_invalid": (
        "Cần họ tên và vai trò hợp lệ.",
        "A name and a valid role are needed.",
    ),
    "roster_shift_invalid": (
        "Ca trực không hợp lệ: kiểm tra cán bộ, giờ (HH:MM) và chọn ít nhất một ngày.",
        "Invalid shift: check the staff member, the times (HH:MM), and tick at least one day.",
    ),
    "enable": ("Mở khóa", "Enable"),
    "to_date": ("Đến ngày", "Until"),
    "total": ("Tổng số hồ sơ", "Total intakes"),
    # Human handoff
    "conversation": ("Hội thoại", "Conversation"),
    "take_over": ("Tiếp nhận hội thoại", "Take over the conversation"),
    "hand_back": ("Trả lại cho trợ lý", "Hand back to the assistant"),
    "held_by": ("Đang tiếp nhận", "Held by"),
    "held_hint": (
        "Trợ lý đang im lặng: tin nhắn của người này chỉ đến bạn. Trợ lý chỉ tự trả lời khi "
        "có dấu hiệu nguy hiểm (111/113, báo cán bộ trực).",
        "The assistant is silent: this person's messages come to you only. It answers on its "
        "own only to danger signs (111/113, on-duty staff alerted).",
    ),
    "bot_answers": (
        "Trợ lý đang trả lời hội thoại này.",
        "The assistant answers this conversation.",
    ),
    "waiting_for_human": ("Chờ người thật", "Wants a human"),
    "unread": ("tin mới", "new"),
    "read_new": ("Xem tin nhắn", "Read the messages"),
    "hold_reason": (
        "trả lời người trong hội thoại đang tiếp nhận",
        "answering the person in a conversation I hold",
    ),
    "hold_taken": (
        "Hội thoại đã có người khác tiếp nhận.",
        "Someone else holds this conversation.",
    ),
    "no_conversation": ("Hồ sơ này không có hội thoại.", "This intake has no conversation."),
    # Erasure from the console
    "erase": ("Xóa dữ liệu cá nhân", "Erase personal data"),
    "erase_yes": ("Xác nhận xóa vĩnh viễn", "Yes, erase for good"),
    "cancel": ("Hủy", "Cancel"),
    "erase_warning": (
        "Nội dung tin nhắn, thông tin liên lạc, chi tiết cá nhân và ghi chú của hồ sơ này sẽ bị "
        "xóa vĩnh viễn, cả bản lưu của trợ lý. Hội thoại được trả lại cho trợ lý.",
        "The messages, contact details, personal details and notes of this case are destroyed "
        "for good, the assistant's copy too. The conversation goes back to the assistant.",
    ),
    "erasure_requested": ("Người này yêu cầu xóa dữ liệu", "This person asks to erase their data"),
    "link_pending": (
        "Có người nhắn mã hồ sơ này từ một cuộc trò chuyện khác",
        "Someone sent this case's code from another conversation",
    ),
    "link_pending_hint": (
        "Họ chưa được biết gì về hồ sơ. Chỉ xác nhận khi chắc chắn đó là cùng một người: "
        "từ đó trả lời của cán bộ sẽ gửi tới cuộc trò chuyện ấy.",
        "They have been told nothing about the case. Confirm only if you are sure it is the "
        "same person: staff replies then go to that conversation.",
    ),
    "link_confirm": ("Xác nhận cùng một người", "Confirm: same person"),
    "link_reject": ("Không phải người này", "Not this person"),
    "conversation_erased": (
        "Dữ liệu cá nhân của hội thoại này đã được xóa.",
        "This conversation's personal data has been erased.",
    ),
    "rasa_copy_failed": (
        "Đã xóa dữ liệu trong hệ thống, nhưng chưa xóa được bản lưu của trợ lý (Rasa). Báo quản "
        "trị viên.",
        "Erased from the store, but the assistant's (Rasa's) copy could not be removed. Tell "
        "an administrator.",
    ),
    "totp": ("Mã xác thực 2 lớp", "Two-factor code"),
    "totp_code": ("Mã 6 số trong ứng dụng xác thực", "6-digit code from your authenticator app"),
    "bad_code": ("Mã không đúng.", "Wrong code."),
    "totp_enrol": ("Bật xác thực 2 lớp", "Turn on two-factor sign-in"),
    "totp_secret": (
        "Nhập khóa này vào ứng dụng xác thực (Google Authenticator, Aegis...), rồi nhập mã 6 số.",
        "Add this key to an authenticator app (e.g. Aegis), then type its code.",
    ),
    "totp_on": ("Đã bật xác thực 2 lớp.", "Two-factor sign-in is on."),
    "totp_change": (
        "Xác thực 2 lớp đang bật. Để chuyển sang điện thoại mới, nhập mật khẩu, một mã của "
        "ứng dụng hiện tại và một mã của ứng dụng mới.",
        "Two-factor sign-in is on. To move it to a new phone, give your password, a code from "
        "the current app and a code from the new one.",
    ),
    "current_totp_code": ("Mã 6 số của ứng dụng hiện tại", "6-digit code from the current app"),
    "totp_reset": ("Tắt xác thực 2 lớp (mất điện thoại)", "Remove two-factor (lost phone)"),
    "current_password": ("Mật khẩu hiện tại", "Current password"),
    "new_password": ("Mật khẩu mới", "New password"),
    "change_password": ("Đổi mật khẩu", "Change password"),
    "password_changed": (
        "Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đóng.",
        "Password changed. Your other sessions have been signed out.",
    ),
    "reauth_failed": (
        "Mật khẩu hoặc mã hiện tại không đúng.",
        "Wrong password or current code.",
    ),
    "blocks": ("Chặn nguồn gửi tin", "Blocked sources"),
    "blocks_hint": (
        "Tin nhắn từ nguồn bị chặn vẫn được lưu và vẫn nhận lời nhắn gọi 113/111, nhưng không mở"
        " hồ sơ, không báo cán bộ và không chuyển cho trợ lý.",
        "Messages from a blocked source are still stored and still get the 113/111 reply, but"
        " open no case, alert no one and do not reach the assistant.",
    ),
    "block_sender": ("Chặn người gửi này", "Block this sender"),
    "block_address": ("Chặn địa chỉ mạng này", "Block this network address"),
    "blocked_sender": ("Người gửi của hồ sơ này đang bị chặn.", "This case's sender is blocked."),
    "blocked_address": (
        "Địa chỉ mạng của hồ sơ này đang bị chặn.",
        "This case's network address is blocked.",
    ),
    "block_what": ("Bị chặn", "Blocked"),
    "block_by": ("Người chặn, lúc", "Blocked by, at"),
    "block_kind_sender": ("Người gửi", "Sender"),
    "block_kind_address": ("Địa chỉ mạng", "Network address"),
    "unblock_reason": ("Lý do bỏ chặn", "Reason to unblock"),
    "unblock": ("Bỏ chặn", "Unblock"),
    "block_needs_reason": (
        "Cần chọn điều cần chặn và ghi lý do.",
        "Choose what to block and give a reason.",
    ),
    "minutes": ("phút", "min"),
    "hours": ("giờ", "h"),
    "days": ("ngày", "d"),
    "telegram_chat_id": ("Mã trò chuyện Telegram", "Telegram chat id"),
    "shift_start": ("Bắt đầu", "Start"),
    "shift_end": ("Kết thúc", "End"),
    "shift_kind": ("Loại ca", "Kind of shift"),
    "active": ("Đang làm", "Active"),
    "inactive": ("Đã khóa", "Disabled"),
    "subject": ("Đối tượng", "Subject"),
    "case_code_filter": ("Mã hồ sơ (CT-...)", "Case code (CT-...)"),
    # The person's safe time, by the reply box
    "safe_channel": ("Kênh an toàn", "Safe channel"),
    "reply_goes_by": ("trả lời gửi qua", "the reply goes by"),
    "safe_time": ("Giờ liên lạc an toàn", "Safe time to contact"),
    "window_open": ("đang trong giờ an toàn", "safe now"),
    "window_closed": ("bây giờ KHÔNG an toàn", "NOT safe now"),
    "window_unknown": ("chưa rõ", "not known"),
    "window_in_words": (
        "Người này đã nói giờ an toàn bằng lời: bấm Xem dữ liệu (có ghi nhật ký) để đọc, rồi đặt "
        "giờ bên dưới.",
        "The person said when in their own words: reveal (audited) to read them, then set the "
        "hours below.",
    ),
    "window_not_said": ("Người này không nói giờ nào.", "The person named no time."),
    "outside_window": (
        "Bây giờ ngoài giờ an toàn của người này. Hẹn gửi khi đến giờ an toàn, hay vẫn gửi ngay?",
        "It is outside this person's safe time now. Hold the reply until it opens, or send now?",
    ),
    "hold_until": ("Hẹn gửi lúc", "Hold until"),
    "send_anyway": ("Vẫn gửi ngay", "Send now anyway"),
    "held_reply": ("Một trả lời đang chờ giờ an toàn, sẽ gửi lúc", "A reply is held until"),
    "set_safe_window": ("Đặt giờ liên lạc an toàn", "Set the safe time to contact"),
    "from_time": ("Từ", "From"),
    "to_time": ("đến", "until"),
    "safe_window_invalid": ("Giờ không hợp lệ.", "Invalid hours."),
    "child": ("Trẻ em", "Child"),
    "current": ("hiện tại", "current"),
    "not_classified": ("chưa phân loại", "not classified"),
    "choose_person": ("chọn người", "choose someone"),
    "earlier_messages": ("Tin nhắn trước đó", "Earlier messages"),
    "reveal_kept": (
        "vẫn hiện trong vài phút sau khi xem, không ghi nhật ký lại",
        "kept for a few minutes after the reveal, not logged again",
    ),
}

# Operator filing, calls, canned replies and transfers (kept in one piece in its own module).
TEXT.update(FILING_TEXT)


# Codes people see are labelled in console/labels.py; these older keys ("st_new", "ch_sms", ...)
# still resolve, from the same tables.
for _prefix, _vocabulary in (
    ("st_", labels.STATUS),
    ("rs_", labels.REFERRAL_STATUS),
    ("ch_", labels.CHANNEL),
    ("r_", labels.ROLE),
    ("tl_", labels.TIMELINE),
    ("dim_", labels.DIMENSION),
    ("v_", {**labels.CATEGORY, **labels.RETURN_MODE, **labels.DISCOVERY, **labels.ROUTE}),
):
    TEXT.update({_prefix + code: pair for code, pair in _vocabulary.items()})


def language_of(request: Request) -> str:
    requested = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "vi")
    return requested if requested in LANGUAGES else "vi"


def translator(lang: str) -> Callable[[str], str]:
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str) -> str:
        pair = TEXT.get(key)
        return pair[index] if pair else key

    return t
