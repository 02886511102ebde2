"""The walking skeleton's real path, end to end over HTTP.

Starts the real Rasa server (.venv-rasa, the trained model), the action server, the routing worker,
the gateway and the console exactly as `chungtay run` does, on free local ports with a fresh
SQLite store, then talks to the web chat like a person would.
"""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import select

from chungtay.settings import Settings
from chungtay.training import project_root
from intake_store.casework import read_notes, timeline
from intake_store.intake_views import reveal_intake
from intake_store.intakes import REFERENCE_ALPHABET
from intake_store.models import Alert, Conversation, Intake, OutboxRow
from intake_store.store import Store
from tests.e2e.helpers import (
    say,
    wait_for,
)

pytestmark = pytest.mark.e2e
ROOT = project_root()


def _intakes_for(store: Store, session_id: str) -> list[Intake]:
    sender_hash = store.hasher.hash(channel="webchat", sender_id=session_id)
    with store.begin() as session:
        conversations = select(Conversation.id).where(Conversation.sender_hash == sender_hash)
        rows = session.scalars(select(Intake).where(Intake.conversation_id.in_(conversations)))
        intakes = list(rows)
        session.expunge_all()
        return intakes


def _delivered_alert(store: Store, intake_id: int) -> Alert:
    """The one staff alert of an intake, once the routing worker has sent it."""

    def sent() -> bool:
        with store.begin() as session:
            query = select(Alert).where(Alert.intake_id == intake_id, Alert.status == "sent")
            return session.scalars(query).first() is not None

    assert wait_for(sent), "the worker did not deliver the staff alert"
    with store.begin() as session:
        [alert] = session.scalars(select(Alert).where(Alert.intake_id == intake_id)).all()
        session.expunge(alert)
        return alert


def test_urgent_message_files_an_intake_alerts_staff_and_answers_with_hotlines(
    stack: tuple[Settings, Store],
) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = say(settings, store, person, "cứu tôi với, tôi đang bị nhốt ở Campuchia")

    joined = " ".join(replies)
    assert "111" in joined and "113" in joined, replies
    [intake] = _intakes_for(store, person)
    assert intake.triage == "urgent"
    assert intake.reference_code in joined  # the person can quote their case
    with store.begin() as session:
        outbox = session.scalars(select(OutboxRow).where(OutboxRow.intake_id == intake.id)).all()
        kinds = [row.kind for row in outbox]
    # The gateway's urgency net queued the alert before Rasa answered; what the assistant
    # understood afterwards is either in that alert (still waiting) or one update notice.
    assert kinds.count("staff_alert") == 1, kinds
    assert set(kinds) <= {"staff_alert", "intake_update"} and len(kinds) <= 2, kinds
    assert intake.destination_country == "Campuchia"  # the assistant's filing joined the case

    alert = _delivered_alert(store, intake.id)
    assert intake.reference_code in alert.text
    assert "Campuchia" not in alert.text  # alerts carry no transcript


def _conversation(
    settings: Settings, store: Store, person: str, turns: list[str]
) -> list[list[str]]:
    return [say(settings, store, person, text) for text in turns]


def _reveal(store: Store, intake_id: int) -> dict[str, str | None]:
    with store.begin() as session:
        return reveal_intake(
            session, cipher=store.cipher, intake_id=intake_id, actor="e2e", reason="check"
        )


