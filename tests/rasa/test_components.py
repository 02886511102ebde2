"""Our Rasa components on real Messages: folded lemmas, the urgency net, the language annotator,
entity normalisation."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.entities import EntityNormalizer
from nlu.components.language import LanguageAnnotator
from nlu.components.tokenizer import VietnameseTokenizer
from nlu.components.urgency import UrgencySafetyNet


def _tokens(text: str) -> list:
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT])


def test_every_written_form_gets_the_same_lemmas_and_offsets_into_the_received_text() -> None:
    accented = "Em bị lừa sang Campuchia, không được về"
    forms = [
        accented,
        unicodedata.normalize("NFD", accented),
        "em bi lua sang campuchia khong duoc ve",
        "e bi lua sang cpc ko dc ve",
        "EM BỊ LỪA SANG CAMPUCHIAAAA!!! KHÔNG ĐƯỢC VỀ",
    ]
    expected = [token.lemma for token in _tokens(accented)]
    assert expected == ["em", "bi", "lua", "sang", "campuchia", "khong", "duoc", "ve"]
    for form in forms:
        tokens = _tokens(form)
        assert [token.lemma for token in tokens] == expected, form
        for token in tokens:  # offsets index the text Rasa received, even NFD
            assert unicodedata.normalize("NFC", form[token.start : token.end]).lower() == token.text


def test_accented_token_text_keeps_the_diacritics_that_disambiguate() -> None:
    lua_deceive, lua_fire = _tokens("bị lừa"), _tokens("bị lửa")
    assert lua_deceive[1].text != lua_fire[1].text
    assert lua_deceive[1].lemma == lua_fire[1].lemma == "lua"


def _classified(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
    LanguageAnnotator().process([message])
    UrgencySafetyNet().process([message])
    return message


def test_net_raises_a_confident_wrong_intent_to_urgent_and_records_why() -> None:
    message = _classified("e bi nhot o cpc, ho giu hc r", "report_tip", 0.99)
    assert message.get(INTENT)["name"] == "urgent_help"
    extra = message.get("chungtay")
    assert extra["triage"] == "urgent"
    assert extra["original_intent"] == "report_tip"
    assert {"confinement", "documents_taken"} <= set(extra["urgent_reasons"])
    assert extra["language"] == "vi"
    assert extra["normalized_text"] == "em bi nhot o campuchia ho giu hộ chiếu rồi"
    assert "chungtay" in message.as_dict(only_output_properties=True)


def test_net_never_lowers_and_leaves_calm_messages_alone() -> None:
    urgent = _classified("alo", "urgent_help", 0.6)
    assert urgent.get(INTENT)["name"] == "urgent_help"
    assert urgent.get("chungtay")["triage"] == "urgent"
    assert urgent.get("chungtay")["urgent_reasons"] == ["classifier"]

    calm = _classified("bạn thân tôi muốn hỏi về xuất khẩu lao động", "faq", 0.9)
    assert calm.get(INTENT)["name"] == "faq"
    assert calm.get("chungtay")["triage"] == "question"
    assert calm.get("chungtay")["urgent_reasons"] == []

    english = _classified("they took my passport and lock us in", "out_of_scope", 0.95)
    assert english.get(INTENT)["name"] == "urgent_help"
    assert english.get("chungtay")["language"] == "en"


def test_a_case_code_inside_a_sentence_is_a_returning_person_unless_there_is_danger() -> None:
    for text in ("mã hồ sơ của tôi là CT-7K3M9Q", "ma ho so cua toi la ct-7k3m9q2xwb nhe"):
        message = _classified(text, "request_support", 0.97)  # would start the help form
        assert message.get(INTENT)["name"] == "inform", text
        assert message.get("chungtay")["triage"] == "other"
        assert message.get("chungtay")["original_intent"] == "request_support"

    danger = _classified("mã hồ sơ CT-7K3M9Q, em bị nhốt", "request_support", 0.9)
    assert danger.get(INTENT)["name"] == "urgent_help"
    not_a_code = _classified("tôi cần hỗ trợ, số CT-7K3M9Q2", "request_support", 0.9)
    assert not_a_code.get(INTENT)["name"] == "request_support"


def test_an_unsure_classifier_whose_best_guess_is_urgent_stays_urgent() -> None:
    # FallbackClassifier ran: the intent is nlu_fallback but urgent_help leads the ranking.
    message = _unsure("alo alo có ai đó ở đây thì nhắn lại em")
    assert message.get(INTENT)["name"] == "urgent_help"
    assert message.get("chungtay")["urgent_reasons"] == ["classifier_unsure"]

    unsure_greeting = _classified("alo alo", "nlu_fallback", 0.4)
    assert unsure_greeting.get("chungtay")["triage"] == "other"


def test_an_erasure_or_a_stop_heard_in_words_that_ask_neither_keeps_the_next_reading() -> None:
    """A form's answer ("how do you know?" -> "I heard it from a girl's mother") that a model
    reads as delete_data or stop must reach the form, not end it, offer erasure or page on a
    second guess."""

    def read(text: str, ranking: list[tuple[str, float]]) -> Message:
        message = Message(data={TEXT: text})
        name, confidence = ranking[0]
        message.set(INTENT, {"name": name, "confidence": confidence}, add_to_output=True)
        message.set(
            "intent_ranking",
            [{"name": n, "confidence": c} for n, c in ranking],
            add_to_output=True,
        )
        UrgencySafetyNet().process([message])
        return message

    heard = read(
        "tôi nghe mẹ một đứa kể",
        [("delete_data", 0.34), ("urgent_help", 0.3), ("human_handoff", 0.2), ("report_tip", 0.1)],
    )
    assert heard.get(INTENT)["name"] == "report_tip"
    assert heard.get("chungtay")["triage"] == "report"
    assert heard.get("chungtay")["original_intent"] == "delete_data"
    alone = read("em nghe nói vậy", [("delete_data", 0.5), ("stop", 0.3)])
    assert alone.get(INTENT)["name"] == "inform"
    english = read(
        "I am alone now, they come back at 6pm. my name is Maricel",
        [("stop", 0.38), ("faq", 0.3), ("inform", 0.2)],
    )
    assert english.get(INTENT)["name"] == "faq"
    for text in ("thôi", "dung lai", "stop please", "không nói nữa"):
        assert read(text, [("stop", 0.9), ("deny", 0.05)]).get(INTENT)["name"] == "stop", text
    # "Lưu" is also a place and a name; "quên" is also "I forgot".
    for text in ("toi o Quynh Luu Nghe An", "tôi ở Quỳnh Lưu, Nghệ An", "em quên mất tên bà ấy"):
        place = read(text, [("delete_data", 0.92), ("inform", 0.04)])
        assert place.get(INTENT)["name"] == "inform", text
    for text in (
        "xóa hết thông tin của tôi đi",
        "xoa het du lieu cua em",
        "please delete my data",
        "đừng lưu gì về tôi",
        "hủy hồ sơ của tôi",
        "Có, xóa",  # the erasure question's yes, typed by hand
        "dong y xoa",
        "yes, delete it",
    ):
        asked = read(text, [("delete_data", 0.4), ("inform", 0.3)])
        assert asked.get(INTENT)["name"] == "delete_data", text
    # Asked in so many words but read as a question or small talk: an erasure request. Never
    # over a tip, and "I deleted the messages already" asks nothing.
    for text, reading in (
        (
            "Actually, can you delete everything I've written? I'm worried someone will read it",
            "faq",
        ),
        ("yes please, delete it all", "greet"),
        ("xóa hết tin nhắn của em đi ạ", "inform"),
    ):
        asked = read(text, [(reading, 0.6), ("delete_data", 0.2)])
        assert asked.get(INTENT)["name"] == "delete_data", text
    told = read("tụi nó xem điện thoại, em xóa tin nhắn rồi", [("inform", 0.6)])
    assert told.get(INTENT)["name"] == "inform"
    # Asked outright inside a help request or a tip; told of, it stays what the classifier read.
    outright = read(
        "chồng em hay xem điện thoại, em muốn xóa hết dữ liệu ở đây", [("request_support", 0.7)]
    )
    assert outright.get(INTENT)["name"] == "delete_data"
    alone = read("chồng hay xem điện thoại, em muốn xóa hết tin nhắn ở đây", [("urgent_help", 0.9)])
    assert alone.get(INTENT)["name"] == "delete_data"
    told_of = read("họ bắt em xóa hết tin nhắn rồi giữ điện thoại", [("report_tip", 0.7)])
    assert told_of.get(INTENT)["name"] != "delete_data"


def _unsure(text: str) -> Message:
    """FallbackClassifier ran: the intent is nlu_fallback but urgent_help leads the ranking."""
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "nlu_fallback", "confidence": 0.45}, add_to_output=True)
    message.set(
        "intent_ranking",
        [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "urgent_help", "confidence": 0.41},
            {"name": "greet", "confidence": 0.39},
        ],
        add_to_output=True,
    )
    UrgencySafetyNet().process([message])
    return message


def test_an_unsure_guess_never_pages_for_a_question_or_harm_that_is_over() -> None:
    # An unsure question is answered ("BÁO TIN Ở ĐÂU?" once got the generic menu).
    for text in (
        "Những thủ đoạn lừa người đi làm ở Lào hiện nay là gì?",
        "tôi muốn biết dấu hiệu một người bị giam giữ",
        "BÁO TIN Ở ĐÂU?",
    ):
        message = _unsure(text)
        assert message.get(INTENT)["name"] == "faq", text
        assert message.get("chungtay")["triage"] == "question", text
        assert message.get("chungtay")["urgent_reasons"] == [], text
    # Harm that is over and a need said outright: a help request, never a page.
    message = _unsure("em bị bán sang bên kia từ hồi 15 tuổi, nay đã về, em cần học nghề")
    assert message.get(INTENT)["name"] == "request_support"
    assert message.get("chungtay")["urgent_reasons"] == []
    # Two words and a question mark may be someone testing the line: no topic menu forced.
    assert _unsure("alo?").get(INTENT)["name"] != "faq"


def test_past_harm_is_help_with_signals_and_a_third_party_story_stays_a_report() -> None:
    back = _classified(
        "Năm ngoái tôi bị nhốt và bị đánh ở Campuchia, giờ về nhà rồi, tôi cần đi khám",
        "request_support",
        0.7,
    )
    extra = back.get("chungtay")
    assert back.get(INTENT)["name"] == "request_support"
    assert extra["triage"] == "help" and extra["urgent_reasons"] == []
    assert extra["past_harm"] is True
    assert {"confinement", "violence"} <= set(extra["signals"])

    months = _classified(
        "anh họ tôi bị giữ hộ chiếu ở công trường bên Malaysia mấy tháng nay", "report_tip", 0.8
    )
    assert months.get("chungtay")["triage"] == "report"
    assert "documents_taken" in months.get("chungtay")["signals"]
    assert months.get("chungtay")["urgent_reasons"] == []

    still = _classified("năm ngoái em bị bán qua đây, giờ em vẫn bị nhốt", "request_support", 0.9)
    assert still.get("chungtay")["triage"] == "urgent"
    assert still.get("chungtay")["past_harm"] is False


def test_a_tip_about_someone_else_without_danger_now_is_a_report_whatever_the_classifier() -> None:
    for text in (
        "em gái tôi lấy chồng bên Đài Loan qua môi giới, mấy tháng nay nhà không gọi được",
        "bạn em bị lừa sang Cam năm ngoái, được cứu về rồi, em muốn báo người dụ bạn ấy",
        "tuần sau có người đưa con bé hàng xóm 16 tuổi sang Trung Quốc làm việc",
    ):
        message = _classified(text, "urgent_help", 0.9)  # the classifier alone said urgent
        assert message.get(INTENT)["name"] == "report_tip", text
        extra = message.get("chungtay")
        assert (extra["triage"], extra["urgent_reasons"]) == ("report", []), text
        assert extra["original_intent"] == "urgent_help"

    for text in (  # danger now for someone else: urgent, whatever the tense of the story
        "tối nay họ đưa con bé hàng xóm qua biên giới",
        "em gái tôi lấy chồng bên kia từ năm ngoái, giờ nhắn cứu em rồi tắt máy",
        "họ bảo tuần sau sẽ đưa tôi đi mổ lấy thận",
    ):
        assert _classified(text, "urgent_help", 0.9).get("chungtay")["triage"] == "urgent", text


def test_a_question_about_an_offer_or_where_to_go_is_answered_not_taken_for_a_tip() -> None:
    for text, intent in (
        (
            "bên đó tuyển người làm nail ở Úc, bao visa, phí 3 trăm triệu, có lừa đảo không",
            "report_tip",
        ),
        ("ve nuoc roi ma mat ho chieu thi xin cap lai o dau a", "request_support"),
        ("is this recruiter legit? he wants my passport before the interview", "urgent_help"),
    ):
        message = _classified(text, intent, 1.0)
        assert message.get(INTENT)["name"] == "faq", text
        extra = message.get("chungtay")
        assert (extra["triage"], extra["original_intent"]) == ("question", intent), text

    for text, intent in (  # a tip, a request, or danger in a question: left to the classifier/net
        ("công ty ở huyện giữ hộ chiếu của công nhân, tôi muốn báo", "report_tip"),
        ("em về rồi, cần làm lại căn cước", "request_support"),
        ("em đang bị nhốt, có ai cứu em không", "report_tip"),
    ):
        assert _classified(text, intent, 1.0).get(INTENT)["name"] != "faq", text


def test_the_net_follows_a_sure_classifier_where_its_own_rules_misread_time_or_script() -> None:
    """Its time rules read "missing", "a threat" or a script's words as over or as a greeting; what
    is told as today or within days, a request the classifier is sure of from someone speaking of
    themselves, and a long tip with a doubt woven in keep the classifier's reading."""
    for text in (  # danger told as today or within days: the classifier's urgent stands
        "thằng con tôi 13 tuổi 3 ngày nay chưa về, nó hay chat với một người lạ trên game",
        "chủ nợ nói nếu mai không có tiền thì bắt vợ tôi đi gán nợ bên kia biên giới",
        "我妹妹今天早上被一个中介带走了，手机关机",
    ):
        extra = _classified(text, "urgent_help", 1.0).get("chungtay")
        assert extra["triage"] == "urgent", text
    # Months without news and no new sign: still a report (triage.md).
    text = "chị họ tôi đi Lào làm từ tháng tư, từ đó đến nay không liên lạc được, người rủ đi mất"
    assert _classified(text, "urgent_help", 1.0).get("chungtay")["triage"] == "report"

    for text in (  # a sure request from someone speaking of themselves: help, answered first
        "em trốn về được hai tháng rồi, người ta bảo em được hỗ trợ học nghề, em đăng ký ở đâu ạ?",
        "ខ្ញុំត្រូវគេបោកឱ្យមកធ្វើការនៅវៀតណាម ឥឡូវខ្ញុំចេញមកហើយ ខ្ញុំចង់ទៅផ្ទះវិញ",
    ):
        message = _classified(text, "request_support", 1.0)
        assert message.get("chungtay")["triage"] == "help", text
    # Less sure: the net's reading (a question about getting papers again) stands.
    text = "cho mình hỏi thủ tục xin hỗ trợ tiền học cho con, mình là nạn nhân trở về"
    assert _classified(text, "request_support", 0.9).get("chungtay")["triage"] == "question"
    assert _classified(text, "request_support", 1.0).get("chungtay")["triage"] == "help"

    # A ransom paid and the person home, a trafficker named by what he once did: no page.
    for text in (
        "hồi đó em bị giữ bên Campuchia, nhà gửi tiền chuộc mới được thả về, giờ em muốn học nghề",
        "tôi muốn nhờ luật sư kiện người đã bán tôi sang Trung Quốc",
    ):
        assert _classified(text, "request_support", 1.0).get("chungtay")["triage"] == "help", text

    # A tip told at length whose doubt is woven in or a short last question: a report.
    text = (
        "Xóm tôi có một bà hay dẫn mấy cô gái ở bản trên xuống, cho ở nhà vài hôm rồi có xe "
        "đến chở đi lúc nửa đêm, hỏi thì bảo đi làm nhà hàng. Vậy có sao không?"
    )
    assert _classified(text, "report_tip", 1.0).get("chungtay")["triage"] == "report"


