"""Issue 16, eighth round: kinds read on the 2026-12f set (a regression set since 2026-12g was
frozen). Sentences written for these tests (not from nlu/data or any test set).

- Danger now the net missed: a ransom with a deadline in hours, "buy yourself back", bought with
  a price, handed to a stranger, a child pulled into a car (an age between the child and the car),
  a tourist who saw a girl pushed into a van, a child due to meet an online contact tonight, "cíu".
- Not danger now: papers held but the person still working (a practice to verify), "không thể về
  nhà chồng nữa" (will not go back), a mother who "found her way home" after years.
- A tip that ends by asking how to pass it on is still a tip; a question put to us that the
  classifier read as an answer or small talk ("hỏi xíu", "báo tin ở đâu?") is a question.
"""

from __future__ import annotations

import pytest

from nlu.question import asks_us, is_question, says_reporting
from nlu.urgency import assess


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("chúng nó quay clip anh tôi bị đánh, đòi 200 triệu trong 24 tiếng", "ransom"),
        ("ong chu bao muon ve thi phai tu chuoc 3000 do", "ransom"),
        ("bọn nó nói đã mua bọn em giá 8000 đô một đứa", "being_sold"),
        ("em bị bà dì giao cho một ông lạ ở bên kia sông, ông ấy giữ hết đồ của em", "being_sold"),
        ("trước cổng chợ có người kéo một cô bé chừng 9 tuổi vào xe tải", "child_taken"),
        ("Someone just dragged a small boy into a white car near the market", "child_taken"),
        ("em gai toi 15t quen 1 nguoi tren tiktok, toi nay no hen don em toi o cong lang", None),
        ("ciu voi", "cry_for_help"),
    ],
)
def test_danger_now_in_these_words_pages(text: str, reason: str | None) -> None:
    reasons = assess(text).reasons
    assert reasons, text
    if reason:
        assert reason in reasons


@pytest.mark.parametrize(
    "text",
    [
        "chồng tôi đã bán tôi, tôi không thể về nhà chồng nữa, tôi cần chỗ ở cho hai mẹ con",
        "mẹ tôi bị bán sang Quảng Tây từ năm 1998, tháng trước mới tìm được đường về, "
        "cần làm lại căn cước",
    ],
)
def test_a_choice_or_a_return_is_no_page(text: str) -> None:
    assert assess(text).reasons == []


def test_papers_held_is_papers_not_a_person_held() -> None:
    reasons = assess("anh họ tôi bên Hàn bị giữ hộ chiếu nhưng vẫn đi làm bình thường").reasons
    assert "confinement" not in reasons


@pytest.mark.parametrize(
    "text",
    [
        "Chợ gần nhà có một bà chuyên dẫn gái quê ra nhà trọ, tôi có ảnh chụp, "
        "tôi gửi ảnh cho ai được ạ?",
        "There is a page recruiting girls for bars in Laos with no fees and free flights, "
        "where do I send the link?",
        "We run a shelter and know two recruiters who took workers to Myanmar, "
        "who should get this information?",
        "a company in my town keeps all the workers' passports, i want to report",
    ],
)
def test_a_tip_that_asks_how_to_pass_it_on_is_a_tip(text: str) -> None:
    assert says_reporting(text)


@pytest.mark.parametrize("text", ["em gửi ảnh cho ai ạ", "where do I send money for the bus?"])
def test_a_short_question_about_sending_is_still_a_question(text: str) -> None:
    assert not says_reporting(text)
    assert is_question(text)


def test_a_recruiters_offer_told_is_not_a_question_to_us() -> None:
    text = "ở bến xe có mấy người lạ cho tụi nhỏ tiền ăn, hỏi có muốn lên thành phố làm không"
    assert not is_question(text)


@pytest.mark.parametrize(
    "text", ["hỏi xíu", "BÁO TIN Ở ĐÂU?", "bao o dau vay", "how do recruiters fool people now?"]
)
def test_questions_put_to_us(text: str) -> None:
    assert asks_us(text)


@pytest.mark.parametrize("text", ["Hà Nội?", "ok?", "what?", "Quỳnh Lưu, Nghệ An"])
def test_answers_and_small_talk_are_not_questions_put_to_us(text: str) -> None:
    assert not asks_us(text)
