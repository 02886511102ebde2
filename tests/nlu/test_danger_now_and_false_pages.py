"""Issue 16, fourth round: kinds an independent set found, in every written form. Danger seen now
or within hours is urgent (a child gone two days after an online job offer, a woman seen chained
just now, a newborn to be handed to a "customer" this afternoon, a minor married off and fetched
tomorrow); what others told of earlier, a ransom already paid, a feeling, an escape that ended at
home, a witness's tip and an off-topic time word are not pages. Sentences written for these tests
(not from nlu/data or any test set)."""

from __future__ import annotations

import unicodedata

import pytest

from nlu import other_scripts
from nlu.question import asks_for_answer, is_question, says_reporting
from nlu.urgency import assess, detect_urgency


def _forms(text: str) -> list[str]:
    """The accented sentence, its NFD and its upper case: the net must read them alike."""
    return [text, unicodedata.normalize("NFD", text), text.upper()]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # A child gone for a day or two after an online contact promised a job.
        (
            "Cháu tôi 14 tuổi rời nhà từ hôm kia, trước đó hay nhắn tin với một người trên "
            "Zalo hứa xin việc phụ quán, giờ máy cháu tắt",
            "child_missing_recent",
        ),
        (
            "thang be nha em 15 tuoi bo nha di 2 hom nay, no chat voi ai do tren fb hua cho "
            "viec luong cao, goi thi tat may",
            "child_missing_recent",
        ),
        (
            "e gái e 13t bỏ nhà đi từ hôm kia, nt vs 1 ng trên mạng, h tắt máy r",
            "child_missing_recent",
        ),
        # A witness who has just seen someone chained, tied or locked up.
        (
            "Tôi vừa nhìn thấy một phụ nữ bị xích chân sau nhà ông bán gà, nghe nói ông mua cô ấy",
            "confinement",
        ),
        ("minh moi thay co gai bi troi tay trong kho nha lao chu, han mua co ay ve", "confinement"),
        ("Tôi vừa thấy anh ta khóa người vợ mua về trong chuồng lợn", "confinement"),
        # A newborn to be handed over to a "customer" today.
        (
            "Tôi trực ở trạm y tế, có cô gái bầu được đưa tới đẻ, chiều nay họ giao đứa bé cho "
            "khách",
            "forced_birth_or_baby_sale",
        ),
        (
            "toi nay ben phong kham se trao em be moi sinh cho nguoi mua",
            "forced_birth_or_baby_sale",
        ),
        ("they will hand the newborn to a customer this evening", "forced_birth_or_baby_sale"),
        # A minor married off for money and fetched within a day.
        ("em 15 tuổi, ba em lấy tiền gả em cho ông Hàn Quốc, sáng mai họ tới đón em", "being_sold"),
        ("e 14t, me e nhan tien roi bat e lay chong nguoi TQ, mai ho den bat e di", "being_sold"),
        ("mai người ta đến rước em đi, bố đã nhận tiền gả em cho người nước ngoài", "being_sold"),
        (
            "I'm 14, my dad took money to marry me to a foreigner, tomorrow they come to take me",
            "being_sold",
        ),
        # Kept from going home ("không cho về, rồi …"), driven toward the border ("chạy về phía"):
        # not someone back home.
        (
            "chị tôi vừa gọi về khóc, nói chủ giữ lại không cho về, rồi máy bị giật mất",
            "confinement",
        ),
        ("xe đang chạy về phía cửa khẩu, mấy đứa con gái bị trói tay ở ghế sau", "confinement"),
    ],
)
def test_danger_seen_now_or_within_hours_is_urgent(text: str, reason: str) -> None:
    for form in _forms(text):
        assert reason in detect_urgency(form), form