def test_the_net_corrects_the_classifier_where_the_text_is_clear() -> None:
    for text, intent, expected in (
        # The classifier alone said urgent: a witness's tip with nothing happening now is a report,
        # a time word with no word of harm is off-topic.
        ("tôi thấy một bà dắt mấy đứa nhỏ đi xin tiền ngoài chợ đêm", "urgent_help", "report_tip"),
        ("TOI NAY CO DA BONG KO", "urgent_help", "out_of_scope"),
        # A message that says it reports is a tip, even with a question word in it.
        (
            "có nick lạ xin ảnh nóng của cháu tôi 16 tuổi, không biết có phải lừa không, "
            "tôi báo để các anh chị xem",
            "faq",
            "report_tip",
        ),
        # Own past harm and a need now is help; a question in Chinese is answered.
        (
            "năm ngoái tôi bị ép làm trên tàu cá, giờ về rồi, đau lưng mà không có tiền đi viện",
            "report_tip",
            "request_support",
        ),
        ("越南反拐卖热线电话是多少", "out_of_scope", "faq"),
        # A need said outright, taken for a form's answer: a help request outside a form.
        ("I need a doctor for my back, I live in Soc Trang", "inform", "request_support"),
        ("em cần chỗ ở với làm lại giấy tờ, em ở Hậu Giang", "inform", "request_support"),
        ("I need medical care for my back", "out_of_scope", "request_support"),
        ("ở thị trấn Sông Mã, Sơn La", "inform", "inform"),  # an answer stays an answer
        # A statement about an agency gone with the fees, matched to a question topic: a tip.
        (
            "công ty môi giới ở huyện thu tiền của cả chục người rồi đóng cửa bỏ đi",
            "faq",
            "report_tip",
        ),
    ):
        message = _classified(text, intent, 0.95)
        assert message.get(INTENT)["name"] == expected, text
        assert message.get("chungtay")["urgent_reasons"] == [], text

    for text in (  # danger seen now stays urgent whatever the classifier said
        "em 14t, bố mẹ nhận tiền gả em cho người nước ngoài, mai họ đến đón em",
        "tôi vừa thấy một cô gái bị xích chân trong nhà ông hàng xóm",
    ):
        assert _classified(text, "request_support", 0.99).get(INTENT)["name"] == "urgent_help"


