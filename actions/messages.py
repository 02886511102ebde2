"""What the assistant says, in Vietnamese and English.

Only sourced facts: 111 is the national anti-trafficking hotline (free, 24/7; Bộ Y tế, 19/9/2025);
113 is the police emergency number; the support regimes are those of Điều 37, Luật Phòng, chống
mua bán người 2024 (53/2024/QH15), with no amounts (none is confirmed for the hardship allowance).
"""

from __future__ import annotations

Texts = dict[str, str]

URGENT_RECEIVED: Texts = {
    "vi": (
        "Chúng tôi đã nhận tin của bạn và đang báo ngay cho cán bộ trực. "
        "Nếu có người đang theo dõi, đừng trả lời và để điện thoại im lặng. "
        "Khi có thể, hãy gọi 111 (Tổng đài quốc gia phòng, chống mua bán người, miễn phí, 24/7) "
        "hoặc 113 (Công an)."
    ),
    "en": (
        "We have received your message and are alerting the on-duty staff now. "
        "If someone is watching you, do not reply and keep your phone silent. "
        "When you can, call 111 (Vietnam's national anti-trafficking hotline, free, 24/7) "
        "or 113 (police)."
    ),
}

URGENT_REFERENCE: Texts = {
    "vi": "Mã hồ sơ của bạn: {reference}. Khi an toàn, hãy cho biết bạn đang ở đâu.",
    "en": "Your case code: {reference}. When it is safe, tell us where you are.",
}

REPORT_RECEIVED: Texts = {
    "vi": (
        "Cảm ơn bạn đã báo tin. Chúng tôi đã ghi nhận, mã hồ sơ: {reference}. "
        "Cán bộ sẽ xem xét và chuyển cơ quan chức năng. Nếu ai đó đang gặp nguy hiểm ngay, "
        "hãy gọi 111 hoặc 113."
    ),
    "en": (
        "Thank you for reporting this. We have recorded it, case code: {reference}. "
        "Staff will review it and pass it to the authorities. If someone is in danger now, "
        "call 111 or 113."
    ),
}

HELP_RECEIVED: Texts = {
    "vi": (
        "Chúng tôi đã ghi nhận yêu cầu hỗ trợ của bạn, mã hồ sơ: {reference}. "
        "Cán bộ công tác xã hội sẽ xem xét. Theo Luật Phòng, chống mua bán người 2024 (Điều 37), "
        "nạn nhân có thể được hỗ trợ nhu cầu thiết yếu, y tế, tâm lý, trợ giúp pháp lý miễn phí, "
        "chi phí đi lại, học văn hóa, học nghề và việc làm. Bạn có quyền nhận hoặc từ chối hỗ trợ."
    ),
    "en": (
        "We have recorded your request for support, case code: {reference}. A social worker will "
        "review it. Under Vietnam's 2024 Law on Human Trafficking Prevention (Article 37), victims "
        "can receive essential needs, medical and psychological care, free legal aid, travel "
        "home, schooling, vocational training and job support. You may accept or refuse support."
    ),
}

QUESTION_FALLBACK: Texts = {
    "vi": (
        "Tôi chưa có câu trả lời chắc chắn cho câu hỏi này. Bạn có thể gọi 111 (miễn phí, 24/7) "
        "để được tư vấn, hoặc hỏi tôi về dấu hiệu lừa đảo, quyền được hỗ trợ của nạn nhân."
    ),
    "en": (
        "I don't have a reliable answer to that yet. You can call 111 (free, 24/7) for advice, "
        "or ask me about warning signs or victims' right to support."
    ),
}

OTHER_REPLIES: dict[str, Texts] = {
    "greet": {
        "vi": (
            "Xin chào, đây là Chung Tay. Bạn có thể báo tin nghi mua bán người, xin hỗ trợ, "
            "hoặc hỏi về cách phòng tránh. Nếu đang gặp nguy hiểm, hãy gọi 111 hoặc 113."
        ),
        "en": (
            "Hello, this is Chung Tay. You can report suspected trafficking, ask for support, or "
            "ask how to stay safe. If you are in danger, call 111 or 113."
        ),
    },
    "thank": {
        "vi": "Không có gì. Khi cần, bạn cứ nhắn lại hoặc gọi 111 (miễn phí, 24/7).",
        "en": "You're welcome. Message us again any time, or call 111 (free, 24/7).",
    },
    "goodbye": {
        "vi": 'Chúc bạn an toàn. Bạn có thể nhắn lại bất cứ lúc nào; gõ "xóa" để xóa dữ liệu.',
        "en": 'Stay safe. You can message again any time; type "delete" to erase your data.',
    },
    "default": {
        "vi": (
            "Tôi có thể giúp bạn: báo tin nghi mua bán người, xin hỗ trợ cho bạn hoặc người thân, "
            "hoặc trả lời câu hỏi về phòng, chống mua bán người. Bạn cần gì?"
        ),
        "en": (
            "I can help you report suspected trafficking, ask for support for you or a relative, "
            "or answer questions about trafficking. What do you need?"
        ),
    },
}


