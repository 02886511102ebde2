"""A person abroad is told who can help there: the mission of that country, not 113."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from content.abroad import abroad_advice, find_country, load_missions
from content.knowledge import load_knowledge_base

# The main destinations (issue 19) and the words that must name their mission.
DESTINATIONS = {
    "Campuchia": "Đại sứ quán Việt Nam tại Campuchia",
    "Lào": "Đại sứ quán Việt Nam tại Lào",
    "Trung Quốc": "Việt Nam tại Trung Quốc",
    "Myanmar": "Đại sứ quán Việt Nam tại Myanmar",
    "Thái Lan": "Đại sứ quán Việt Nam tại Thái Lan",
    "Malaysia": "Đại sứ quán Việt Nam tại Malaysia",
    "Hàn Quốc": "Đại sứ quán Việt Nam tại Hàn Quốc",
    "Nhật Bản": "Đại sứ quán Việt Nam tại Nhật Bản",
    "Đài Loan": "Văn phòng Kinh tế và Văn hóa Việt Nam tại Đài Bắc",
}
MOFA = "+84 981 84 84 84"


@pytest.mark.parametrize(("country", "mission"), DESTINATIONS.items())
def test_advice_names_the_mission_of_each_destination(country: str, mission: str) -> None:
    advice = abroad_advice(country, "vi")
    assert mission in advice
    assert MOFA in advice
    assert "Điều 30" in advice
    # 113 is only named as a number in Vietnam, never as the one to call from there.
    assert "113 và 111 là số trong nước" in advice


@pytest.mark.parametrize(
    ("said", "country"),
    [
        ("e dang o cam, bi giu ho chieu", "cambodia"),
        ("bị bán sang tq", "china"),
        ("em làm ở Đài Loan", "taiwan"),
        ("I'm in South Korea", "korea"),
        ("dang o ben lao", "laos"),
    ],
)
def test_the_country_is_found_in_how_people_write_it(said: str, country: str) -> None:
    found = find_country(said)
    assert found is not None and found.country == country


@pytest.mark.parametrize(
    "said",
    ["xuất khẩu lao động", "cảm ơn", "thai nhi", "tốt nhất", "e ở Bảo Thắng, Lào Cai", "o lao cai"],
)
def test_common_words_are_not_countries(said: str) -> None:
    assert find_country(said) is None


def test_english_advice_and_a_mission_without_a_sourced_number() -> None:
    advice = abroad_advice("taiwan", "en")
    assert "Vietnam Economic and Cultural Office in Taipei" in advice
    assert "we do not have a checked number" in advice
    myanmar = abroad_advice("myanmar", "en")
    assert "+95 9 660 888 998" in myanmar and "thanhtra.com.vn 14/11/2023" in myanmar


def test_every_number_abroad_is_allowed_sourced_dated_and_due_for_review() -> None:
    kb = load_knowledge_base()
    missions = load_missions()
    numbers = [*missions.mofa_hotline, *(m.number for m in missions.by_country.values())]
    shown = [n for n in numbers if n]
    assert len(shown) >= 3
    for number in shown:
        allowed = kb.numbers[re.sub(r"\D", "", number)]
        assert allowed.status == "abroad" and allowed.cite
        assert allowed.review_by is not None and allowed.review_by > dt.date(2026, 12, 5)


def test_abroad_topic_names_every_destination() -> None:
    entry = load_knowledge_base().entries["abroad_help"]
    for country in DESTINATIONS:
        assert country in entry.answer["vi"], country
    assert "Văn phòng Kinh tế và Văn hóa Việt Nam tại Đài Bắc" in entry.answer["vi"]
    assert entry.review_by is not None