def test_whole_urgent_conversation_fills_the_intake_one_answer_at_a_time(
    stack: tuple[Settings, Store],
) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            "cuu em voi, ho giu ho chieu va nhot em o cpc",
            "o Bavet, gan song bac co bien hieu mau do",
            "3 nguoi",
            "có 1 bé 15 tuổi",
            "ko an toàn",
        ],
    )

    first = " ".join(replies[0])
    assert "111" in first and "113" in first, replies[0]
    [intake] = _intakes_for(store, person)
    assert intake.reference_code in first
    # One question per turn, each one answered by the next message.
    assert all(len(turn) >= 1 for turn in replies[1:]), replies
    assert (intake.triage, intake.people_count, intake.is_minor, intake.age_band) == (
        "urgent",
        3,
        True,
        "under_16",
    )
    assert (intake.safe_to_contact, intake.consent_contact) == (False, False)
    personal = _reveal(store, intake.id)
    assert "Bavet" in (personal["location_detail"] or "")
    assert "Số người: 3 nguoi" in (personal["summary"] or "")
    assert "111" in " ".join(replies[-1])  # the closing message repeats the safety numbers

    alert = _delivered_alert(store, intake.id)
    assert intake.reference_code in alert.text
    assert "Bavet" not in alert.text  # where the person is stays behind the audited reveal


def test_whole_anonymous_tip_keeps_no_contact_data(stack: tuple[Settings, Store]) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            "có người trong xóm hay rủ con gái đi làm quán ăn bên Lào lương cao, tôi thấy đáng ngờ",
            "ba ay ru may dua con gai di lam quan an luong cao",
            "ở Nghệ An",
            "con bé hàng xóm khoảng 16 tuổi",
            "bỏ qua",
            "nguoi trong xom ke",
            "nick zalo tên Hùng, sdt 0912345678",
            "có",
            "đúng rồi",
        ],
    )

    [intake] = _intakes_for(store, person)
    assert intake.triage == "report"
    assert "Hùng" in " ".join(replies[-2])  # the summary shown before saving
    assert intake.reference_code in " ".join(replies[-1])
    assert (intake.consent_contact, intake.contact_method) == (False, "none")
    assert (intake.is_minor, intake.age_band) == (True, "16_17")
    assert intake.contact_phone_enc is None and intake.contact_name_enc is None
    assert intake.safe_contact_time_enc is None
    assert "Hùng" in (_reveal(store, intake.id)["summary"] or "")
    with store.begin() as session:
        assert (
            session.scalars(select(OutboxRow).where(OutboxRow.intake_id == intake.id)).all() == []
        )


def test_whole_help_request_ends_with_the_groups_entitlements(
    stack: tuple[Settings, Store],
) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            # The needs it names are not asked again (only confirmed): the group comes next.
            "em moi ve nuoc, giay to mat het, em can lam lai giay to va tim viec",
            "nạn nhân",
            "ở Nghệ An",
            # The contact question answered with a call-back, which the classifier may hear as a
            # call for a person: the form takes it as the answer and ends.
            "gọi cho em được, an toàn",
        ],
    )

    [intake] = _intakes_for(store, person)
    last = "\n".join(replies[-1])
    assert "a)" in last and "k)" in last, replies[-1]  # victims: all ten regimes, no amounts
    assert intake.reference_code in last
    assert (intake.triage, intake.province, intake.at_risk) == ("help", "Nghệ An", "self")
    assert (intake.consent_contact, intake.contact_method) == (True, "webchat")


def test_help_request_stopped_half_way_keeps_what_was_said(stack: tuple[Settings, Store]) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            "em moi ve nuoc, giay to mat het, em can lam lai giay to va tim viec",
            "giấy tờ và việc làm",
            "thôi",
        ],
    )

    [intake] = _intakes_for(store, person)
    assert intake.triage == "help"
    last = " ".join(replies[-1])
    assert intake.reference_code in last and "111" in last, replies
    assert "giấy tờ" in (_reveal(store, intake.id)["summary"] or "")


def test_question_gets_an_answer_and_no_intake(stack: tuple[Settings, Store]) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = say(
        settings, store, person, "nguoi di xuat khau lao dong can kiem tra cong ty the nao"
    )

    assert replies and all(reply.strip() for reply in replies)
    assert _intakes_for(store, person) == []