def pick(texts: Texts, language: str, **values: str) -> str:
    """The text in the person's language (Vietnamese unless they wrote English)."""
    template = texts["en"] if language == "en" else texts["vi"]
    return template.format(**values) if values else template


REPORT_INTRO: Texts = {
    "vi": (
        "Cảm ơn bạn đã báo tin. Mình hỏi thêm vài câu ngắn để cán bộ xác minh. "
        'Câu nào không muốn trả lời, bạn gõ "bỏ qua"; gõ "dừng" để kết thúc bất cứ lúc nào.'
    ),
    "en": (
        "Thank you for reporting this. A few short questions will help staff check it. "
        'Type "skip" for any question you do not want to answer, or "stop" to end at any time.'
    ),
}

HELP_INTRO: Texts = {
    "vi": (
        "Mình sẽ giúp bạn. Vài câu hỏi ngắn để biết bạn cần gì và được hưởng chế độ nào. "
        'Câu nào không muốn trả lời, bạn gõ "bỏ qua"; gõ "dừng" để kết thúc.'
    ),
    "en": (
        "We will help you. A few short questions tell us what you need and what you are "
        'entitled to. Type "skip" for any question, or "stop" to end.'
    ),
}

# A tip told in the first message: its "what did you see?" is not asked again.
TIP_NOTED: Texts = {
    "vi": "Mình đã ghi lại điều bạn kể.",
    "en": "Noted what you told us.",
}

# The support a help request named ("giờ chị cần làm lại giấy tờ"): confirmed, not asked again; the
# person can add more at the end or to staff.
NEEDS_NOTED: Texts = {
    "vi": "Mình đã ghi bạn cần hỗ trợ: {needs}.",
    "en": "Noted: you need help with {needs}.",
}

# New danger told as an answer to an urgent case's questions: it joins the case at once, and the
# person hears the numbers again before the next question (they may have missed the first reply).
URGENT_STILL: Texts = {
    "vi": (
        "Mình đã báo thêm điều này cho cán bộ trực. Nếu đang nguy hiểm, hãy gọi ngay 113 (Công an) "
        "hoặc 111 (miễn phí, 24/7); có người theo dõi thì đừng trả lời."
    ),
    "en": (
        "The on-duty staff have this now too. If you are in danger, call 113 (police) or 111 "
        "(free, 24/7) now; if someone is watching, do not reply."
    ),
}

URGENT_FOLLOWUP_DONE: Texts = {
    "vi": (
        "Cảm ơn bạn. Cán bộ trực đã có thông tin này. Hãy giữ an toàn; nếu có người theo dõi, "
        "đừng trả lời. Gọi 111 hoặc 113 khi có thể."
    ),
    "en": (
        "Thank you. The on-duty staff have this information. Stay safe; if someone is watching, "
        "do not reply. Call 111 or 113 when you can."
    ),
}

HELP_SAVED: Texts = {
    "vi": (
        "Chúng tôi đã ghi nhận yêu cầu hỗ trợ của bạn, mã hồ sơ: {reference}. Cán bộ công tác xã "
        "hội sẽ xem xét. Bạn có quyền nhận hoặc từ chối hỗ trợ."
    ),
    "en": (
        "We have recorded your request for support, case code: {reference}. A social worker will "
        "review it. You may accept or refuse support."
    ),
}

STOPPED: Texts = {
    "vi": (
        "Mình dừng ở đây. Những gì bạn đã gửi được giữ lại để cán bộ hỗ trợ{reference}. "
        'Bạn có thể nhắn lại bất cứ lúc nào; gõ "xóa" nếu muốn xóa dữ liệu. Nếu nguy hiểm, gọi 111 '
        "hoặc 113."
    ),
    "en": (
        "We'll stop here. What you already sent is kept so staff can help{reference}. Message us "
        'again any time; type "delete" to erase your data. If you are in danger, call 111 or 113.'
    ),
}
STOPPED_REFERENCE: Texts = {"vi": " (mã hồ sơ {reference})", "en": " (case code {reference})"}

