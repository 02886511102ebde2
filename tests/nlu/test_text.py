"""The pure-Python NLU helpers that both venvs and the gateway use."""

from __future__ import annotations

import unicodedata

import pytest

from nlu.augment import teencode, variants
from nlu.language import detect_language
from nlu.normalize import fold, normalize
from nlu.triage_levels import level_for_intent
from nlu.urgency import assess, detect_urgency


def test_all_written_forms_fold_to_the_same_text() -> None:
    accented = "Người môi giới đưa em sang Trung Quốc, không cho về"
    forms = [
        unicodedata.normalize("NFD", accented),
        "nguoi moi gioi dua em sang trung quoc, khong cho ve",
        "ng moi gioi dua e sang tq, ko cho ve",
        "NGƯỜI MÔI GIỚI ĐƯA EM SANG TRUNG QUỐC!!! KHÔNGGGG CHO VỀ 😭",
    ]
    expected = "nguoi moi gioi dua em sang trung quoc khong cho ve"
    assert fold(accented) == expected
    for form in forms:
        assert fold(form).replace(" khoc", "") == expected, form


def test_normalize_keeps_diacritics_numbers_and_reads_teencode_in_context() -> None:
    assert normalize("Gọi 111 hay 113!!!") == "gọi 111 hay 113"
    assert normalize("ok cam on ad") == "ok cam on admin"  # cảm ơn, not Campuchia
    assert normalize("e bi lua qua cam") == "em bi lua qua campuchia"
    assert normalize("bị lừa") != normalize("bị lửa")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("họ nhốt bọn em trong khu nhà, ai không đủ chỉ tiêu là bị đánh", "confinement"),
        ("ho nhot bon em trong khu nha, ai ko du chi tieu la bi danh", "violence"),
        (unicodedata.normalize("NFD", "tụi nó tịch thu hộ chiếu của em"), "documents_taken"),
        ("bạn em vừa nhắn cầu cứu rồi tắt máy", "cut_off_contact"),
        ("con gái tôi 9 tuổi vừa bị người lạ dẫn đi ở chợ", "child_taken"),
        ("ho doi 100tr tien chuoc trc thu 6", "ransom"),
        ("mai họ mổ lấy thận của anh ấy", "organ_removal"),
        ("CỨU EM", "cry_for_help"),
        ("they moved us across the border tonight, we are locked in a truck", "confinement"),
        # Wider patterns added after the blind set (fresh sentences, not the blind ones).
        ("ho bi don len ghe tu chieu, chu bao sap toi noi", "transport_in_progress"),
        ("thằng cai bảo sẽ xử đẹp gia đình tôi ở quê", "threat"),
        ("be nha hang xom mat tich tu trua nay, nghe noi co xe la dua di", "child_taken"),
        ("bon no biet cho toi dang o roi, cuu", "hiding_or_pursued"),
        ("the boss said they will sell us to another gang next week", "being_sold"),
        ("a van pulled up and someone grabbed my son", "child_taken"),
    ],
)
def test_urgency_indicators_in_any_written_form(text: str, reason: str) -> None:
    assert reason in detect_urgency(text)


@pytest.mark.parametrize(
    "text",
    [
        "bạn thân tôi muốn đi xuất khẩu lao động, cần kiểm tra công ty thế nào",
        "ok cam on ad",
        "em mới về nước năm ngoái, trước đây bị giữ hộ chiếu, giờ cần làm lại giấy tờ",
        "một xưởng gần nhà giữ căn cước của công nhân",
        "gọi 111 có mất tiền không",
        "tuyển người đi diễn văn nghệ ở nước ngoài có an toàn không",  # "di dien" is not dí điện
        "tối nay mình qua nhà bạn chơi nhé",
    ],
)
def test_calm_messages_raise_no_alarm(text: str) -> None:
    assert detect_urgency(text) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("toi bi lua sang campuchia lam viec", "vi"),  # langdetect alone: Romanian
        ("ko biet lam sao dc", "vi"),  # langdetect alone: Latvian
        ("alo", "vi"),  # langdetect alone: Somali
        ("Tôi cần giúp đỡ", "vi"),
        ("please help me, they took my passport", "en"),
        ("我被困在柬埔寨", "zh"),
        ("ช่วยด้วย", "th"),
        ("ជួយផង", "km"),
        ("ຊ່ວຍແດ່", "lo"),
        ("ကယ်ပါ", "my"),  # Burmese: langdetect has no profile for it, the script says it
        ("ကျွန်တော် ပြန်ရောက်ပြီ အကူအညီလိုပါတယ်", "my"),
    ],
)
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_every_intent_has_one_level() -> None:
    assert level_for_intent("urgent_help") == "urgent"
    assert level_for_intent("report_tip") == "report"
    assert level_for_intent("request_support") == "help"
    assert level_for_intent("faq") == level_for_intent("faq/hotline_111") == "question"
    assert level_for_intent("greet") == level_for_intent("nlu_fallback") == "other"