def test_a_fresh_web_chat_gets_the_same_reply_for_a_real_and_a_made_up_case_code(
    stack: tuple[Settings, Store],
) -> None:
    """The attacker's eye: nothing in the reply to a code says whether the case exists."""
    settings, store = stack
    reporter = secrets.token_hex(12)
    say(settings, store, reporter, "cứu tôi với, tôi đang bị nhốt ở Campuchia")
    [case] = _intakes_for(store, reporter)
    made_up = "CT-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
    assert made_up != case.reference_code

    answers = [
        say(settings, store, secrets.token_hex(12), f"mã hồ sơ của tôi là {code}")
        for code in (case.reference_code, made_up)
    ]

    assert answers[0] == answers[1], answers
    assert case.reference_code not in " ".join(answers[0])
    assert "cán bộ sẽ kiểm tra mã này" in " ".join(answers[0])
    [still] = _intakes_for(store, reporter)  # the case stays with its own conversation
    assert still.id == case.id and still.consent_contact is None


def _timeline_kinds(store: Store, intake_id: int) -> list[str]:
    with store.begin() as session:
        return [entry.kind for entry in timeline(session, intake_id=intake_id)]


def test_a_reporter_who_leaves_after_three_answers_has_them_on_the_case_until_erased(
    stack: tuple[Settings, Store],
) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    _conversation(
        settings,
        store,
        person,
        [
            # What was seen, told in the opening, is not asked again.
            "ở chợ huyện có bà hay rủ các bé gái đi làm phụ bếp bên Lào, hứa lương 12 triệu, "
            "tôi thấy lạ",
            "chợ Đô Lương, Nghệ An",
            "hai đứa con nhà hàng xóm, 15 với 17 tuổi",
            "từ đầu tháng này",
        ],
    )  # ... and the person leaves: no confirmation, no goodbye

    [intake] = _intakes_for(store, person)
    assert (intake.triage, intake.province, intake.is_minor) == ("report", "Nghệ An", True)
    summary = _reveal(store, intake.id)["summary"] or ""
    assert "12 triệu" in summary and "Đô Lương" in summary and "17 tuổi" in summary, summary
    assert "person_confirmed" not in _timeline_kinds(store, intake.id)  # staff see: unconfirmed

    say(settings, store, person, "xóa dữ liệu của tôi")
    say(settings, store, person, "Có, xóa")

    with store.begin() as session:
        erased = session.get(Intake, intake.id)
        assert erased is not None and erased.anonymised_at is not None
        assert erased.summary_enc is None and erased.location_detail_enc is None


def test_a_tip_about_past_harm_is_a_report_and_pages_no_one(stack: tuple[Settings, Store]) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = say(
        settings,
        store,
        person,
        "năm ngoái bạn thân em bị lừa bán sang Trung Quốc, được giải cứu về rồi, "
        "em muốn báo tên môi giới đã dụ bạn ấy",
    )

    [intake] = _intakes_for(store, person)
    assert intake.triage == "report", replies
    with store.begin() as session:
        kinds = session.scalars(select(OutboxRow.kind).where(OutboxRow.intake_id == intake.id))
        assert "staff_alert" not in list(kinds)
    assert "113" not in " ".join(replies)  # no emergency reply either


def test_a_question_about_an_offer_is_answered_and_opens_no_form(
    stack: tuple[Settings, Store],
) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = say(
        settings,
        store,
        person,
        "chị ơi bên Lào có cty tuyển phục vụ nhà hàng lương 18 triệu, bao ăn ở, có lừa đảo không ạ",
    )

    said = "\n".join(replies)
    assert "Nguồn" in said, replies  # a sourced answer from the knowledge base
    assert "Bạn đã thấy hoặc nghe điều gì" not in said  # the report form's first question
    assert _intakes_for(store, person) == []