def test_cries_for_help_in_neighbouring_languages_are_urgent_in_that_language() -> None:
    for text, language in (
        ("救命 我被卖了", "zh"),
        ("ช่วยด้วย เขาขังฉันไว้", "th"),
        ("ជួយផង", "km"),
        ("ຊ່ວຍແດ່", "lo"),
    ):
        message = _classified(text, "nlu_fallback", 0.3)
        assert message.get(INTENT)["name"] == "urgent_help", text
        assert message.get("chungtay")["language"] == language, text


def test_statements_in_neighbouring_scripts_are_read_by_their_own_words() -> None:
    """The classifier cannot read these scripts: a cry, a wish to report, a request for support
    from someone back home, thanks and a greeting are told by their words, whatever it guessed."""
    for text, intent in (
        ("他们打我们，护照也被没收了，我们走不了", "urgent_help"),
        ("ช่วยน้องสาวฉันด้วย เขาถูกพาตัวไปเมื่อคืน", "urgent_help"),
        ("ကယ်ကြပါ ကျွန်တော်တို့ကို ချုပ်ထားတယ်", "urgent_help"),
        ("我要举报一个骗越南女孩去打工的人", "report_tip"),
        ("ฉันต้องการแจ้งเบาะแสเรื่องนายหน้าหางาน", "report_tip"),
        ("我回到越南了，需要帮助，想找住的地方", "request_support"),
        ("ខ្ញុំត្រឡប់មកវិញហើយ ត្រូវការជំនួយ", "request_support"),
        ("谢谢你们", "thank"),
        ("ຂອບໃຈຫຼາຍໆ", "thank"),
        ("您好", "greet"),
    ):
        for guess in ("urgent_help", "nlu_fallback", "faq"):
            message = _classified(text, guess, 0.6)
            assert message.get(INTENT)["name"] == intent, (text, guess)
    # A past harm told in another script is not a page.
    message = _classified("我是被拐卖的，已经回国了，需要帮忙补办身份证", "urgent_help", 0.9)
    assert message.get(INTENT)["name"] == "request_support"


