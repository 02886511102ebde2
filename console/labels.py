"""What people read instead of the store's codes: one table per vocabulary, (Vietnamese, English).

Every template (``label(vocabulary, code)``, set by ``console.web.render``) and every export uses
these tables, so no internal code reaches an operator or a report. Adding a vocabulary: a dict here
and one entry in ``VOCABULARIES``; adding a code: one line in its dict. Exports also keep the codes,
apart, for machines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

Label = tuple[str, str]  # (Vietnamese, English)

TRIAGE: dict[str, Label] = {
    "urgent": ("Khẩn cấp", "Urgent"),
    "report": ("Tin báo", "Report"),
    "help": ("Cần hỗ trợ", "Help"),
    "question": ("Câu hỏi", "Question"),
    "other": ("Khác", "Other"),
}
STATUS: dict[str, Label] = {  # the intake workflow (intake_store/workflow.py TRANSITIONS)
    "new": ("Mới", "New"),
    "acknowledged": ("Đã nhận xử lý", "Acknowledged"),
    "verifying": ("Đang xác minh", "Verifying"),
    "identified": ("Xác định là nạn nhân", "Identified as victim"),
    "not_identified": ("Không xác định là nạn nhân", "Not identified"),
    "supporting": ("Đang hỗ trợ", "Supporting"),
    "referred": ("Đã chuyển tuyến", "Referred"),
    "reintegrating": ("Hòa nhập cộng đồng", "Reintegrating"),
    "closed": ("Đã đóng", "Closed"),
}
REFERRAL_STATUS: dict[str, Label] = {
    "proposed": ("Đề xuất", "Proposed"),
    "sent": ("Đã gửi", "Sent"),
    "accepted": ("Đã tiếp nhận", "Accepted"),
    "in_progress": ("Đang xử lý", "In progress"),
    "completed": ("Hoàn thành", "Completed"),
    "declined": ("Từ chối", "Declined"),
}
URGENT_REASON: dict[str, Label] = {  # nlu/urgency.py REASONS and the classifier's own
    "confinement": ("Bị giam giữ", "Confined"),
    "violence": ("Bị đánh đập, bạo lực", "Violence"),
    "threat": ("Bị đe dọa", "Threatened"),
    "documents_taken": ("Bị giữ giấy tờ", "Documents taken"),
    "transport_in_progress": ("Đang bị đưa đi", "Being moved now"),
    "child_taken": ("Trẻ em bị đưa đi", "Child taken"),
    "child_missing_recent": ("Trẻ em mới mất tích", "Child recently missing"),
    "being_sold": ("Bị bán", "Being sold"),
    "ransom": ("Bị đòi tiền chuộc", "Ransom demanded"),
    "organ_removal": ("Lấy bộ phận cơ thể", "Organ removal"),
    "forced_birth_or_baby_sale": ("Ép sinh con / bán con", "Forced birth or baby sale"),
    "sexual_exploitation": ("Bóc lột tình dục", "Sexual exploitation"),
    "forced_labour_now": ("Đang bị cưỡng bức lao động", "Forced labour now"),
    "cry_for_help": ("Kêu cứu", "Cry for help"),
    "cut_off_contact": ("Mất liên lạc đột ngột", "Contact cut off"),
    "hiding_or_pursued": ("Đang trốn / bị truy đuổi", "Hiding or pursued"),
    "just_escaped": ("Vừa trốn thoát", "Just escaped"),
    "handed_to_stranger": ("Bị giao cho người lạ", "Handed to a stranger"),
    "forced_marriage": ("Sắp bị ép cưới", "About to be married off"),
    "police_now": ("Cần công an ngay", "Needs police now"),
    "operator_judgement": ("Đánh giá của điện thoại viên", "The operator's judgement"),
    "abroad": ("Đang ở nước ngoài", "Abroad"),
    "classifier": ("Trợ lý nhận định khẩn cấp", "The assistant judged it urgent"),
    "classifier_unsure": (
        "Trợ lý chưa chắc, nghiêng về khẩn cấp",
        "The assistant was unsure, leaning urgent",
    ),
}
CHANNEL: dict[str, Label] = {  # where a person wrote from, and where staff alerts went
    "webchat": ("Trò chuyện trên web", "Web chat"),
    "telegram": ("Telegram", "Telegram"),
    "zalo": ("Zalo", "Zalo"),
    "sms": ("Tin nhắn SMS", "SMS"),
    "voice": ("Cuộc gọi", "Phone call"),
    "call": ("Gọi điện", "Phone call"),
    "log": ("Chỉ ghi vào hệ thống", "Recorded only"),
    "console": ("Bàn điều phối", "Console"),
    "none": ("Không liên lạc", "No contact"),
    "unknown": ("Chưa rõ", "Unknown"),
}
CATEGORY: dict[str, Label] = {
    "sexual_exploitation": ("Bóc lột tình dục", "Sexual exploitation"),
    "forced_labour": ("Cưỡng bức lao động", "Forced labour"),
    "forced_marriage": ("Cưỡng ép kết hôn", "Forced marriage"),
    "organ_removal": ("Lấy bộ phận cơ thể", "Organ removal"),
    "surrogacy_baby_selling": ("Mang thai hộ / bán trẻ sơ sinh", "Surrogacy / baby selling"),
    "forced_criminality": ("Ép phạm tội (lừa đảo trực tuyến)", "Forced criminality (scams)"),
    "other": ("Khác", "Other"),
    "unknown": ("Chưa rõ", "Unknown"),
}
AT_RISK: dict[str, Label] = {
    "self": ("Chính người báo tin", "The person writing"),
    "relative": ("Người thân", "A relative"),
    "other": ("Người khác", "Someone else"),
}
AGE_BAND: dict[str, Label] = {
    "under_16": ("Dưới 16 tuổi", "Under 16"),
    "16_17": ("16–17 tuổi", "16–17"),
    "18_24": ("18–24 tuổi", "18–24"),
    "25_39": ("25–39 tuổi", "25–39"),
    "40_plus": ("Từ 40 tuổi", "40 and over"),
}
RETURN_MODE: dict[str, Label] = {
    "official_handover": ("Trao trả chính thức", "Official handover"),
    "self_return": ("Tự trở về", "Self-return"),
    "unknown": ("Chưa rõ", "Unknown"),
}
SOURCE: dict[str, Label] = {  # how a case reached the hotline (intake_store/filing.py SOURCES)
    "call_111": ("Gọi tổng đài 111", "Call to 111"),
    "call_provincial": ("Gọi đường dây của tỉnh", "Call to the provincial line"),
    "walk_in": ("Đến trực tiếp", "Walk-in"),
    "official_handover": ("Trao trả chính thức", "Official handover"),
    "police": ("Công an chuyển đến", "From the police"),
    "border_guard": ("Bộ đội Biên phòng chuyển đến", "From the border guard"),
    "coast_guard": ("Cảnh sát biển chuyển đến", "From the coast guard"),
    "commune": ("UBND xã chuyển đến", "From the commune"),
    "ngo": ("Tổ chức phi chính phủ chuyển đến", "From an NGO"),
    "other": ("Nguồn khác", "Other source"),
    # a chat's channel, in the statistics' source dimension (intake_store/statistics.py)
    "chat_webchat": ("Trò chuyện trên web", "Web chat"),
    "chat_telegram": ("Telegram", "Telegram"),
    "chat_zalo": ("Zalo", "Zalo"),
    "chat_sms": ("Tin nhắn SMS", "SMS"),
    "unknown": ("Chưa rõ", "Unknown"),
}
ORIGIN: dict[str, Label] = {
    "chat": ("Trò chuyện với trợ lý", "Chat with the assistant"),
    "operator": ("Điện thoại viên ghi", "Filed by an operator"),
}
CALLER_RELATION: dict[str, Label] = {  # intake_store/filing.py CALLER_RELATIONS
    "self": ("Chính người gặp nguy", "The person at risk"),
    "parent": ("Cha / mẹ", "Parent"),
    "spouse": ("Vợ / chồng", "Spouse"),
    "child": ("Con", "Child"),
    "sibling": ("Anh / chị / em", "Sibling"),
    "relative": ("Họ hàng", "Relative"),
    "friend": ("Bạn bè", "Friend"),
    "neighbour": ("Hàng xóm", "Neighbour"),
    "official": ("Cán bộ, cơ quan", "Official"),
    "other": ("Khác", "Other"),
}
CALL_STATUS: dict[str, Label] = {  # operator_calls.status
    "draft": ("Đang ghi", "In progress"),
    "filed": ("Tạo hồ sơ mới", "New case"),
    "attached": ("Gắn vào hồ sơ có sẵn", "Added to a case"),
    "discarded": ("Không tạo hồ sơ", "No case"),
}
MATCHED_BY: dict[str, Label] = {  # intake_store/filing.py search_cases
    "code": ("mã hồ sơ", "case code"),
    "phone": ("số điện thoại", "phone"),
    "name": ("họ tên", "name"),
    "place": ("nơi", "place"),
}
DISCOVERY: dict[str, Label] = {
    "rescued": ("Được giải cứu", "Rescued"),
    "self_reported": ("Tự đến trình báo", "Self-reported"),
    "unknown": ("Chưa rõ", "Unknown"),
}
ROUTE: dict[str, Label] = {
    "labour_export": ("Xuất khẩu lao động", "Labour export"),
    "tourism": ("Du lịch", "Tourism"),
    "marriage": ("Kết hôn với người nước ngoài", "Marriage to a foreigner"),
    "other": ("Khác", "Other"),
    "unknown": ("Chưa rõ", "Unknown"),
}
ROLE: dict[str, Label] = {  # console accounts and roster staff
    "operator": ("Điện thoại viên", "Operator"),
    "social_worker": ("Cán bộ công tác xã hội", "Social worker"),
    "supervisor": ("Giám sát", "Supervisor"),
    "admin": ("Quản trị", "Administrator"),
}
SHIFT_KIND: dict[str, Label] = {
    "primary": ("Trực chính", "Primary"),
    "backup": ("Trực dự phòng", "Backup on call"),
}
YES_NO: dict[str, Label] = {
    "true": ("Có", "Yes"),
    "false": ("Không", "No"),
    "none": ("Chưa rõ", "Not known"),
}
ALERT_STATUS: dict[str, Label] = {
    "sending": ("Đang gửi", "Sending"),
    "sent": ("Đã gửi", "Sent"),
    "failed": ("Gửi lỗi", "Failed"),
}
LANGUAGE: dict[str, Label] = {
    "vi": ("Tiếng Việt", "Vietnamese"),
    "en": ("Tiếng Anh", "English"),
    "zh": ("Tiếng Trung", "Chinese"),
    "km": ("Tiếng Khmer", "Khmer"),
    "lo": ("Tiếng Lào", "Lao"),
    "th": ("Tiếng Thái", "Thai"),
    "my": ("Tiếng Miến Điện", "Burmese"),
    "ko": ("Tiếng Hàn", "Korean"),
    "ja": ("Tiếng Nhật", "Japanese"),
}
DIMENSION: dict[str, Label] = {  # statistics (intake_store/statistics.py DIMENSIONS)
    "total": ("Tổng số hồ sơ", "Total intakes"),
    "month": ("Theo tháng", "By month"),
    "origin": ("Trò chuyện / điện thoại viên ghi", "Chat / filed by an operator"),
    "source": ("Theo nguồn tiếp nhận", "By source"),
    "province": ("Theo tỉnh/thành", "By province"),
    "channel": ("Theo kênh", "By channel"),
    "triage": ("Theo mức độ", "By triage level"),
    "category": ("Theo hình thức bóc lột", "By exploitation category"),
    "return_mode": (
        "Trở về: trao trả chính thức / tự trở về",
        "Return: official handover / self-return",
    ),
    "discovery": ("Trong nước: được giải cứu / tự đến trình báo", "Rescued / self-reported"),
    "route": (
        "Nghi là nạn nhân theo đường: XKLĐ / du lịch / kết hôn",
        "Suspected victims by route: labour export / tourism / marriage",
    ),
}
AUDIT_ACTION: dict[str, Label] = {
    "reveal_intake": ("Xem dữ liệu cá nhân của hồ sơ", "Revealed the case's personal data"),
    "read_transcript": ("Đọc nội dung hội thoại", "Read the transcript"),
    "read_notes": ("Đọc ghi chú", "Read the notes"),
    "read_sender_id": ("Đọc địa chỉ người gửi", "Read the sender's address"),
    "read_pending_inbound": ("Đọc tin chưa xử lý", "Read unprocessed messages"),
    "queue_phone_search": ("Tìm theo số điện thoại", "Searched by phone number"),
    "assign": ("Giao việc", "Assigned"),
    "add_note": ("Thêm ghi chú", "Added a note"),
    "add_referral": ("Chuyển tuyến", "Referred"),
    "referral_status": ("Cập nhật chuyển tuyến", "Updated a referral"),
    "queue_reply": ("Gửi trả lời", "Sent a reply"),
    "hold_reply": ("Hẹn giờ gửi trả lời", "Held a reply for the safe time"),
    "release_held_reply": ("Gửi trả lời đã hẹn giờ", "Released a held reply"),
    "set_safe_window": ("Đặt giờ liên lạc an toàn", "Set the safe time to contact"),
    "classify_intake": ("Phân loại thống kê", "Set statistics categories"),
    "hold_conversation": ("Tiếp nhận hội thoại", "Took the conversation over"),
    "release_conversation": ("Trả lại cho trợ lý", "Handed back to the assistant"),
    "erasure_requested": ("Người này yêu cầu xóa dữ liệu", "The person asked for erasure"),
    "erase_conversation": ("Xóa dữ liệu cá nhân", "Erased personal data"),
    "erase_intake": ("Xóa dữ liệu cá nhân của hồ sơ", "Erased the case's personal data"),
    "retention": ("Xóa theo thời hạn lưu", "Retention clean-up"),
    "block_source": ("Chặn nguồn gửi tin", "Blocked a source"),
    "unblock_source": ("Bỏ chặn nguồn gửi tin", "Unblocked a source"),
    "case_link_requested": ("Mã hồ sơ được nhắn từ hội thoại khác", "Case code sent elsewhere"),
    "confirm_case_link": ("Xác nhận cùng một người", "Confirmed the same person"),
    "reject_case_link": ("Không phải cùng một người", "Not the same person"),
    "roster_add_staff": ("Thêm cán bộ vào lịch trực", "Added staff to the roster"),
    "roster_set_active": ("Khóa / mở khóa cán bộ", "Disabled or enabled staff"),
    "roster_add_shift": ("Thêm ca trực", "Added a shift"),
    "roster_remove_shift": ("Xóa ca trực", "Removed a shift"),
    "login_success": ("Đăng nhập", "Signed in"),
    "login_failure": ("Đăng nhập sai", "Failed sign-in"),
    "login_lockout": ("Tạm khóa đăng nhập", "Sign-in slowed down"),
    "logout": ("Đăng xuất", "Signed out"),
    "password_change": ("Đổi mật khẩu", "Changed the password"),
    "totp_enrol": ("Bật xác thực 2 lớp", "Turned on two-factor"),
    "totp_reset": ("Tắt xác thực 2 lớp", "Removed two-factor"),
    "user_create": ("Tạo tài khoản", "Created an account"),
    "user_role_change": ("Đổi vai trò tài khoản", "Changed an account's role"),
    "user_activate": ("Mở khóa tài khoản", "Enabled an account"),
    "user_deactivate": ("Khóa tài khoản", "Disabled an account"),
    "user_link_staff": ("Gắn tài khoản với lịch trực", "Linked an account to the roster"),
    "file_intake": ("Tạo hồ sơ từ cuộc gọi / tiếp nhận", "Filed a case from a call"),
    "attach_call": ("Gắn cuộc gọi vào hồ sơ", "Added a call to a case"),
    "case_search": ("Tìm hồ sơ trước khi tạo", "Searched before filing"),
    "read_calls": ("Xem cuộc gọi của hồ sơ", "Read the case's calls"),
    "read_call_draft": ("Mở lại bản nháp cuộc gọi", "Reopened a call draft"),
    "transfer": ("Chuyển ca", "Transferred a case"),
    "canned_reply_add": ("Thêm câu trả lời mẫu", "Added a canned reply"),
    "canned_reply_edit": ("Sửa câu trả lời mẫu", "Edited a canned reply"),
    "person_confirmed": ("Người báo tin xác nhận nội dung", "The person confirmed their answers"),
    "person_not_confirmed": ("Người báo tin nói nội dung chưa đúng", "The person said not right"),
}
TIMELINE: dict[str, Label] = {  # the case page's timeline (casework.TIMELINE_ACTIONS + status)
    "status": ("Trạng thái", "Status"),
    "assign": ("Giao việc", "Assigned"),
    "add_note": ("Ghi chú", "Note"),
    "add_referral": ("Chuyển tuyến", "Referral"),
    "referral_status": ("Cập nhật chuyển tuyến", "Referral update"),
    "queue_reply": ("Đã gửi trả lời", "Reply queued"),
    "hold_reply": ("Trả lời hẹn giờ an toàn", "Reply held for the safe time"),
    "hold_conversation": ("Tiếp nhận hội thoại", "Took the conversation over"),
    "release_conversation": ("Trả lại cho trợ lý", "Handed back to the assistant"),
    "erasure_requested": ("Yêu cầu xóa dữ liệu", "Asked to erase their data"),
    "file_intake": ("Điện thoại viên tạo hồ sơ", "Filed by an operator"),
    "attach_call": ("Gắn cuộc gọi", "Call added"),
    "transfer": ("Chuyển ca", "Transferred"),
    "person_confirmed": (
        "Người báo tin xác nhận nội dung đúng",
        "The person confirmed their answers",
    ),
    "person_not_confirmed": (
        "Người báo tin nói nội dung chưa đúng (đang trả lời lại)",
        "The person said their answers were not right (answering again)",
    ),
}
# Fixed reasons the system itself writes in the audit log (operators' own reasons show as typed).
AUDIT_REASON: dict[str, Label] = {
    "casework": ("Xử lý hồ sơ", "Casework"),
    "roster": ("Lịch trực", "Roster"),
    "phone search": ("Tìm theo số điện thoại", "Phone search"),
    "signed in": ("Đăng nhập", "Signed in"),
    "signed out": ("Đăng xuất", "Signed out"),
    "account created": ("Tạo tài khoản", "Account created"),
    "account enabled": ("Mở khóa tài khoản", "Account enabled"),
    "account disabled": ("Khóa tài khoản", "Account disabled"),
    "role changed": ("Đổi vai trò", "Role changed"),
    "totp reset": ("Tắt xác thực 2 lớp", "Two-factor removed"),
    "changed the second factor": ("Đổi xác thực 2 lớp", "Changed the second factor"),
    "password changed; other sessions ended": (
        "Đổi mật khẩu, các phiên khác đã đóng",
        "Password changed; other sessions ended",
    ),
    "sign-in under an unknown or disabled user name": (
        "Đăng nhập bằng tên không có hoặc đã khóa",
        "Sign-in under an unknown or disabled user name",
    ),
    "wrong password": ("Sai mật khẩu", "Wrong password"),
    "wrong totp": ("Sai mã xác thực", "Wrong code"),
    "statistics categories": ("Phân loại thống kê", "Statistics categories"),
    "search before filing a call": ("Tìm trước khi tạo hồ sơ", "Search before filing"),
    "resume own call": ("Mở lại cuộc gọi đang ghi", "Resume one's own call"),
    "canned replies": ("Câu trả lời mẫu", "Canned replies"),
    "deliver staff reply": ("Gửi trả lời của cán bộ", "Deliver a staff reply"),
    "safe window": ("Giờ liên lạc an toàn", "Safe time to contact"),
    "add the person's later message to their case": (
        "Thêm tin nhắn sau của người này vào hồ sơ",
        "Add the person's later message to their case",
    ),
    "add the place of danger now to the case": (
        "Thêm nơi đang gặp nguy hiểm vào hồ sơ",
        "Add the place of danger now to the case",
    ),
    "the person's answer to the summary of their report": (
        "Người báo tin trả lời phần tóm tắt",
        "The person's answer to the summary of their report",
    ),
    "drop the contact details of a reporter who chose to stay anonymous": (
        "Bỏ thông tin liên hệ của người báo tin chọn giấu tên",
        "Drop the contact of a reporter who chose to stay anonymous",
    ),
    "merge the person's new answers into the staff summary": (
        "Gộp câu trả lời mới vào tóm tắt",
        "Merge new answers into the summary",
    ),
    "re-deliver unprocessed messages to the assistant": (
        "Gửi lại tin chưa xử lý cho trợ lý",
        "Re-deliver unprocessed messages to the assistant",
    ),
    "the case code was typed in another conversation": (
        "Mã hồ sơ được nhắn từ hội thoại khác",
        "The case code was typed in another conversation",
    ),
    "staff confirmed the person who typed the case code is this case's person": (
        "Cán bộ xác nhận cùng một người",
        "Staff confirmed it is the same person",
    ),
    "staff found the person who typed the case code is not this case's person": (
        "Cán bộ xác nhận không phải cùng một người",
        "Staff found it is not the same person",
    ),
    "the person asked to erase their data": (
        "Người này yêu cầu xóa dữ liệu",
        "The person asked to erase their data",
    ),
    "the person asked to erase their data while an operator held the conversation": (
        "Người này yêu cầu xóa dữ liệu khi cán bộ đang tiếp nhận",
        "The person asked for erasure while an operator held the conversation",
    ),
}
# Reasons with a number or a code in them: (pattern, Vietnamese, English), filled from the groups.
_REASON_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"opened by the assistant \((\w+)\)"),
        "Trợ lý mở hồ sơ ({triage})",
        "Opened by the assistant ({triage})",
    ),
    (
        re.compile(r"filed by an operator \((\w+)\)"),
        "Điện thoại viên tạo hồ sơ ({source})",
        "Filed by an operator ({source})",
    ),
    (
        re.compile(r"retention period of (\d+) days"),
        "Hết thời hạn lưu {0} ngày",
        "Retention period of {0} days",
    ),
    (
        re.compile(r"no activity of (.+) for (\d+) minutes"),
        "{0} không hoạt động {1} phút",
        "No activity of {0} for {1} minutes",
    ),
    (
        re.compile(r"(\d+) failed sign-ins in a row: slowed down for (\S+) minutes"),
        "{0} lần đăng nhập sai liên tiếp: tạm khóa {1} phút",
        "{0} failed sign-ins in a row: slowed down for {1} minutes",
    ),
)
# Who did it, when it was not a signed-in person.
ACTOR: dict[str, Label] = {
    "system:assistant": ("Trợ lý tự động", "The assistant"),
    "system:gateway": ("Cổng tin nhắn", "Message gateway"),
    "gateway": ("Cổng tin nhắn", "Message gateway"),
    "system:gateway-retry": ("Cổng tin nhắn (gửi lại)", "Message gateway (retry)"),
    "system:retention": ("Xóa định kỳ", "Retention job"),
    "system:handoff-idle": ("Tự trả lại khi không hoạt động", "Idle hand-back"),
    "system:cli": ("Quản trị (dòng lệnh)", "Administrator (command line)"),
    "system:console-login": ("Người chưa đăng nhập", "Someone not signed in"),
    "system:routing": ("Bộ điều phối cảnh báo", "Alert router"),
}
SUBJECT: dict[str, Label] = {
    "intake": ("Hồ sơ", "Case"),
    "conversation": ("Hội thoại", "Conversation"),
    "message": ("Tin nhắn", "Message"),
    "staff": ("Cán bộ", "Staff"),
    "console_user": ("Tài khoản", "Account"),
    "call": ("Cuộc gọi", "Call"),
    "canned_reply": ("Câu trả lời mẫu", "Canned reply"),
}

# The agencies a case is referred to (intake_store.casework.AGENCIES holds the codes): their own
# Vietnamese names, and in English what they are, with the name an English reader will meet.
AGENCY: dict[str, Label] = {
    "cong_an": ("Công an", "Police (Công an)"),
    "bien_phong": ("Bộ đội Biên phòng", "Border guard (Biên phòng)"),
    "canh_sat_bien": ("Cảnh sát biển", "Coast guard (Cảnh sát biển)"),
    "ubnd_xa": ("UBND xã", "Commune People's Committee (UBND xã)"),
    "ttctxh": ("Trung tâm Công tác xã hội", "Social work centre (Trung tâm CTXH)"),
    "so_y_te": ("Sở Y tế", "Provincial Department of Health (Sở Y tế)"),
    "tro_giup_phap_ly": ("Trợ giúp pháp lý", "Legal aid (Trợ giúp pháp lý)"),
    "hoi_lhpn": ("Hội LHPN", "Women's Union (Hội LHPN)"),
    "ngo_shelter": ("Nhà tạm lánh (NGO)", "Shelter (NGO)"),
}

VOCABULARIES: dict[str, Mapping[str, Label]] = {
    "agency": AGENCY,
    "triage": TRIAGE,
    "status": STATUS,
    "referral_status": REFERRAL_STATUS,
    "reason": URGENT_REASON,
    "channel": CHANNEL,
    "contact_method": CHANNEL,
    "category": CATEGORY,
    "at_risk": AT_RISK,
    "age_band": AGE_BAND,
    "return_mode": RETURN_MODE,
    "discovery": DISCOVERY,
    "route": ROUTE,
    "source": SOURCE,
    "origin": ORIGIN,
    "caller_relation": CALLER_RELATION,
    "call_status": CALL_STATUS,
    "matched_by": MATCHED_BY,
    "role": ROLE,
    "shift_kind": SHIFT_KIND,
    "yes_no": YES_NO,
    "alert_status": ALERT_STATUS,
    "language": LANGUAGE,
    "dimension": DIMENSION,
    "audit_action": AUDIT_ACTION,
    "audit_reason": AUDIT_REASON,
    "timeline": TIMELINE,
    "actor": ACTOR,
    "subject": SUBJECT,
}
# Statistics dimensions whose values are codes (province names and months are shown as they are).
DIMENSION_VOCABULARY = {
    "origin": "origin",
    "source": "source",
    "channel": "channel",
    "triage": "triage",
    "category": "category",
    "return_mode": "return_mode",
    "discovery": "discovery",
    "route": "route",
}
UNKNOWN: Label = ("Chưa rõ", "Unknown")


def _index(lang: str) -> int:
    return 1 if lang == "en" else 0


def _key(code: object) -> str:
    if code is None:
        return "none"
    if isinstance(code, bool):
        return "true" if code else "false"
    return str(code)


def label(vocabulary: str, code: object, lang: str = "vi") -> str:
    """The words for ``code``; an unknown code is shown as it is (better than hiding it)."""
    pair = VOCABULARIES[vocabulary].get(_key(code))
    return pair[_index(lang)] if pair else _key(code)


def labels(vocabulary: str, codes: object, lang: str = "vi") -> str:
    """A list of codes as one line: "Bị giam giữ, Bị giữ giấy tờ"."""
    if not codes:
        return ""
    return ", ".join(label(vocabulary, code, lang) for code in codes)  # type: ignore[attr-defined]


def audit_reason(reason: str | None, lang: str = "vi") -> str:
    """A reason the system wrote, in words; an operator's own reason as they typed it."""
    if not reason:
        return ""
    fixed = AUDIT_REASON.get(reason)
    if fixed:
        return fixed[_index(lang)]
    for pattern, vi, en in _REASON_PATTERNS:
        found = pattern.fullmatch(reason)
        if found:
            groups = found.groups()
            if "{triage}" in vi:
                return (vi, en)[_index(lang)].format(triage=label("triage", groups[0], lang))
            if "{source}" in vi:
                return (vi, en)[_index(lang)].format(source=label("source", groups[0], lang))
            return (vi, en)[_index(lang)].format(*groups)
    return reason