HANDOFF: Texts = {
    "vi": (
        "Mình đã chuyển cuộc trò chuyện cho cán bộ, mã hồ sơ: {reference}. Cán bộ sẽ trả lời "
        "tại đây khi có thể. Nếu cần nói chuyện ngay, gọi 111 (miễn phí, 24/7)."
    ),
    "en": (
        "We have passed this conversation to a staff member, case code: {reference}. They will "
        "answer here when they can. To talk to someone now, call 111 (free, 24/7)."
    ),
}

ERASE_EXPLAIN: Texts = {
    "vi": (
        "Nếu xóa, chúng tôi xóa nội dung tin nhắn, thông tin liên lạc và chi tiết cá nhân trong "
        "hồ sơ của cuộc trò chuyện này; không thể khôi phục. Cán bộ sẽ không liên hệ lại được. "
        "Bạn có chắc muốn xóa không?"
    ),
    "en": (
        "Erasing removes the messages, contact details and personal details in the case of this "
        "conversation; it cannot be undone, and staff will no longer be able to reach you. "
        "Are you sure you want to erase?"
    ),
}
ERASE_BUTTONS: dict[str, Texts] = {
    "yes": {"vi": "Có, xóa", "en": "Yes, erase"},
    "no": {"vi": "Không xóa", "en": "Don't erase"},
}
ERASED: Texts = {
    "vi": "Đã xóa dữ liệu của cuộc trò chuyện này. Chúc bạn an toàn; khi cần, gọi 111 hoặc 113.",
    "en": "This conversation's data has been erased. Stay safe; if you need help, call 111 or 113.",
}
KEPT: Texts = {
    "vi": "Mình không xóa gì cả. Bạn cứ nhắn tiếp nhé.",
    "en": "Nothing was erased. You can go on.",
}

RETURNING_FOUND: Texts = {
    "vi": (
        "Chào bạn trở lại. Mình đã tìm thấy hồ sơ {reference}; "
        "những gì bạn nhắn tiếp sẽ được ghi vào hồ sơ này."
    ),
    "en": "Welcome back. We found case {reference}; what you send next goes into that case.",
}
# A code typed anywhere but in its case's own conversation: the same words whether the code is
# real, made up or over the lookup limits, promising nothing about it.
RETURNING_NOTED: Texts = {
    "vi": "Cảm ơn, cán bộ sẽ kiểm tra mã này. Nếu bạn cần thêm gì, hãy nhắn ở đây.",
    "en": "Thank you, staff will check this code. If you need anything else, write here.",
}
WELCOME_BACK: Texts = {
    "vi": "Chào bạn. Hồ sơ {reference} của bạn vẫn đang mở; bạn cứ nhắn tiếp.",
    "en": "Hello again. Your case {reference} is still open; go ahead.",
}