def test_a_tip_the_classifier_heard_as_a_plea_is_a_tip_when_the_writer_says_so() -> None:
    for text in (
        "bà hàng xóm làm giấy tờ giả để bán con nít, em muốn báo mà em sợ",
        "mk mún tố 1 ng chuyên dắt gái sang tq ở xã mk",
    ):
        tip = _classified(text, "request_support", 0.8)
        assert tip.get("chungtay")["triage"] == "report", text
    unsure = _classified(
        "tôi muốn báo chuyện cháu gái tôi bị dẫn sang Lào năm 2020", "nlu_fallback", 0.0
    )
    assert unsure.get("chungtay")["triage"] == "report"
    # Read as a form's answer (a place, a name): outside a form the words say it is a tip.
    named = _classified(
        "Công ty đó tên là Sao Việt Global, ở Nam Định, đang thu tiền của cả chục người trong "
        "xã tôi, tôi muốn báo",
        "inform",
        0.85,
    )
    assert named.get("chungtay")["triage"] == "report"
    need = _classified("em muốn báo cho anh chị biết là em cần chỗ ở", "request_support", 0.8)
    assert need.get("chungtay")["triage"] == "help"


def test_a_tip_asked_about_is_a_question_and_a_need_asked_about_is_a_help_request() -> None:
    """Asked rather than told, a tip is a question; someone back home asking how to get what
    they need asks for help (the dialogue answers both first); a classifier-only urgent question
    about others pages nobody."""
    for text, guess, intent in (
        ("ở Hàn thấy có đường dây, gọi 111 từ nước ngoài được không?", "report_tip", "faq"),
        ("lm sao bít cty xkld có giấy phép hk", "report_tip", "faq"),
        ("What tricks do recruiters use to lure people into scam compounds?", "urgent_help", "faq"),
        (
            "em về từ Lào được ba tháng, mất hết giấy tờ, giờ làm lại ở đâu ạ",
            "faq",
            "request_support",
        ),
        ("sau khi được trao trả tôi không có chỗ ở, nhà cũ bán rồi", "faq", "request_support"),
        ("co nguoi ru em sang Campuchia lam online, bao an o, em thay ko on", "faq", "report_tip"),
    ):
        message = _classified(text, guess, 0.99)
        assert message.get(INTENT)["name"] == intent, (text, guess)
        assert message.get("chungtay")["urgent_reasons"] == [], text