def actor(name: str | None, lang: str = "vi", staff_names: Mapping[int, str] | None = None) -> str:
    """A username as it is; the system's own actors and ``staff:N`` (Telegram) in words."""
    if not name:
        return ""
    fixed = ACTOR.get(name)
    if fixed:
        return fixed[_index(lang)]
    if name.startswith("staff:"):
        number = name.removeprefix("staff:")
        known = (staff_names or {}).get(int(number)) if number.isdigit() else None
        via = "qua Telegram" if lang != "en" else "via Telegram"
        return f"{known} ({via})" if known else ("Cán bộ trực", "On-duty staff")[_index(lang)]
    if name.startswith("system:"):
        return ("Hệ thống", "System")[_index(lang)]
    return name


def month(value: str) -> str:
    """'2026-12' (the store's month bucket) -> '12/2026'."""
    year, _, number = value.partition("-")
    return f"{number}/{year}" if number else value


def statistic_value(dimension: str, value: str, lang: str = "vi") -> str:
    if dimension == "month":
        return month(value)
    if dimension == "total":
        return ("Tất cả", "All")[_index(lang)]
    vocabulary = DIMENSION_VOCABULARY.get(dimension)
    if vocabulary:
        return label(vocabulary, value, lang)
    return UNKNOWN[_index(lang)] if value == "unknown" else value


def for_language(lang: str) -> dict[str, Callable[..., str]]:
    """The template helpers, bound to the page's language."""
    return {
        "label": lambda vocabulary, code: label(vocabulary, code, lang),
        "labels": lambda vocabulary, codes: labels(vocabulary, codes, lang),
        "audit_reason": lambda reason: audit_reason(reason, lang),
        "actor": lambda name, staff_names=None: actor(name, lang, staff_names),
        "statistic_value": lambda dimension, value: statistic_value(dimension, value, lang),
    }