def test_every_detail_of_a_tip_is_kept_and_a_question_in_the_form_is_answered_not_kept(
    stack: tuple[Settings, Store],
) -> None:
    """Issue 16: the opening tip, each free-text answer and what is added after the form end up
    in the case; a question asked half-way gets its fact and the same question again."""
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            # What was seen is told here: the form goes on with where.
            "Tôi muốn báo tin: ở thôn Đồng Mỏ có bà Lựu hay rủ các cô gái sang Lào làm "
            "karaoke, hứa lương 15 triệu",
            "gọi 111 có mất tiền không?",
            "xã Yên Thành, Nghệ An",
            "em sợ lắm",
            "con gái nhà hàng xóm, 16 tuổi",
            "tuần trước",
            "tôi biết vì em họ tôi cũng đã nộp tiền",
            "công ty tên là Hoàng Phát, văn phòng ở tầng 2 số 14 phố Trần Phú, trang Facebook "
            "Việc Làm Lào Lương Cao",
            "co",
            "dung",
            "à, bà Lựu hay đi xe Vision màu đỏ",
        ],
    )

    [intake] = _intakes_for(store, person)
    assert intake.triage == "report", replies
    assert "Mình đã ghi lại điều bạn kể" in " ".join(replies[0]), replies[0]
    asked = " ".join(replies[1])
    assert "miễn phí" in asked and "ở đâu" in asked, replies[1]  # the fact, then where again
    assert "Mình hiểu" in " ".join(replies[3]), replies[3]
    assert intake.reference_code in " ".join(replies[9]), replies[9]
    assert intake.province == "Nghệ An"
    kept = "\n".join(value for value in _reveal(store, intake.id).values() if value)
    for detail in (
        "bà Lựu",
        "15 triệu",
        "thôn Đồng Mỏ",
        "Hoàng Phát",
        "tầng 2 số 14 phố Trần Phú",
        "em họ tôi cũng đã nộp tiền",
        "Facebook Việc Làm Lào Lương Cao",
        "xe Vision màu đỏ",
    ):
        assert detail in kept, (detail, kept, replies[-1])
    assert "mất tiền" not in kept and "sợ lắm" not in kept, kept


def test_a_form_keeps_its_place_through_worries_and_feelings_and_news_after_it_joins_the_case(
    stack: tuple[Settings, Store],
) -> None:
    """Issue 16, with the real model: a worry about being found out gets the confidentiality
    fact with its source and the same question; a feeling gets comfort (with an answer: the answer
    is kept, the feeling is not); news with a thank-you after the form joins the case once, with
    no new form."""
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            "Tôi muốn báo tin: ở xóm Chùa có ông Tư hay rủ mấy cô gái sang Trung Quốc lấy chồng, "
            "hứa cho gia đình 50 triệu",
            "ông Tư cho các cô xem ảnh nhà to, hẹn đưa đi theo đường tiểu ngạch",
            "ông Tư có biết ai báo không",
            "em sợ lắm, em không dám nói",
            "huyện Lục Ngạn, Bắc Giang",
            "e so qa, 2 đứa con gái nhà bên cạnh, tầm 17 tuổi",
            "tháng trước",
            "tôi nghe mẹ một đứa kể",
            "ông Tư, hay đi xe Wave xanh",
            "có",
            "đúng",
            "cảm ơn chị, à em mới nhớ ra ông Tư có đứa em tên Hòa ở Lạng Sơn",
            "cảm ơn nhiều ạ",
        ],
    )

    [intake] = _intakes_for(store, person)
    assert intake.triage == "report", replies
    worry = " ".join(replies[2])
    assert "bí mật" in worry and "Nguồn" in worry and "ở đâu" in worry, replies[2]
    assert "Mình hiểu" in " ".join(replies[3]) and "ở đâu" in " ".join(replies[3]), replies[3]
    assert "Mình hiểu" in " ".join(replies[5]), replies[5]  # comfort, the answer kept
    assert intake.reference_code in " ".join(replies[10]), replies[10]
    assert intake.province == "Bắc Giang"
    added = " ".join(replies[11])
    assert "ghi thêm" in added and "Mình hỏi thêm" not in added, replies[11]  # no new form
    assert "Không có gì" in " ".join(replies[12]), replies[12]

    kept = _reveal(store, intake.id)
    words = kept["narrative"] or ""
    assert "2 đứa con gái nhà bên cạnh, tầm 17 tuổi" in (kept["summary"] or "")
    assert "đứa em tên Hòa ở Lạng Sơn" in words
    everything = "\n".join(value for value in kept.values() if value)
    assert everything.count("đứa em tên Hòa") == 1, everything  # once on the case page
    for not_kept in ("sợ lắm", "e so qa", "ai báo", "cảm ơn nhiều"):
        assert not_kept not in everything, (not_kept, everything)


