"""Round 17 (fifteenth session): a ransom told as paid, with when it happened, is harm that is over.

From 2026-12o's conversations, a development set once 2026-12p was frozen.
"""

from __future__ import annotations

import pytest

from nlu.urgency import assess


def test_ransomed_home_with_when_is_over() -> None:
    """ "GIA ĐÌNH CHUỘC VỀ HỒI THÁNG 9. GIỜ NỢ 200 TRIỆU TIỀN CHUỘC": back home, in debt for it."""
    seen = assess(
        "TÔI BỊ LỪA QUA CAMPUCHIA LÀM LỪA ĐẢO 8 THÁNG, GIA ĐÌNH CHUỘC VỀ HỒI THÁNG 9. "
        "GIỜ NỢ 200 TRIỆU TIỀN CHUỘC, KHÔNG CÓ VIỆC LÀM"
    )
    assert seen.reasons == []
    assert seen.past_harm and "ransom" in seen.signals


@pytest.mark.parametrize(
    "text",
    [
        "chúng nó đòi tiền chuộc, chuộc về thì phải 200 triệu trước tối nay",
        "họ nói phải chuộc con tôi về trước tháng sau không thì bán tiếp",
    ],
)
def test_a_ransom_still_demanded_stays_danger(text: str) -> None:
    assert "ransom" in assess(text).reasons
