"""Each form's questions in order, with the Vietnamese label staff read in the intake summary.

An empty label: the answer is a yes/no that lives in its own intake field, not in the summary.
"""

from __future__ import annotations

URGENT_LABELS = {
    "urgent_location": "Đang ở đâu",
    "urgent_people": "Số người",
    "urgent_minor": "Có người dưới 18 tuổi",
    "urgent_safe_contact": "Cán bộ có thể liên hệ qua kênh này",
    "urgent_contact_time": "Lúc an toàn để liên hệ",
}
REPORT_LABELS = {
    "report_what": "Đã thấy gì",
    "report_where": "Ở đâu",
    "report_who": "Ai có nguy cơ",
    "report_when": "Khi nào",
    "report_how_known": "Biết qua đâu",
    "report_recruiter": "Người/đường dẫn/số điện thoại nghi vấn",
    "report_anonymous": "",
    "report_contact": "Liên hệ người báo",
    "report_confirm": "",
}
HELP_LABELS = {
    "help_needs": "Cần hỗ trợ",
    "help_group": "Thuộc nhóm",
    "help_location": "Đang sống ở",
    "help_consent": "",
}
# One intake can gather answers from several forms (a tip that turns urgent): the summary keeps all.
ALL_LABELS = {**URGENT_LABELS, **REPORT_LABELS, **HELP_LABELS}
FORM_SLOTS = tuple(ALL_LABELS)

# Slot values that are codes, in the words staff read in the summary (never "yes" or "victim").
SUMMARY_WORDS = {
    "yes": "có",
    "no": "không",
    "victim": "nạn nhân",
    "being_identified": "người đang được xác định là nạn nhân",
    "child": "trẻ em đi cùng nạn nhân",
    "family": "người nhà của nạn nhân",
}
CODED_SLOTS = frozenset({"urgent_minor", "urgent_safe_contact", "help_group"})
