"""Districts, communes and wards named alone ("Lục Ngạn", "huyện Kỳ Sơn", "xa Na Ngoi"), and the
province they lie in since 01/7/2025.

People in the mountains name their district or commune, not the province. The names come from
the ``vietnamadminunits`` package (MIT): the 63-province divisions before 01/7/2025 (districts
and their communes) and the 34-province ones after (communes and wards), with the table that
maps each old province to the new one. Only its data files are read, on the first use (the
package's own modules import geometry libraries a form never needs).

Many unit names are also common words or auspicious names repeated across the country ("Hòa
Bình", "An Phú", "Tân Tiến", "Phường 1"): those count only after a unit word (huyện, quận, xã,
phường, thị trấn, thị xã, "h.", "tt") or written with capitals in accented text.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from nlu.normalize import has_diacritics, nfc, strip_diacritics, tokens

log = logging.getLogger(__name__)

# Unit words as people write them, folded: one word, or two ("thi tran"), before a name.
_UNIT_WORDS_ONE = frozenset({"huyen", "quan", "xa", "phuong", "tp", "tx", "tt", "h", "q", "x", "p"})
_UNIT_WORDS_TWO = frozenset({"thi tran", "thi xa", "thanh pho", "dac khu"})
# Unit words that are also common words unaccented ("xa" far, "quan" shop) or single letters.
_WEAK_UNIT_WORDS = frozenset({"xa", "quan", "h", "q", "x", "p"})
# A name found in this many provinces (as they are since 2025) is a common name, not a clue.
_COMMON_FROM = 3
# Everyday words that are also the name of some commune or ward somewhere (folded): the
# collisions found in everyday messages about work, travel and help ("gia đình", "tiền lương",
# "văn phòng", "đi ăn", "lương bằng đô").
_EVERYDAY = frozenset(
    {
        "hoa binh", "an phu", "tan tien", "thong nhat", "doc lap", "doan ket", "tien bo",
        "quyet thang", "thang loi", "dan chu", "tu do", "hanh phuc", "binh minh", "hy vong",
        "thanh cong", "trung tam", "an toan", "an binh", "binh an", "tan an", "phu my",
        "hoa an", "dong tam", "quyet tien", "hop tien", "dai dong", "truong xuan", "ben cau",
        "hop dong", "dong y", "ban cong", "mua ban", "chau can", "ban co", "dinh nghia",
        "vang", "cong ty", "trung thanh", "tan tao", "nhan co", "gia dinh", "co bi", "la gi",
        "can duoc", "tam lanh", "bao an", "tien an", "dong co", "van phong", "dai dien",
        "ban thi", "bao ai", "hai nam", "co ba", "ban qua", "cho moi", "cho ra", "nam co",
        "dong la", "cam lam", "dieu tri", "ban bo", "tu trung", "con minh", "ba nam",
        "trieu co", "minh bao", "an thi", "du tien", "tu nhan", "cap tien", "phu trach",
        "bao la", "van ban", "giao nhan", "la phu", "con co", "de gi", "can kiem", "dong bang",
        "nam trung", "cam gia", "to tung", "dong sang", "gio an", "van truc", "nam da",
        "tien luong", "dong dang", "ban lam", "van con", "co noi", "tinh ha", "bao dai",
        "tra co", "tien duoc", "lam phu", "phu ho", "luong bang", "tung anh", "tong lanh",
        "bang van", "truong lam", "nhan quyen", "can co", "dinh tien", "dinh ban", "tam phu",
        "an do", "van tao", "nhan dao", "mo vang", "di an",
    }
)  # fmt: skip
_LONGEST = 5  # words in the longest unit name worth looking for
# Unaccented, two syllables make a unit name by chance ("nan nhan co duoc": Nhân Cơ): without a
# unit word, a name counts there only when little else is said ("luc ngan", "o que vo a").
_OTHER_WORDS_UNACCENTED = 3


@dataclass(frozen=True)
class _Units:
    # folded name -> the provinces (since 2025, usual written name) of the units so called
    provinces: dict[str, frozenset[str]]
    # folded names that need a unit word or capitals to count
    common: frozenset[str]
    # folded name -> its accented spellings, lower case ("nhân cơ" is not "nhân có")
    spellings: dict[str, frozenset[str]]


def _key(name: str) -> str:
    return " ".join(strip_diacritics(nfc(name).lower().replace("-", " ")).split())


def _accented(name: str) -> str:
    return " ".join(nfc(name).lower().replace("-", " ").split())


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read(folder: Path, name: str) -> dict[str, Any]:
    with (folder / f"{name}.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _short(value: Any) -> str:
    return value if isinstance(value, str) else ""


@cache
def _units() -> _Units:
    folder = _data_dir()
    if folder is None or not folder.is_dir():
        log.warning("vietnamadminunits is not installed: districts and communes named alone")
        return _Units({}, frozenset(), {})
    legacy = _read(folder, "parser_legacy")
    current = _read(folder, "parser_from_2025")
    merger = _read(folder, "converter_2025")["DICT_PROVINCE"]
    new_name = {key: value["provinceShort"] for key, value in current["DICT_PROVINCE"].items()}
    # Old province key -> the province it is part of since 01/7/2025.
    after_merger = {old: new_name[new] for new, olds in merger.items() for old in olds}
    found: dict[str, set[str]] = {}
    spellings: dict[str, set[str]] = {}

    def add(name: str, province: str) -> None:
        if key := _key(name):
            found.setdefault(key, set()).add(province)
            spellings.setdefault(key, set()).add(_accented(name))

    for old, districts in legacy["DICT_PROVINCE_DISTRICT"].items():
        province = after_merger.get(old, "")
        for district in districts.values():
            add(_short(district.get("districtShort")), province)
    for old, districts in legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items():
        province = after_merger.get(old, "")
        for wards in districts.values():
            for ward in wards.values():
                add(_short(ward.get("wardShort")), province)
    for new, wards in current["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
        for ward in wards.values():
            add(_short(ward.get("wardShort")), new_name[new])
    common = {
        key
        for key, where in found.items()
        if len(where) >= _COMMON_FROM
        or key in _EVERYDAY
        or len(key.split()) < 2
        or any(ch.isdigit() for ch in key)
    }
    return _Units(
        {key: frozenset(p for p in where if p) for key, where in found.items()},
        frozenset(common),
        {key: frozenset(names) for key, names in spellings.items()},
    )


def _unit_word_before(words: list[str], keys: list[str], start: int) -> str:
    """ "strong" after a unit word that is nothing else ("huyện", "phuong", "thi tran", "xã"
    accented), "weak" after one that is also a common word unaccented ("xa" far, "quan" shop,
    "h."), "" after none."""
    if start >= 2 and f"{keys[start - 2]} {keys[start - 1]}" in _UNIT_WORDS_TWO:
        return "strong"
    if start < 1 or keys[start - 1] not in _UNIT_WORDS_ONE:
        return ""
    weak = keys[start - 1] in _WEAK_UNIT_WORDS and words[start - 1].lower() not in ("xã", "quận")
    return "weak" if weak else "strong"


def _capitalised(words: list[str]) -> bool:
    return all(word[:1].isupper() for word in words)


def units_in(text: str) -> list[frozenset[str]]:
    """The units a text names, longest first, each as the provinces a unit of that name lies in
    (several when the name is found in several provinces, none when the data has no province)."""
    units = _units()
    if not units.provinces:
        return []
    composed = nfc(text)
    words = tokens(composed)
    keys = [strip_diacritics(word.lower()) for word in words]
    accented = has_diacritics(composed)
    # Capitals tell a name only where the text is not written all in capitals.
    cased = composed != composed.upper()
    named: list[frozenset[str]] = []
    start = 0
    while start < len(keys):
        for length in range(min(_LONGEST, len(keys) - start), 0, -1):
            key = " ".join(keys[start : start + length])
            if key not in units.provinces:
                continue
            unit_word = _unit_word_before(words, keys, start)
            capitals = cased and _capitalised(words[start : start + length])
            # "xa Na Ngoi" is a commune, "xa lắm" is far: a weak unit word needs a capital.
            if unit_word == "weak" and not capitals:
                unit_word = ""
            if key in units.common and not (unit_word or (accented and length > 1 and capitals)):
                continue
            if not unit_word and not (
                _accented(" ".join(words[start : start + length])) in units.spellings[key]
                if accented
                else len(keys) - length <= _OTHER_WORDS_UNACCENTED
            ):
                continue
            named.append(units.provinces[key])
            start += length - 1
            break
        start += 1
    return sorted(named, key=len)


def names_unit(text: str) -> bool:
    """True when the text names a district, commune or ward of Vietnam."""
    return bool(units_in(text))


def unit_province(text: str) -> str | None:
    """The province (since 01/7/2025) of the units a text names, when they tell one province."""
    named = [provinces for provinces in units_in(text) if provinces]
    if not named:
        return None
    shared = frozenset.intersection(*named)
    if len(shared) == 1:
        return next(iter(shared))
    # "Mường Xén, Kỳ Sơn": the name found in one province only says which Kỳ Sơn.
    single = {next(iter(provinces)) for provinces in named if len(provinces) == 1}
    return next(iter(single)) if len(single) == 1 else None