@pytest.mark.parametrize(
    "text",
    [
        # Harm that is over, told with a need: help, not a page.
        "năm ngoái em bị bán sang Trung Quốc, giờ đã về nhà, em cần đi khám",
        "toi duoc cong an giai cuu khi dang bi cho qua bien gioi, gio can luat su",
        "hồi trước chị tôi bị ép tiếp khách ở Malaysia, nay chị đã về, cần tư vấn tâm lý",
        "anh tôi từ Myanmar về, bị đánh nhiều, cần đi khám",
        "我是被拐卖的，现在已经回到越南了，需要办证件",
    ],
)
def test_past_harm_gives_signals_not_urgency(text: str) -> None:
    seen = assess(text)
    assert seen.reasons == [] and detect_urgency(text) == []
    assert seen.past_harm and seen.signals


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # The same harm going on now, or harm that is over with a danger now, stays urgent.
        ("năm ngoái em bị bán qua đây, giờ em vẫn bị nhốt", "confinement"),
        ("em đã về nhà rồi nhưng bọn nó đang đi tìm em", "hiding_or_pursued"),
        ("em bị giữ ở đây từ năm ngoái, không cho về", "confinement"),
        (
            "con tôi 13 tuổi đi với người quen trên mạng từ hôm qua, gọi không được",
            "child_missing_recent",
        ),
        ("chồng tôi giao tôi cho một người lạ ở bên này", "handed_to_stranger"),
        ("tối nay tụi nó chở bọn em qua biên giới, báo công an giúp em", "police_now"),
        ("救命，他们把我的护照扣了", "cry_for_help"),
        ("我的护照被扣了", "documents_taken"),
        ("ถูกขังอยู่ที่โรงงาน", "confinement"),
        ("ជួយផង", "cry_for_help"),
        ("ຊ່ວຍແດ່ ພວກເຮົາຖືກຂັງ", "confinement"),
        ("the company wont let us leave the compound", "confinement"),
        (
            "she is 14, left with a boy from tiktok last night and her phone is off",
            "child_missing_recent",
        ),
        ("ព្រឹកនេះ... យប់នេះគេនឹងនាំយើងឆ្លងព្រំដែន", "transport_in_progress"),
        ("ออกไปไม่ได้ เขาล็อคประตู", "confinement"),
    ],
)
def test_danger_now_in_any_tense_or_language(text: str, reason: str) -> None:
    assert reason in detect_urgency(text)


@pytest.mark.parametrize(
    "text",
    [
        "Những thủ đoạn lừa người sang Lào hiện nay là gì?",
        "tôi muốn biết dấu hiệu một người đang bị nhốt",
        "lm sao bik 1 ng bi giu ho chieu hay ko",
    ],
)
def test_questions_about_danger_are_not_urgent(text: str) -> None:
    seen = assess(text)
    assert seen.question and seen.reasons == []


def test_someone_elses_situation_that_has_lasted_months_is_a_tip_with_signals() -> None:
    seen = assess("chị họ tôi bị giữ giấy tờ ở nhà chồng bên kia mấy năm nay")
    assert seen.reasons == [] and "documents_taken" in seen.signals
    assert detect_urgency("chị họ tôi đang bị nhà chồng giữ giấy tờ, tối nay họ đánh chị") != []


def test_augmentation_is_deterministic_and_only_makes_real_variants() -> None:
    rates = {"no_diacritics": 1.0, "teencode": 1.0, "upper": 1.0}
    assert variants("Tôi không được về", rates) == [
        ("no_diacritics", "Toi khong duoc ve"),
        ("teencode", "toi ko dc ve"),
        ("upper", "TÔI KHÔNG ĐƯỢC VỀ"),
    ]
    # English lower-cased is not teencode; an unaccented sentence has no no-diacritics twin.
    assert [form for form, _ in variants("they took my passport", rates)] == ["upper"]
    assert teencode("người môi giới ở Trung Quốc") == "ng moi gioi o tq"
    half = {"no_diacritics": 0.5}
    sample = [f"câu số {n} bị lừa" for n in range(200)]
    kept = [text for text in sample if variants(text, half)]
    assert kept == [text for text in sample if variants(text, half)]  # same choice every time
    assert 70 < len(kept) < 130
