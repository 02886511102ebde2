"""nlu.question.is_question: what asks something, in every written form, and what only looks so."""

from __future__ import annotations

from nlu.question import is_question

QUESTIONS = [
    "Công ty này tuyển người đi Lào có lừa đảo không?",  # accented, question mark
    "cty ben lao tuyen nv bao ve may bay co dang tin ko",  # no diacritics, teencode
    "co dang tin k",
    "làm lại giấy tờ ở đâu",
    "trinh bao o dau",
    "thông tin của tôi có được giữ bí mật không",
    "co nha tam lanh nao hok",
    "lam s de biet cty that hay gia",
    "nan nhan duoc ho tro j",
    "ho tro bao nhieu tien",
    "bao gio thi co ket qua",
    "cho em hoi ve nha tam lanh",
    "is it safe to work in Cambodia",
    "How do I report a recruiter",
    "có người rủ em đi Đài Loan làm điều dưỡng, phí 5 triệu, có đáng tin không ạ",
    "cty nay tuyen nguoi di cam luong 30tr co lua dao ko vay chi",
    "ben do bao an o mien phi, co uy tin khong ad oi",
    "Tôi muốn biết các dấu hiệu một công ty môi giới lừa đảo",
    "minh muon tim hieu ve luat phong chong mua ban nguoi",
    "từ nhà em lên cửa khẩu bao xa",
    "cty do co uy tin Hong",  # a particle written with a capital after a phrase that asks
    "Ho giu giay to vay co dc Ko",
]
NOT_QUESTIONS = [
    "không",  # the answer to a yes/no question
    "ko",
    "chưa",
    "không sao",
    "dung",
    "em bi dau lam",  # đau (pain), not đâu
    "họ hỏi em có muốn đi làm không",  # reported speech
    "con toi bi lua sang cpc, can giup do",  # "cần" is not "can I"
    "co nguoi ru em di lam o dau cung duoc",  # "ở đâu cũng" is "anywhere"
    "chua bao gio nghe ve ho",
    "o Nghe An",
    "em sợ lắm",
    "không ạ",
    "ko a, cam on",
    "em không biết đâu ạ",
    "chồng tôi đi làm bên Nhật, điện thoại khi được khi không",  # sometimes yes, sometimes no
    "nhà tôi đã báo xã từ tháng trước nhưng chưa thấy gì",  # báo xã, not "bao xa"
    "da bao xa roi ma chua co tin",
    # Tân Hồng typed without accents ends in "Hong", which teencode reads as "không": a name.
    "xa Phu Loc, Tan Hong",
    "em o Tan Hong",
]


def test_questions_in_every_written_form() -> None:
    assert [text for text in QUESTIONS if not is_question(text)] == []


def test_answers_and_statements_are_not_questions() -> None:
    assert [text for text in NOT_QUESTIONS if is_question(text)] == []
