"""The help form's group decides which regimes of Điều 37 a person hears about."""

from __future__ import annotations

import pytest

from actions.forms.answers import Answer
from actions.forms.validate_help_form import group_of
from content.entitlements import entitlements_text, regimes_for


@pytest.mark.parametrize(
    ("said", "group"),
    [
        # A child who is herself a victim is a victim (a–k), not a child travelling with one.
        ("em 15 tuổi, em bị bán sang Trung Quốc", "victim"),
        ("em la nan nhan, 16 tuoi", "victim"),
        ("trẻ em bị bán", "victim"),
        # A victim who mentions their family is still the victim.
        ("tôi là nạn nhân, gia đình tôi cũng cần hỗ trợ", "victim"),
        ("I am a victim, my family wants to help", "victim"),
        # Children travelling with a victim and relatives keep their own groups.
        ("trẻ em đi cùng nạn nhân", "child"),
        ("con đi cùng mẹ, mẹ là nạn nhân", "child"),
        ("tôi là mẹ của nạn nhân", "family"),
        ("con tôi bị bán", "family"),
        ("người nhà nạn nhân", "family"),
        ("Đang được xác định", "being_identified"),
        ("nạn nhân", "victim"),
        ("ko biet", None),
    ],
)
def test_group_of(said: str, group: str | None) -> None:
    assert group_of(Answer(said)) == group


def test_a_child_victim_hears_all_ten_regimes() -> None:
    group = group_of(Answer("Em là trẻ em, mới 14 tuổi, em bị bán sang Trung Quốc"))
    assert group == "victim"
    assert regimes_for(group)[-1] == "k"
    text = entitlements_text(group, "vi")
    assert "vay vốn" in text.lower()  # regime k is listed


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_support_need_is_a_button_that_reads_back_as_that_need(language: str) -> None:
    from actions.forms.questions import buttons_for
    from actions.forms.validate_help_form import NEED_WORDS, needs_of

    buttons = buttons_for("help_needs", language)
    chosen = [needs_of(Answer(text=b["payload"])) for b in buttons[:-1]]  # the last one skips
    assert chosen == [[need] for need in NEED_WORDS]
    assert needs_of(Answer(text="giấy tờ, y tế và việc làm")) == ["giấy tờ", "y tế", "việc làm"]
