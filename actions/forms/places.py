"""Does an answer name a place? Provinces (the 34 since 01/7/2025 and the 63 before), the words of
local government, countries as people write them, border gates and scam-compound towns, and the
districts, communes and wards of Vietnam named alone (``admin_units``).

Matching is on folded text ("Nghệ An", "nghe an" and "NGHE AN" look alike), so every written form
counts. Words that are also common words without their accent ("xa" far / xã, "ban" sell / bản,
"quan" shop / quận) count only accented, or unaccented before a capitalised name or a number.
"""

from __future__ import annotations

import re

from actions.forms.admin_units import names_unit, unit_province
from nlu.normalize import fold, nfc, strip_diacritics

# The 34 provinces and cities after the merger of 01/7/2025 (Nghị quyết 202/2025/QH15).
PROVINCES_2025 = (
    "Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Lai Châu", "Điện Biên",
    "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
    "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
    "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai",
    "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip
# The 63 provinces and cities before it: people still use the old names.
PROVINCES_BEFORE_2025 = (
    "Hà Nội", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên",
    "Lai Châu", "Sơn La", "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh",
    "Bắc Giang", "Phú Thọ", "Vĩnh Phúc", "Bắc Ninh", "Hải Dương", "Hải Phòng", "Hưng Yên",
    "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Đà Nẵng", "Quảng Nam", "Quảng Ngãi",
    "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai",
    "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai",
    "Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh",
    "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang", "Cần Thơ", "Hậu Giang", "Sóc Trăng",
    "Bạc Liêu", "Cà Mau",
)  # fmt: skip
# Other spellings people use for a province (folded) -> the name kept in the plain column.
PROVINCE_ALIASES = {
    "sai gon": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "tp hcm": "Hồ Chí Minh",
    "hcm": "Hồ Chí Minh", "ho chi minh": "Hồ Chí Minh", "vung tau": "Bà Rịa - Vũng Tàu",
    "ba ria vung tau": "Bà Rịa - Vũng Tàu", "brvt": "Bà Rịa - Vũng Tàu", "bac can": "Bắc Kạn",
    "dak lak": "Đắk Lắk", "dac lac": "Đắk Lắk", "dak nong": "Đắk Nông", "dac nong": "Đắk Nông",
    "hn": "Hà Nội", "hue": "Huế",
}  # fmt: skip
# Countries as people write them (folded, teencode included) and border / compound towns.
COUNTRIES = (
    "campuchia", "cam pu chia", "kampuchia", "cambodia", "cambo", "cpc", "trung quoc",
    "tq", "china", "ben tau", "laos", "myanmar", "mien dien", "mianma", "burma",
    "malaysia", "ma lai", "malay", "thai lan", "thailand", "dai loan", "taiwan", "han quoc",
    "korea", "nhat ban", "japan", "singapore", "indonesia", "philippines", "dubai", "uae",
    "a rap", "saudi", "russia", "ba lan", "poland", "germany", "australia",
    "viet nam", "vietnam", "vn", "anh quoc", "my quoc",
)  # fmt: skip
BORDER_AND_TOWNS = (
    "mong cai", "moc bai", "bavet", "muong te", "tay trang", "cau treo", "nam can", "lao bao",
    "huu nghi", "tan thanh", "ha khau", "xa mat", "tinh bien", "ha tien", "thanh thuy", "na meo",
    "bo y", "le thanh", "vinh xuong", "poipet", "myawaddy", "tachileik", "sihanoukville",
    "kampot", "phnom penh", "shwe kokko", "kk park", "tam giac vang", "golden triangle",
    "bokeo", "mong la", "thuy le", "ruili", "dong hung", "bang tuong", "meo vac", "ky son",
    "tuong duong", "phong tho", "sa pa", "sapa", "chau doc", "phu quoc", "bat xat", "hekou",
)  # fmt: skip
# Words of local government and geography that say "this is a place" in any written form.
PLACE_WORDS = (
    "huyen", "thi tran", "thi xa", "tp", "thanh pho", "thon", "xom", "khu pho", "to dan pho",
    "cua khau", "bien gioi", "nuoc ngoai", "ben kia", "kcn", "khu cong nghiep", "cum cong nghiep",
    "province", "district", "commune", "village", "city", "town", "border",
)  # fmt: skip
# Accented forms of words that are common words without their accent.
_ACCENTED_ONLY = (
    "xã", "bản", "quận", "tỉnh", "làng", "ấp", "thôn", "xóm", "phường", "lào", "úc", "mỹ",
)  # fmt: skip
_UNACCENTED_BEFORE_NAME = re.compile(
    r"\b(?:xa|ban|quan|tinh|phuong|huyen|thon|lang|ap|q|p|x|h|tt)[ .]+[A-Z]"
    r"|\b(?:quan|phuong|q|p)\.?\s*\d{1,2}\b"
    r"|\b(?:ben|sang|qua|o|tai|tu) (?:lao|Lao|LAO)\b(?! dong)"
)
_ACCENTED_WORD = re.compile(r"\b(?:" + "|".join(_ACCENTED_ONLY) + r")\b", re.IGNORECASE)


def _key(name: str) -> str:
    return " ".join(fold(name.replace("-", " ")).split())


_PROVINCES = {
    _key(name): name for name in (*PROVINCES_BEFORE_2025, *PROVINCES_2025)
} | PROVINCE_ALIASES
_ALL_NAMES = tuple(sorted({*_PROVINCES, *COUNTRIES, *BORDER_AND_TOWNS}, key=len, reverse=True))


def _contains(folded: str, phrase: str) -> bool:
    return f" {phrase} " in f" {folded} "


def province_in(text: str) -> str | None:
    """The province a text names (its usual written name), if any; else the province (since
    01/7/2025) of the district or commune it names ("Lục Ngạn" is in Bắc Ninh now)."""
    folded = _key(text)
    for key in sorted(_PROVINCES, key=len, reverse=True):
        if _contains(folded, key):
            return _PROVINCES[key]
    if province := unit_province(text):
        return _PROVINCES.get(_key(province), province)
    return None


def looks_like_place(text: str) -> bool:
    """True when the text names a province, country, border gate, district or commune, or uses a
    place word."""
    composed = nfc(text)
    folded = _key(composed)
    if not folded:
        return False
    if any(_contains(folded, name) for name in _ALL_NAMES):
        return True
    if any(_contains(folded, word) for word in PLACE_WORDS):
        return True
    if _ACCENTED_WORD.search(composed):
        return True
    if _UNACCENTED_BEFORE_NAME.search(strip_diacritics(composed)):
        return True
    return names_unit(composed)