def test_augmenter_adds_written_forms_with_the_intent_and_never_at_inference() -> None:
    from nlu.components.augment import WrittenFormAugmenter

    augmenter = WrittenFormAugmenter.create(
        {"no_diacritics": 1.0, "teencode": 1.0, "upper": 1.0}, None, None, None
    )
    original = Message(data={TEXT: "Em không được về, họ giữ hộ chiếu", INTENT: "urgent_help"})
    entity_only = Message(data={TEXT: "ở Tây Ninh"})
    data = augmenter.process_training_data(TrainingData(training_examples=[original, entity_only]))
    texts = {m.get(TEXT): m.get(INTENT) for m in data.training_examples}
    assert texts == {
        "Em không được về, họ giữ hộ chiếu": "urgent_help",
        "ở Tây Ninh": None,
        "Em khong duoc ve, ho giu ho chieu": "urgent_help",
        "e ko dc ve, ho giu hc": "urgent_help",
        "EM KHÔNG ĐƯỢC VỀ, HỌ GIỮ HỘ CHIẾU": "urgent_help",
    }
    skipping = WrittenFormAugmenter.create(
        {"no_diacritics": 1.0, "skip_intents": ["faq"]}, None, None, None
    )
    question = Message(data={TEXT: "Số nào để báo?", INTENT: "faq"})
    assert len(skipping.process_training_data(TrainingData([question])).training_examples) == 1
    incoming = Message(data={TEXT: "Em không được về"})
    assert augmenter.process([incoming]) == [incoming]
    assert incoming.get(TEXT) == "Em không được về"