@pytest.mark.parametrize(
    "text",
    [
        # What earlier returnees told, about a recruiter who recruits again.
        (
            "Ông Tư ở bến cá đang tuyển người đi tàu xa bờ, đợt trước mấy anh đi về kể bị giữ "
            "giấy tờ, "
            "không được trả lương"
        ),
        (
            "co mot ong dang tuyen thuyen vien di bien xa, nhung nguoi di truoc ve ke la bi thu ho "
            "chieu"
        ),
        (
            "A man is recruiting crew for deep-sea boats again; the men who came back said they "
            "had "
            "their papers kept"
        ),
        # A ransom already paid for a son who is home.
        (
            "Con trai tôi được cứu về rồi, nhà tôi đã vay mấy trăm triệu trả tiền chuộc, giờ nợ "
            "chồng "
            "chất"
        ),
        "con toi ve nha roi nhung gia dinh no nan vi da tra tien chuoc, mong duoc ho tro",
        "My son is back home, we borrowed to pay the ransom and now we are in debt",
        # A feeling, not a threat.
        "Em gái tôi được giải cứu về, cháu còn sợ hãi, gia đình rất lo",
        "chi toi duoc dua ve roi, chi ay so hai nguoi la",
        # An escape that ended at home.
        (
            "I escaped from a scam compound last spring, I'm back in Vietnam now and safe, I need "
            "a "
            "job"
        ),
        "I ran away from the factory in Malaysia, I am home now, I need help with my papers",
        # Back ("về được rồi"), or gone for years with no new sign ("giờ vẫn chưa về"): no page.
        "chồng tôi từng bị ép làm ở xưởng bên Lào, về được rồi nhưng hay mất ngủ, cần tư vấn",
        "bác tôi kể có người cùng làng bị bán qua Trung Quốc mười năm trước, giờ vẫn chưa về",
    ],
)
def test_harm_told_of_others_or_over_is_not_a_page(text: str) -> None:
    for form in _forms(text):
        assert detect_urgency(form) == [], form


@pytest.mark.parametrize(
    "text",
    [
        "Tôi thấy một người đàn ông dắt ba đứa nhỏ đi xin tiền ở bến xe, cuối ngày thu hết tiền",
        "xuong may dau ngo cho may dua tre lam tu sang toi khuya",
        "CÔNG TY XUẤT KHẨU LAO ĐỘNG Ở THỊ XÃ THU TIỀN CỌC CỦA CẢ LÀNG RỒI ĐÓNG CỬA BỎ TRỐN",
        "I saw a woman leading small children to beg at the night market",
    ],
)
def test_a_witness_tip_without_danger_now_is_a_report(text: str) -> None:
    seen = assess(text)
    assert seen.reasons == []
    assert seen.no_danger_now  # a classifier that alone said urgent is lowered to a report


@pytest.mark.parametrize(
    "text",
    [
        "tối nay có đá bóng ko",
        "TOI NAY CO DA BONG KHONG",
        "chiều mai mấy giờ chiếu phim hông",
        "what's on tv tonight",
    ],
)
def test_a_time_word_without_a_word_of_harm_is_off_topic(text: str) -> None:
    seen = assess(text)
    assert seen.reasons == []
    assert seen.off_topic


@pytest.mark.parametrize(
    "text",
    ["tối nay họ chở bọn em đi", "sos", "con tôi chưa về từ tối qua", "help", "救命"],
)
def test_words_of_danger_are_never_off_topic(text: str) -> None:
    assert not assess(text).off_topic


@pytest.mark.parametrize(
    "text",
    [
        "Tôi bị ép cưới bên Trung Quốc, về nhà được ba năm rồi, giờ tôi muốn học nghề may",
        "nam ngoai em bi bat lam tren tau ca, gio ve roi ma dau lung, khong co tien di vien",
        "I was forced to work on a boat last year, now I'm home and I need money for the hospital",
    ],
)
def test_own_past_harm_and_needs_now_is_help(text: str) -> None:
    seen = assess(text)
    assert seen.reasons == []
    assert seen.own_needs


@pytest.mark.parametrize(
    "text",
    [
        "越南反拐卖的热线号码是多少",
        "有人介绍我去柬埔寨工作，工资很高还包机票，是骗人的吗",
        "เบอร์สายด่วนต่อต้านการค้ามนุษย์ของเวียดนามคืออะไร",
        "มีคนชวนไปทำงานกัมพูชา จ่ายค่าตั๋วให้ เป็นการหลอกลวงไหม",
        "លេខទូរស័ព្ទជំនួយនៅវៀតណាមគឺប៉ុន្មាន",
        "ការងារនៅថៃនេះជាការបោកប្រាស់ឬទេ",
        "ເບີໂທສາຍດ່ວນແມ່ນຫຍັງ",
        "ວຽກນີ້ເຊື່ອໄດ້ບໍ",
        "给这个号码打电话收费吗？",  # whether calling costs money
        "โทรเบอร์นี้เสียเงินไหม",
    ],
)
def test_questions_in_neighbouring_scripts_are_answered(text: str) -> None:
    assert other_scripts.asks_about_topics(text)
    assert asks_for_answer(text)
    assert detect_urgency(text) == []


