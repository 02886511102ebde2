"""The short "you are abroad" advice: 111 and 113 are numbers in Vietnam, the mission is abroad.

Under Điều 30 of the 2024 anti-trafficking law the Vietnamese embassy or consulate receives a
citizen who may be a victim, verifies identity and arranges the return. The urgent reply and the
help path call :func:`abroad_advice` when the person says where they are; the missions and their
(sourced, dated) numbers are data in ``content/missions.yml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from content.knowledge import CONTENT_DIR

MISSIONS_FILE = CONTENT_DIR / "missions.yml"
# "lao" is Laos, but "lao động" (labour), "lao công", "lao lý" are not, nor the province Lào Cai
# ("e ở Bảo Thắng, Lào Cai" is at home, not abroad).
_NOT_A_COUNTRY = re.compile(r"\blao (dong|cong|ly|luc|dao|xao|vao|cai)\b")


@dataclass(frozen=True)
class Mission:
    country: str  # key in missions.yml
    name: Mapping[str, str]  # the country's name
    mission: Mapping[str, str]  # who to contact there
    aliases: tuple[str, ...]
    number: str = ""  # empty when no number could be sourced
    source: str = ""


@dataclass(frozen=True)
class Missions:
    by_country: Mapping[str, Mission]
    mofa_hotline: tuple[str, ...]
    mofa_source: str


def load_missions(path: Path = MISSIONS_FILE) -> Missions:
    raw: Mapping[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    by_country = {
        key: Mission(
            country=key,
            name=dict(item["name"]),
            mission=dict(item["mission"]),
            aliases=tuple(str(alias) for alias in item.get("aliases") or ()),
            number=str(item.get("number") or ""),
            source=str(item.get("source") or ""),
        )
        for key, item in (raw.get("countries") or {}).items()
    }
    return Missions(
        by_country=by_country,
        mofa_hotline=tuple(str(n) for n in raw.get("mofa_hotline") or ()),
        mofa_source=str(raw.get("mofa_source") or ""),
    )


@lru_cache(maxsize=1)
def default_missions() -> Missions:
    return load_missions()


def find_country(text: str, missions: Missions | None = None) -> Mission | None:
    """The destination a person named ("e dang o cam", "Đài Loan", "Korea"), if it is listed."""
    from nlu.normalize import fold  # plain Python, importable from both venvs

    missions = missions or default_missions()
    folded = _NOT_A_COUNTRY.sub(" ", f" {fold(text)} ")
    # Longest alias first: "han quoc" before "han", "thai lan" before "thai".
    candidates = sorted(
        ((alias, mission) for mission in missions.by_country.values() for alias in mission.aliases),
        key=lambda pair: -len(pair[0]),
    )
    for alias, mission in candidates:
        if re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", folded):
            return mission
    return None


_TEXTS = {
    "vi": {
        "intro": "Bạn đang ở nước ngoài: 113 và 111 là số trong nước, có thể không gọi được từ đó.",
        "mission": "Hãy liên hệ {mission}",
        "number": " (đường dây nóng bảo hộ công dân {number})",
        "no_number": " (chúng tôi chưa có số đã kiểm chứng của nơi này)",
        "any_mission": "Hãy liên hệ Đại sứ quán hoặc Lãnh sự quán Việt Nam ở nước bạn đang ở",
        "mofa": ", hoặc Tổng đài bảo hộ công dân của Bộ Ngoại giao: {numbers}.",
        "law": (
            "Cơ quan đại diện Việt Nam tiếp nhận, xác minh nhân thân "
            "và làm thủ tục đưa bạn về nước."
        ),
        "danger": "Nếu đang gặp nguy hiểm ngay, hãy gọi cảnh sát nước sở tại.",
        "source": "Nguồn: Luật Phòng, chống mua bán người 2024, Điều 30; {sources}",
    },
    "en": {
        "intro": "You are abroad: 113 and 111 are numbers in Vietnam and may not work from there.",
        "mission": "Contact {mission}",
        "number": " (citizen-protection hotline {number})",
        "no_number": " (we do not have a checked number for it yet)",
        "any_mission": "Contact the Vietnamese embassy or consulate in the country you are in",
        "mofa": ", or the Ministry of Foreign Affairs' citizen-protection hotline: {numbers}.",
        "law": (
            "The Vietnamese mission receives you, verifies your identity and arranges your return."
        ),
        "danger": "If you are in danger right now, call the local police.",
        "source": "Source: Law on anti-trafficking 2024, Article 30; {sources}",
    },
}


def abroad_advice(
    country: str | None = None, language: str = "vi", missions: Missions | None = None
) -> str:
    """What to do from abroad, naming the mission of ``country`` (a key or the person's words).

    Short enough for the urgent reply: who to contact, the sourced numbers, one line of source.
    """
    missions = missions or default_missions()
    texts = _TEXTS["en" if language == "en" else "vi"]
    language = "en" if language == "en" else "vi"
    mission = None
    if country:
        mission = missions.by_country.get(country) or find_country(country, missions)
    sources = [missions.mofa_source]
    if mission is None:
        contact = texts["any_mission"]
    else:
        contact = texts["mission"].format(mission=mission.mission[language])
        if mission.number:
            contact += texts["number"].format(number=mission.number)
            sources.insert(0, mission.source)
        else:
            contact += texts["no_number"]
    numbers = ", ".join(missions.mofa_hotline)
    return "\n".join(
        (
            texts["intro"],
            contact + texts["mofa"].format(numbers=numbers),
            texts["law"],
            texts["danger"],
            texts["source"].format(sources="; ".join(s for s in sources if s)),
        )
    )