def test_entity_normalizer_learns_canonical_names_and_leaves_one_entity_per_span(
    tmp_path: Path,
) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("entity_normalizer")
    data = TrainingData(
        entity_synonyms={"cpc": "Campuchia", "cam": "Campuchia", "trung quoc": "Trung Quốc"},
        lookup_tables=[
            {"name": "country", "elements": ["Campuchia", "Trung Quốc", "Trung Quoc"]},
            {"name": "relation", "elements": ["con gái", "con gai", "bạn"]},
        ],
    )
    context = ExecutionContext(GraphSchema({}), "test")
    EntityNormalizer.create({}, storage, resource, context).train(data)
    normalizer = EntityNormalizer.load({}, storage, resource, context)

    text = "con gai toi 15 tuoi bi dua sang trung quốc, nhà có 3 nguoi"
    message = Message(data={TEXT: text})
    found = [
        ("relation", 0, 7, "con gai"),
        ("age", 12, 19, "15 tuoi"),
        ("country", 32, 42, "trung quốc"),
        ("country", 32, 42, "trung quốc"),  # the lookup and the regex both matched
        ("country", 32, 37, "trung"),  # a shorter overlapping match
        ("people_count", 51, 58, "3 nguoi"),
    ]
    message.set(
        ENTITIES,
        [{"entity": e, "start": s, "end": t, "value": v} for e, s, t, v in found],
        add_to_output=True,
    )
    normalizer.process([message])
    values = [(e["entity"], e["value"]) for e in message.get(ENTITIES)]
    assert values == [
        ("relation", "con gái"),
        ("age", 15),
        ("country", "Trung Quốc"),
        ("people_count", 3),
    ]
    # Offsets still point into the received text.
    assert [text[e["start"] : e["end"]] for e in message.get(ENTITIES)][2] == "trung quốc"