def test_whether_calling_costs_money_is_asked_in_those_scripts_too() -> None:
    assert other_scripts.asks_about_cost("给这个号码打电话收费吗？")
    assert other_scripts.asks_about_cost("โทรเบอร์นี้เสียเงินไหม")
    assert not other_scripts.asks_about_cost("我没有钱回家")  # a need, not a question


@pytest.mark.parametrize("text", ["救命 我被关起来了", "ช่วยด้วย", "ជួយខ្ញុំផង", "ຊ່ວຍແດ່", "ខ្ញុំមិនដឹងទេ"])
def test_cries_and_statements_in_those_scripts_are_not_questions(text: str) -> None:
    assert not other_scripts.asks_about_topics(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dấu hiệu nhận biết một công ty môi giới đáng ngờ là gì?",
        "nhung thu doan du do tre em tren mang hien nay la gi a",
        "MỘT LỜI MỜI LÀM VIỆC LỪA ĐẢO THƯỜNG CÓ ĐẶC ĐIỂM LÀ GÌ",
    ],
)
def test_a_message_ending_in_la_gi_asks(text: str) -> None:
    for form in _forms(text):
        assert asks_for_answer(form), form


@pytest.mark.parametrize(
    "text",
    [
        (
            "Có nick Instagram cứ nhắn xin ảnh nóng của cháu gái 16 tuổi nhà tôi, không biết có "
            "phải "
            "lừa đảo không, tôi báo để các anh chị xem"
        ),
        (
            "co trang fb rao ban tre so sinh goi la cho con nuoi, ko bit co phai buon nguoi ko, "
            "em bao "
            "cho anh chi kiem tra"
        ),
        (
            "A Facebook group offers newborns for 'adoption' for money, is this trafficking? I'm "
            "reporting it"
        ),
    ],
)
def test_a_message_that_says_it_reports_is_a_tip_not_a_question(text: str) -> None:
    assert says_reporting(text)
    assert not is_question(text)
    assert not asks_for_answer(text)


def test_asking_where_to_report_is_still_a_question() -> None:
    assert is_question("tôi muốn báo một công ty lừa đảo thì báo ở đâu?")
    assert is_question("em báo cho anh chị được không?")


def test_small_talk_in_those_scripts_is_a_question_but_not_about_the_hotline() -> None:
    assert is_question("明天会下雨吗")
    assert not other_scripts.asks_about_topics("明天会下雨吗")


@pytest.mark.parametrize(
    "text",
    [
        # Called home to tell it: not what others told of the past.
        "anh tôi gọi về nói bị giữ giấy tờ ở xưởng bên Lào",
        "co em ho nhan tin ve ke la dang bi nhot",
        # A veiled threat, a weapon, a workplace with force: the classifier's urgent stands.
        "chủ xưởng nói nếu ai báo công an thì nhà người đó gặp chuyện",
        "the boat left an hour ago, the men have knives",
    ],
)
def test_a_call_home_a_threat_or_a_weapon_is_never_lowered(text: str) -> None:
    seen = assess(text)
    assert not seen.no_danger_now
    assert not seen.off_topic


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Em muốn biết thủ đoạn dụ người đi làm việc nhẹ lương cao", True),
        ("cho minh hoi muc phat cho toi mua ban nguoi", True),
        ("vì sao ngày 30 tháng 7 lại là ngày phòng chống mua bán người", True),
        # A why that a person lives through, or a need after "cho em hỏi", is not a topic question.
        ("tại sao con tôi đi ba ngày chưa về", False),
        ("cho em hỏi, em cần hỗ trợ tìm việc", False),
    ],
)
def test_asking_to_know_a_topic_or_why_asks_for_an_answer(text: str, asks: bool) -> None:
    assert asks_for_answer(text) is asks
