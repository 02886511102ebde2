"""Issue 16, fifteenth round: readings found on 2026-12m (a development set), in words of our own.

Someone home who says they are safe now tells a threat as part of the story of harm that is over
("hồi đó … còn dọa giết cả nhà em … giờ em về rồi, an toàn rồi"); a threat that goes on ("vẫn
nhắn tin dọa", "they still threaten my mother") stays danger now. "Cho chị hỏi", "cho anh hỏi"
open a question as "cho em hỏi" does (not "cho em cơ hội"). An accented word at the end is read
as written: "… chứ không bán." tells, "… không bạn?" asks.
"""

from __future__ import annotations

import pytest

from nlu.question import is_question
from nlu.urgency import assess


@pytest.mark.parametrize(
    "text",
    [
        "Lúc ở bên Lào chủ quán đánh em, nhốt em, còn dọa giết bố mẹ em. Giờ em về quê được một "
        "tháng, an toàn rồi, em muốn đi học lại.",
        "hoi o ben do tui no doa giet ca nha em, gio em ve nha roi, da an toan, can tu van tam ly",
    ],
)
def test_a_threat_in_the_story_of_someone_home_and_safe_is_over(text: str) -> None:
    seen = assess(text)
    assert not seen.reasons and "threat" in seen.signals and seen.past_harm, seen


@pytest.mark.parametrize(
    "text",
    [
        "em về nhà được 2 tuần rồi, an toàn rồi nhưng tụi nó vẫn nhắn tin dọa giết cả nhà em",
        "em trốn về được rồi, an toàn rồi, nhưng hôm qua chúng nó gọi điện dọa sẽ bắt em lại",
        "I came back home, I'm safe now but they still threaten my mother",
    ],
)
def test_a_threat_that_goes_on_stays_danger_now(text: str) -> None:
    assert "threat" in assess(text).reasons


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Cho chị hỏi nè, bên mình có giữ kín tên người báo tin hông, chị sợ bị trả thù", True),
        ("cho anh hoi, to chuc nao lo cho nguoi bi ban tro ve", True),
        ("xin cho em cơ hội làm lại", False),
        ("Trên mạng có người đăng mua thận, mình chỉ nhắn thử chứ không bán.", False),
        ("Công ty đó có đáng tin không bạn", True),
        ("cong ty do co dang tin khong ban", True),
    ],
)
def test_who_asks_and_the_last_word_as_written(text: str, asks: bool) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Chị dâu tôi mới sinh được một tuần, có người hẹn tối nay đến bế cháu đi, "
            "trả cho anh tôi 60 triệu.",
            "forced_birth_or_baby_sale",
        ),
        ("a van of young girls is crossing the border right now near Lao Cai", None),
        ("they took her away in a car an hour ago and her phone is off", None),
    ],
)
def test_a_newborn_sold_within_hours_and_a_crossing_now_are_urgent(
    text: str, reason: str | None
) -> None:
    reasons = assess(text).reasons
    assert (reason in reasons) if reason else "transport_in_progress" in reasons, reasons


def test_a_newborn_sold_last_year_is_a_signal_not_danger_now() -> None:
    seen = assess(
        "năm ngoái có người trả 50 triệu mua đứa bé mới sinh của hàng xóm, hôm nay tôi mới biết"
    )
    assert not seen.reasons and "forced_birth_or_baby_sale" in seen.signals, seen


@pytest.mark.parametrize(
    "text",
    [
        "Sáng nay có xe lạ vào bản đón hai cháu gái, một cháu 15 tuổi, nói đưa đi làm nhà hàng. "
        "Giờ gọi các cháu không nghe máy.",
        "be gai nha hang xom 13t di theo mot nguoi quen tren mang tu trua, gio goi ko dc",
    ],
)
def test_a_child_taken_away_today_and_unreachable_now_is_urgent(text: str) -> None:
    assert "child_taken" in assess(text).reasons


def test_a_child_home_today_who_does_not_pick_up_is_no_child_taken() -> None:
    text = "con gái tôi 16 tuổi, chiều nay đi học về rồi, tôi gọi không nghe máy vì nó đang ngủ"
    assert "child_taken" not in assess(text).reasons