def test_how_to_be_reached_is_no_call_for_a_person() -> None:
    """ "Đừng gọi điện cho tôi …" shares "gọi cho tôi" with a call-back request: it is an answer
    (a form routes it to its contact question), never a handoff; asking for a call still is."""
    for text in (
        "Đừng gọi điện cho tôi, chồng tôi không biết chuyện cũ, anh ấy mà biết thì to chuyện",
        "dung goi cho e nha, e se tu nhan lai sau",
        "please don't call me, I'll text again later",
    ):
        message = _classified(text, "human_handoff", 0.84)
        assert message.get(INTENT)["name"] == "inform", text
    for text in ("gọi lại cho tôi được không", "cho tôi gặp cán bộ"):
        assert _classified(text, "human_handoff", 0.9).get(INTENT)["name"] == "human_handoff"


def test_a_tip_that_asks_where_to_report_stays_a_tip_and_a_bare_question_does_not() -> None:
    """ "… chuyên rủ học sinh sang Lào làm, tôi nên báo cho ai?" is a tip (its question is only
    where to pass it on: the dialogue answers first, the level is report); "báo tin ở đâu?" and
    "… có lừa đảo không?" remain questions."""
    for text in (
        "ở bến xe có một bà chuyên rủ mấy đứa học sinh bỏ học sang Lào làm, tôi nên báo cho ai?",
        "có nhóm zalo đăng tuyển đi campuchia lương 30tr, em có chụp màn hình, gửi ở đâu dc ạ",
        "My neighbour keeps asking teen girls to work in Cambodia. Who should I report this to?",
    ):
        message = _classified(text, "report_tip", 0.99)
        assert message.get(INTENT)["name"] == "report_tip", text
    for text in (
        "báo tin ở đâu?",
        "công ty hứa đưa đi Nhật không mất phí, chỉ cần cọc 20 triệu, có lừa đảo không?",
    ):
        assert _classified(text, "report_tip", 0.99).get(INTENT)["name"] == "faq", text


def test_small_talk_about_the_assistant_and_tips_read_as_answers() -> None:
    """A question about the assistant, or off-topic in English, is small talk; someone gone for
    months, read as a form's answer outside one, is a tip; Vietnamese girls told of in Chinese,
    and an employer keeping papers told in Thai, are tips."""
    for text in ("Bạn tên gì thế", "is this thing working?"):
        assert _classified(text, "faq", 0.99).get(INTENT)["name"] == "out_of_scope", text
    weather = _classified("what's the weather like in Hue this weekend", "out_of_scope", 0.9)
    assert weather.get(INTENT)["name"] == "out_of_scope"
    gone = _classified("ANH TÔI ĐI MALAYSIA 8 THÁNG NAY KHÔNG LIÊN LẠC ĐƯỢC", "inform", 0.99)
    assert gone.get(INTENT)["name"] == "report_tip"
    girls = _classified("我家附近的按摩店里有几个越南姑娘，从来不出门", "goodbye", 0.4)
    assert girls.get(INTENT)["name"] == "report_tip"
    practice = _classified("โรงงานข้างบ้านจ้างคนงานเวียดนาม ยึดพาสปอร์ตไว้", "report_tip", 0.99)
    assert practice.get(INTENT)["name"] == "report_tip"
    assert practice.get("chungtay")["signals"] == ["documents_taken"]