# A feeling said instead of an answer: a word of comfort, then the same question again.
COMFORT: Texts = {
    "vi": (
        "Mình hiểu, bạn đang rất lo sợ. Bạn không có lỗi gì cả và bạn không một mình: cán bộ sẽ "
        'hỗ trợ bạn. Khi sẵn sàng, bạn trả lời câu dưới đây, hoặc gõ "bỏ qua". Nếu đang nguy '
        "hiểm, gọi 113 (Công an) hoặc 111."
    ),
    "en": (
        "I understand, you are very frightened. None of this is your fault and you are not alone: "
        'staff will help you. When you are ready, answer the question below, or type "skip". If '
        "you are in danger now, call 113 (police) or 111."
    ),
}
# A feeling said with an answer ("em sợ lắm, nó ở Móng Cái"): the answer is kept, with comfort.
COMFORT_SHORT: Texts = {
    "vi": (
        "Mình hiểu, bạn đang rất lo sợ. Bạn không có lỗi gì cả và bạn không một mình: cán bộ sẽ "
        "hỗ trợ bạn."
    ),
    "en": (
        "I understand, you are very frightened. None of this is your fault and you are not alone: "
        "staff will help you."
    ),
}
COMFORT_NOTED: Texts = {
    "vi": COMFORT_SHORT["vi"] + " Mình đã ghi lại điều bạn vừa kể.",
    "en": COMFORT_SHORT["en"] + " I have noted what you told me.",
}
REPORT_ANSWER_AGAIN: Texts = {
    "vi": (
        'Mình hỏi lại từng câu để bạn sửa. Câu nào đã đúng thì gõ "bỏ qua". Những gì bạn đã kể '
        'vẫn được giữ cho cán bộ; muốn xóa hết, gõ "xóa".'
    ),
    "en": (
        'I will ask each question again so you can correct it. Type "skip" for any that was '
        'right. What you told us is kept for staff; to erase it all, type "erase".'
    ),
}
# A place said to accept the case offered after an answer (actions/offers.py), kept as its answer.
PLACE_NOTED: Texts = {
    "vi": "Mình đã ghi lại nơi bạn cho biết.",
    "en": "I have noted the place you gave.",
}
# A reply that answers another question of the form ("ở xã Bản Lầu" to "what did you see?"): kept
# there; the question asked comes again after this line.
NOTED_FOR_ANOTHER_QUESTION: Texts = {
    "vi": "Mình đã ghi lại điều này. Còn câu hỏi này:",
    "en": "Noted. And this question:",
}
DETAILS_PLEASE: Texts = {
    "vi": (
        "Cảm ơn bạn. Bạn gõ giúp đường link, số điện thoại hoặc tên đó vào đây nhé (chỉ những gì "
        'bạn thấy an toàn), hoặc gõ "bỏ qua".'
    ),
    "en": (
        "Thank you. Please type the link, phone number or name here (only what feels safe to "
        'share), or type "skip".'
    ),
}
NOT_A_PLACE: Texts = {
    "vi": (
        "Mình chưa nhận ra nơi này. Bạn ghi giúp tên tỉnh, huyện, xã hoặc nước (ví dụ: "
        '"xã Yên Thành, Nghệ An" hoặc "Campuchia"), hoặc gõ "bỏ qua".'
    ),
    "en": (
        "I did not recognise that place. Please write the province, district, commune or country "
        '(for example "Nghe An" or "Cambodia"), or type "skip".'
    ),
}
# A plain thank-you inside a form: a word back, then the same question (never kept as the answer).
THANKS_IN_FORM: Texts = {
    "vi": "Không có gì ạ. Mình quay lại câu hỏi lúc nãy nhé.",
    "en": "You're welcome. Back to the question I asked.",
}
BACK_TO_QUESTION: Texts = {
    "vi": "Mình quay lại câu hỏi lúc nãy nhé.",
    "en": "Back to the question I asked.",
}
# After answering a question that read like a tip or a request: the next steps, as buttons.
NEXT_STEPS: Texts = {
    "vi": (
        "Bạn có muốn báo tin này để cán bộ kiểm tra, xin hỗ trợ, hoặc nói chuyện với cán bộ không?"
    ),
    "en": "Would you like staff to check this, to ask for support, or to talk to a person?",
}
NEXT_STEP_BUTTONS: tuple[tuple[Texts, str], ...] = (
    ({"vi": "Báo tin cho cán bộ", "en": "Report it"}, "/report_tip"),
    ({"vi": "Xin hỗ trợ", "en": "Ask for support"}, "/request_support"),
    ({"vi": "Gặp cán bộ", "en": "Talk to a person"}, "/human_handoff"),
)


def buttons(choices: tuple[tuple[Texts, str], ...], language: str) -> list[dict[str, str]]:
    """A reply's buttons, each title in the person's language."""
    return [{"title": pick(title, language), "payload": payload} for title, payload in choices]


