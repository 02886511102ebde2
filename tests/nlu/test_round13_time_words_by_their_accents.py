"""Issue 16, thirteenth round: readings found on 2026-12j (a development set), in words of our own.

A cut-off call is danger now only when it is recent ("tối qua nhắn cứu rồi tắt máy"). Folded, two
common words read as its time words: "tôi qua môi giới" (I, through a broker) as "tối qua" (last
night), and "mời" (invites: "chuyên mời phụ nữ đi làm") as "mới" (just). A relative married
through a broker and silent for months, or a recruiter whose recruits went quiet, is a tip for
staff to verify, not a page. Where the text has its accents the time word must be written as one;
without them, whom "moi" invites tells it.
"""

from __future__ import annotations

import pytest

from nlu.urgency import assess


@pytest.mark.parametrize(
    "text",
    [
        "Em tôi qua môi giới sang Hàn lấy chồng, hai năm nay không liên lạc được",
        "ông Tư chuyên mời phụ nữ trong bản đi làm thuê, mấy người đi rồi mất liên lạc",
        "ong tu chuyen moi chi em trong ban di lam, co nguoi di roi mat lien lac",
        "chi toi qua trung gian lay chong ben kia, tu thang 3 khong goi duoc",
    ],
)
def test_a_broker_or_a_recruiter_and_silence_for_long_pages_nobody(text: str) -> None:
    assert "cut_off_contact" not in assess(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "chị tôi qua đó làm, tối qua nhắn cứu rồi tắt máy",
        "em gai toi moi goi ve khoc roi mat lien lac",
        "toi qua nó nhắn cứu rồi tat may luon",  # accents on some words only: "toi" is not told
        "Con bé mới nhắn được một câu rồi mất liên lạc",
    ],
)
def test_a_call_cut_off_last_night_or_just_now_is_danger_now(text: str) -> None:
    assert "cut_off_contact" in assess(text).reasons