def test_a_place_said_when_a_tip_turns_into_danger_now_is_kept_in_the_case(
    stack: tuple[Settings, Store],
) -> None:
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            "Tôi muốn báo tin: có mấy người lạ hay dụ học sinh cấp 3 ở xã tôi đi làm thêm xa nhà",
            "họ hứa lương 10 triệu một tháng, làm phục vụ nhà hàng",
            "họ đang nhốt con bé ở nhà nghỉ Hoàng Long, phố Trần Phú, Móng Cái, cứu với",
        ],
    )

    [intake] = _intakes_for(store, person)
    assert intake.triage == "urgent", replies
    assert "113" in " ".join(replies[2]), replies[2]
    kept = _reveal(store, intake.id)
    assert "Hoàng Long" in (kept["location_detail"] or ""), kept
    assert "nhà nghỉ Hoàng Long, phố Trần Phú, Móng Cái" in (kept["narrative"] or ""), kept


def test_a_commune_named_alone_a_thank_you_and_a_dont_know_inside_a_form(
    stack: tuple[Settings, Store],
) -> None:
    """Issue 16, with the real model: a thank-you at a question gets a word back and the same
    question (never kept); a commune named alone is the place, and its province (since 2025) is
    filled; "e k bit" skips the question instead of being asked again."""
    settings, store = stack
    person = secrets.token_hex(12)

    replies = _conversation(
        settings,
        store,
        person,
        [
            "Tôi muốn báo tin: có người rủ con gái hàng xóm sang Trung Quốc làm việc lương cao",
            "họ hứa lương 20 triệu một tháng, bao cả vé đi",
            "dạ cảm ơn ạ",
            "Mường Xén",
            "e k bit",
        ],
    )

    [intake] = _intakes_for(store, person)
    thanked = " ".join(replies[2])
    assert "Không có gì" in thanked and "ở đâu" in thanked, replies[2]
    assert "chưa nhận ra nơi này" not in " ".join(replies[3]), replies[3]
    assert "khi nào" in " ".join(replies[4]), replies[4]  # skipped: the next question
    assert intake.province == "Nghệ An"
    kept = _reveal(store, intake.id)
    assert kept["location_detail"] == "Mường Xén"
    everything = "\n".join(value for value in kept.values() if value)
    for not_kept in ("cảm ơn", "k bit"):
        assert not_kept not in everything, (not_kept, everything)


@pytest.mark.parametrize(
    ("text", "language", "own_words", "triage", "question"),
    [
        (
            "我要举报一个骗越南女孩去中国结婚的中介",
            "zh",
            "请拨打 113（警察）或 111",
            "report",
            "What did you see or hear",
        ),
        (
            "ฉันกลับมาเวียดนามแล้ว ต้องการความช่วยเหลือเรื่องที่พัก",
            "th",
            "โทร 113 (ตำรวจ) หรือ 111",
            "help",
            "What support do you need",
        ),
        (
            "ကျွန်တော် ပြန်ရောက်ပြီ အကူအညီလိုပါတယ်",
            "my",
            "113 (ရဲ) သို့မဟုတ် 111",
            "help",
            "What support do you need",
        ),
    ],
)
def test_a_tip_or_help_request_in_another_script_goes_on_in_english_and_waits_for_a_person(
    stack: tuple[Settings, Store],
    text: str,
    language: str,
    own_words: str,
    triage: str,
    question: str,
) -> None:
    """Issue 16, with the real model: a tip in Chinese or a request for support in Thai or Burmese
    opens its case at its level; the person reads 113/111 in their script, then the form in
    English; the case waits for someone who reads the language (a note in Vietnamese), and
    nobody is paged."""
    settings, store = stack
    person = secrets.token_hex(12)

    replies = say(settings, store, person, text)

    assert own_words in replies[0], replies
    assert question in " ".join(replies[1:]), replies  # the form, in English
    assert "Bạn" not in " ".join(replies), replies  # nothing in Vietnamese
    [intake] = _intakes_for(store, person)
    assert (intake.triage, intake.language) == (triage, language), replies
    with store.begin() as session:
        conversation = session.get(Conversation, intake.conversation_id)
        assert conversation is not None and conversation.handoff_requested_at is not None
        kinds = session.scalars(select(OutboxRow.kind).where(OutboxRow.intake_id == intake.id))
        assert "staff_alert" not in list(kinds)
        notes = read_notes(
            session, cipher=store.cipher, intake_id=intake.id, actor="e2e", reason="check"
        )
    assert [note.author for note in notes] == ["system:assistant"]
    assert "phiên dịch" in notes[0].text