# A support request asked as a question, answered and then filed at once (actions/help_requests.py):
# the form is offered, not started; the person is not promised a call (contact needs their consent).
REQUEST_NOTED: Texts = {
    "vi": (
        "Mình đã ghi lại yêu cầu hỗ trợ của bạn (mã hồ sơ {reference}) để cán bộ xem. Nếu bạn "
        "muốn, mình hỏi thêm vài câu ngắn (cần gì, ở đâu, liên hệ thế nào) để chuyển đúng nơi."
    ),
    "en": (
        "I have noted your request for support (case {reference}) for staff to see. If you "
        "like, a few short questions (what you need, where you are, how to reach you) help us "
        "pass it to the right place."
    ),
}
REQUEST_NOTED_BUTTONS: tuple[tuple[Texts, str], ...] = (
    ({"vi": "Trả lời vài câu", "en": "Answer a few questions"}, "/request_support"),
    ({"vi": "Gặp cán bộ", "en": "Talk to a person"}, "/human_handoff"),
)
# What the person writes after a form ended joins their case.
ADDED_TO_CASE: Texts = {
    "vi": (
        "Mình đã ghi thêm thông tin này vào hồ sơ {reference}; cán bộ sẽ thấy. Nếu đang nguy "
        "hiểm, gọi 113 hoặc 111."
    ),
    "en": (
        "I have added this to case {reference}; staff will see it. If you are in danger now, "
        "call 113 or 111."
    ),
}
# A message in another language that opens a case: a short line in it first. Danger now also
# gets the numbers in Vietnamese after it (someone nearby may read them); a tip or a request for
# support goes on in English. Only 113 (police) and 111 (the national anti-trafficking hotline,
# free, 24/7): no other number.
URGENT_OTHER_LANGUAGE: dict[str, str] = {
    "en": (
        "We have received your message and a staff member will read it. If someone is watching "
        "you, do not reply and keep your phone silent. "
        "Call 113 (police) or 111 (anti-trafficking hotline, free, 24/7)."
    ),
    "zh": (
        "我们已收到您的消息，工作人员会尽快查看。"
        "请拨打 113（警察）或 111（反拐卖人口热线，免费，全天24小时）。"
    ),
    "th": (
        "เราได้รับข้อความของคุณแล้ว เจ้าหน้าที่จะอ่านข้อความของคุณ "
        "โทร 113 (ตำรวจ) หรือ 111 (สายด่วนต่อต้านการค้ามนุษย์ ฟรี ตลอด 24 ชั่วโมง)"
    ),
    "km": (
        "យើងបានទទួលសាររបស់អ្នកហើយ បុគ្គលិកនឹងអានវា។ "
        "សូមទូរស័ព្ទទៅលេខ 113 (ប៉ូលិស) ឬ 111 (ខ្សែទូរស័ព្ទប្រឆាំងការជួញដូរមនុស្ស ឥតគិតថ្លៃ 24 ម៉ោង)។"
    ),
    "lo": (
        "ພວກເຮົາໄດ້ຮັບຂໍ້ຄວາມຂອງທ່ານແລ້ວ ພະນັກງານຈະອ່ານມັນ. "
        "ໂທ 113 (ຕຳຫຼວດ) ຫຼື 111 (ສາຍດ່ວນຕ້ານການຄ້າມະນຸດ, ບໍ່ເສຍຄ່າ, 24 ຊົ່ວໂມງ)."
    ),
    # Burmese, in the plain words Myanmar's own anti-trafficking notices use: "we have received
    # your message; staff will read it. Call 113 (police) or 111 (anti-trafficking phone line,
    # free, 24 hours)."
    "my": (
        "သင့်စာကို ရရှိပါပြီ။ ဝန်ထမ်းက ဖတ်ပါမည်။ "
        "113 (ရဲ) သို့မဟုတ် 111 (လူကုန်ကူးမှု တိုက်ဖျက်ရေး ဖုန်းလိုင်း၊ အခမဲ့၊ 24 နာရီ) ကို ဖုန်းခေါ်ပါ။"
    ),
}
# A question in a script we have no answers in: first the numbers in the person's language (the
# same words as the urgent line above), then the answer in English, which more of them read than
# Vietnamese.
HOTLINE_OTHER_LANGUAGE: dict[str, str] = {
    "zh": "请拨打 113（警察）或 111（反拐卖人口热线，免费，全天24小时）。",
    "th": "โทร 113 (ตำรวจ) หรือ 111 (สายด่วนต่อต้านการค้ามนุษย์ ฟรี ตลอด 24 ชั่วโมง)",
    "km": "សូមទូរស័ព្ទទៅលេខ 113 (ប៉ូលិស) ឬ 111 (ខ្សែទូរស័ព្ទប្រឆាំងការជួញដូរមនុស្ស ឥតគិតថ្លៃ 24 ម៉ោង)។",
    "lo": "ໂທ 113 (ຕຳຫຼວດ) ຫຼື 111 (ສາຍດ່ວນຕ້ານການຄ້າມະນຸດ, ບໍ່ເສຍຄ່າ, 24 ຊົ່ວໂມງ).",
    "my": "113 (ရဲ) သို့မဟုတ် 111 (လူကုန်ကူးမှု တိုက်ဖျက်ရေး ဖုန်းလိုင်း၊ အခမဲ့၊ 24 နာရီ) ကို ဖုန်းခေါ်ပါ။",
}
# Scripts with a line of their own above: after it, the assistant writes to them in English.
OTHER_SCRIPTS = frozenset(HOTLINE_OTHER_LANGUAGE)
URGENT_VIETNAMESE_LINE = (
    "Gọi 113 (Công an) hoặc 111 (Tổng đài quốc gia phòng, chống mua bán người, miễn phí, 24/7). "
    "Cán bộ trực sẽ xem tin nhắn của bạn."
)
