"""Issue 16, twelfth round: readings found on 2026-12j (a development set once scored twice), in
words of our own.

- Danger now the net did not know: someone being sold right now ("đang bán cô ấy sang ..."), and
  the person who sold the writer back and saying they will take them again ("nói sẽ bắt em đi
  lại"). Both came mid-form in 2026-12j and paged nobody.
- Ransomed and home ("chuộc ... về được rồi") is over: help, not a ransom demand to page about.
"""

from __future__ import annotations

import pytest

from nlu.urgency import assess


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("mẹ tôi vừa gọi, bố dượng đang bán cô ấy sang bên kia cho một nhà lạ", "being_sold"),
        ("bon no dang ban toi qua cho chu khac, cuu toi", "being_sold"),
        ("thằng lừa em năm ngoái vừa nhắn, nói sẽ quay lại bắt em đi lại", "threat"),
        ("ong ta doa toi nay se den bat toi sang lai ben do", "threat"),
    ],
)
def test_sold_now_or_to_be_taken_again_is_danger_now(text: str, reason: str) -> None:
    assert reason in assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "bố nói sẽ bắt em đi học nghề ở huyện",
        "chị ấy đang bán hàng cho khách ở chợ",
        "mẹ tôi vay tiền chuộc anh tôi về được rồi, giờ anh cần chữa bệnh",
    ],
)
def test_an_errand_a_shop_and_a_ransom_long_paid_page_nobody(text: str) -> None:
    assert assess(text).reasons == []


def test_a_ransom_still_demanded_still_pages() -> None:
    assert "ransom" in assess("họ đòi tiền chuộc, phải chuộc về trước tối mai").reasons
