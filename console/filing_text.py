"""Interface text of operator filing, calls, canned replies and transfers: key -> (vi, en).

Merged into console/i18n.py's TEXT. The codes these pages show (sources, caller relations, call
outcomes, ...) are labelled in console/labels.py like every other code.
"""

from __future__ import annotations

FILING_TEXT: dict[str, tuple[str, str]] = {
    "new_intake": ("Tiếp nhận mới", "New intake"),
    "new_intake_hint": (
        "Ghi lại cuộc gọi, người đến trực tiếp hoặc trường hợp được bàn giao. Nội dung được lưu "
        "tự động khi bạn gõ. Enter: tìm (ở ô tìm) hoặc sang ô tiếp theo; Ctrl+Enter: tạo hồ sơ.",
        "Record a call, a walk-in or a handover. What you type is saved as you go. Enter: search "
        "(in the search box) or go to the next field; Ctrl+Enter: file the case.",
    ),
    "search_first": (
        "Tìm trước khi tạo: số điện thoại, họ tên, mã hồ sơ hoặc nơi",
        "Search first: phone number, full name, case code or place",
    ),
    "search_save": ("Lưu nháp và tìm", "Save draft and search"),
    "no_match": ("Không tìm thấy hồ sơ nào.", "No case found."),
    "matches": ("Hồ sơ có thể là của người này", "Cases that may be this person's"),
    "attach_here": ("Gắn cuộc gọi vào hồ sơ này", "Add this call to this case"),
    "matched_by": ("Khớp theo", "Matched by"),
    "call_section": ("Nguồn tiếp nhận", "How it came in"),
    "source": ("Nguồn", "Source"),
    "received_at": ("Thời điểm tiếp nhận (dd/mm/yyyy hh:mm)", "Received at (dd/mm/yyyy hh:mm)"),
    "caller_name": ("Người gọi / người đến", "Caller / visitor"),
    "caller_relation": ("Quan hệ với người gặp nguy", "Relation to the person at risk"),
    "caller_phone": ("Số điện thoại người gọi", "Caller's phone"),
    "person_section": ("Người gặp nguy và sự việc", "The person at risk and what happened"),
    "age": ("Tuổi", "Age"),
    "what_happened": ("Sự việc", "What happened"),
    "where_now": ("Đang ở đâu (chi tiết)", "Where now (detail)"),
    "urgency_section": ("Mức độ và dấu hiệu", "Urgency and reasons"),
    "contact_section": ("Liên hệ an toàn và đồng ý", "Safe contact and consent"),
    "contact_method": ("Cách liên hệ an toàn", "Safe contact channel"),
    "consent_contact": ("Đồng ý để cán bộ liên hệ", "Agrees to be contacted"),
    "anonymous": ("Ẩn danh (không lưu tên, số điện thoại)", "Anonymous (no name or phone kept)"),
    "stats_section": ("Phân loại thống kê (nếu đã rõ)", "Statistics categories (when known)"),
    "call_notes": ("Ghi chú cuộc gọi", "Call notes"),
    "duration": ("Thời lượng", "Duration"),
    "file_case": ("Tạo hồ sơ", "File the case"),
    "discard_call": ("Bỏ bản nháp", "Discard the draft"),
    "autosaved": ("Đã lưu nháp", "Draft saved"),
    "autosave_failed": ("Chưa lưu được nháp", "Draft not saved"),
    "filing_invalid": (
        "Kiểm tra lại: nguồn, mức độ, tuổi, số người hoặc thời điểm chưa hợp lệ.",
        "Check the form: a source, triage, age, number of people or time is not valid.",
    ),
    "calls": ("Cuộc gọi", "Calls"),
    "operator": ("Điện thoại viên", "Operator"),
    "started": ("Bắt đầu", "Started"),
    "call_status": ("Kết quả", "Outcome"),
    "filed_by": ("Người ghi", "Filed by"),
    "no_calls": ("Chưa có cuộc gọi nào.", "No calls yet."),
    # Canned replies
    "canned": ("Trả lời mẫu", "Canned replies"),
    "canned_hint": (
        "Alt+1 … Alt+9 chèn câu trả lời mẫu vào ô trả lời.",
        "Alt+1 … Alt+9 puts a canned reply into the reply box.",
    ),
    "title": ("Tiêu đề", "Title"),
    "language": ("Ngôn ngữ", "Language"),
    "canned_active": ("Đang dùng", "In use"),
    "canned_invalid": (
        "Cần tiêu đề (tối đa 80 ký tự) và nội dung (tối đa 1000 ký tự).",
        "A title (80 characters at most) and a text (1000 at most) are needed.",
    ),
    "add_canned": ("Thêm câu trả lời mẫu", "Add a canned reply"),
    "canned_facts_only": (
        "Chỉ dùng thông tin đã có nguồn trong kho kiến thức; không tự thêm số điện thoại.",
        "Use only facts the knowledge base sources; never add a phone number of your own.",
    ),
    "calls_after_reveal": (
        "Các cuộc gọi (người gọi, số điện thoại, ghi chú) hiện ra sau khi xem dữ liệu cá nhân.",
        "The calls (caller, phone number, notes) show after a reveal.",
    ),
    "reply_no_conversation": (
        "Hồ sơ do điện thoại viên ghi: không có cuộc trò chuyện để nhắn. Liên lạc qua kênh an "
        "toàn, theo số điện thoại trong dữ liệu cá nhân.",
        "Filed by an operator: there is no conversation to write in. Contact the person by the "
        "safe channel, at the number in the personal details.",
    ),
    # Transfer
    "transfer_heading": ("Chuyển ca", "Transfer"),
    "transfer": ("Chuyển ca cho", "Transfer to"),
    "transfer_note": ("Ghi chú bàn giao", "Handover note"),
    "transfer_invalid": (
        "Chọn một tài khoản đang hoạt động khác bạn.",
        "Choose another active account.",
    ),
    "erase_filed_warning": (
        "Thông tin cá nhân, ghi chú và nội dung cuộc gọi của hồ sơ này sẽ bị xóa vĩnh viễn; "
        "số liệu thống kê được giữ lại.",
        "The personal details, notes and calls of this case are destroyed for good; the "
        "statistics stay.",
    ),
    "transfer_not_holder": (
        "Chỉ người đang giữ ca (hoặc giám sát) mới chuyển được ca này.",
        "Only the case's holder (or a supervisor) can transfer it.",
    ),
}