def test_a_place_or_a_yes_after_an_answer_opens_the_offered_case(
    stack: tuple[Settings, Store],
) -> None:
    """Issue 16, with the real model: a request asked as a question is answered first, then put
    on file with its form offered, not started; the person who goes on with where they are, or a
    plain yes, takes the form up. The case keeps what they asked and the place as their answer."""
    settings, store = stack
    asked = "em mới từ bên Lào về, có chỗ nào làm lại căn cước miễn phí cho em không?"

    # Where they are: the help case opens with the place kept, and asks what they need.
    person = secrets.token_hex(12)
    first = say(settings, store, person, asked)
    offered = "\n".join(first)
    assert "ghi lại yêu cầu hỗ trợ" in offered and "Bạn cần hỗ trợ gì" not in offered, first
    [noted] = _intakes_for(store, person)  # on file at once; no form started
    second = say(settings, store, person, "em ở xã Na Ngoi, Kỳ Sơn")
    [intake] = _intakes_for(store, person)
    assert intake.id == noted.id
    assert intake.triage == "help"
    assert intake.province == "Nghệ An"  # Na Ngoi's, not the district "Kỳ Sơn" the NLU found
    kept = _reveal(store, intake.id)
    assert "Na Ngoi" in (kept["location_detail"] or ""), kept
    everything = "\n".join(value for value in kept.values() if value)
    assert "làm lại căn cước" in everything, everything  # what they asked, kept for staff
    said = "\n".join(second)
    assert "nơi bạn cho biết" in said and "Bạn cần hỗ trợ gì" in said, second
    assert "Tôi có thể giúp bạn" not in said  # not the menu

    # A plain yes: the help case opens and its form starts.
    person = secrets.token_hex(12)
    _, yes = _conversation(settings, store, person, [asked, "dạ có"])
    [intake] = _intakes_for(store, person)
    assert intake.triage == "help"
    assert "Bạn cần hỗ trợ gì" in "\n".join(yes), yes

    # Places listed from the smallest up, without accents: the place question's answer.
    person = secrets.token_hex(12)
    _conversation(settings, store, person, [asked, "Buon Ma Thuot, Dak Lak"])
    [intake] = _intakes_for(store, person)
    assert (intake.triage, intake.province) == ("help", "Đắk Lắk")

    # What they need, in a few words: the needs question's answer; the form asks what is next.
    person = secrets.token_hex(12)
    _, needs = _conversation(settings, store, person, [asked, "vay von va hoc nghe sua xe"])
    [intake] = _intakes_for(store, person)
    assert intake.triage == "help"
    said = "\n".join(needs)
    assert "Bạn cần hỗ trợ gì" not in said and "Tôi có thể giúp bạn" not in said, needs
    assert "học văn hóa" not in said  # "học nghề" is vocational training, not schooling
    everything = "\n".join(value for value in _reveal(store, intake.id).values() if value)
    assert "vay vốn" in everything and "việc làm" in everything, everything
