"""Issue 16, tenth round: readings found where a retrained model broke older conversations
(2026-12h b02, 2026-12f h23 and 2026-12d f22, regression sets now), in words of our own.

- Someone taken across the border tonight is danger now whoever tells it: "đêm nay có người dẫn
  (anh tôi) đi đường mòn qua Lào" (not only "đêm nay họ đưa em …"). Told as last year's story, or
  only that someone goes to work, it is not.
- A child gone "since this morning" ("đi từ sáng", "từ trưa đến giờ") with someone met online and
  unreachable is recent; "tự sang Trung Quốc từ năm ngoái" is not ("tự" folds like "từ").
- "i leave last week, now stay at church": harm over, in the English of someone for whom it is a
  second language; they ask for help, which pages nobody.
"""

from __future__ import annotations

import pytest

from nlu.urgency import assess


@pytest.mark.parametrize(
    "text",
    [
        "chồng chị tôi gọi về bảo đêm nay có người dẫn đi đường mòn sang Trung Quốc làm thuê",
        "toi nay nguoi ta cho may dua con gai trong ban di qua bien gioi, con be nha ben cung di",
        "sáng mai có xe đón em họ tôi đi qua cửa khẩu sang Campuchia, nó mới 16 tuổi",
    ],
)
def test_someone_taken_across_tonight_is_danger_now(text: str) -> None:
    assert "transport_in_progress" in assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "năm ngoái có người dẫn anh tôi đi đường mòn qua Lào, tối nay tôi mới dám kể",
        "tối nay con bé nhà bên đi Lào làm phục vụ, tôi thấy lo",
    ],
)
def test_a_crossing_told_of_the_past_or_a_trip_alone_is_not(text: str) -> None:
    assert "transport_in_progress" not in assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "i work on a fishing boat 2 year no money, i run away last month, now stay at temple, "
        "i need help go home",
        "we left three weeks ago, now we living with a friend in Hue, we need papers",
    ],
)
def test_left_some_time_ago_and_staying_somewhere_safe_asks_for_help(text: str) -> None:
    seen = assess(text)
    assert not seen.reasons
    assert seen.own_needs


def test_a_child_gone_since_this_morning_with_an_online_contact_is_danger_now() -> None:
    gone = "thằng bé nhà tôi 13 tuổi đi từ sáng với đứa bạn quen qua game, giờ gọi không được"
    assert "child_missing_recent" in assess(gone).reasons
    long_ago = (
        "con gái tôi 16 tuổi quen bạn trên mạng rồi tự sang Trung Quốc năm ngoái, "
        "giờ không gọi được"
    )
    assert "child_missing_recent" not in assess(long_ago).reasons
