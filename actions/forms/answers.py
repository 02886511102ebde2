"""Reading one free-text answer: skipped, yes/no, a number, an age.

Answers arrive accented, unaccented or in teencode; ``nlu.normalize.fold`` brings them to one form
("Không biết", "ko bik" and "k bt" all fold to "khong biet").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from actions.forms.feelings import read_feeling
from nlu.contact import arranges_contact, writes_back
from nlu.normalize import fold, normalize

SKIPPED = "skip"  # the slot value of a question the person chose not to answer

_SKIP_PHRASES = (
    "bo qua", "skip", "khong biet", "chua biet", "khong ro", "khong nho", "pass",
    "khong muon noi", "khong tra loi", "i don't know", "i dont know", "dont know", "not sure",
    "prefer not to say", "next",
)  # fmt: skip
# Yes and no as people type them, on folded words (diacritics gone, "ko"/"k"/"hok" → "khong").
# A typed button title ("Có, xóa", "Không xóa") reads like the button: the action word is dropped.
_YES_PHRASES = (
    "co", "vang", "da", "u", "uh", "uk", "um", "uhm", "ua", "o", "ok", "oke", "okie", "oki",
    "okay", "duoc", "dong y", "yes", "yeah", "yep", "y", "sure", "an toan", "dung", "chuan",
    "phai", "chinh xac", "chac chan", "xac nhan", "of course",
)  # fmt: skip
_NO_PHRASES = (
    "khong", "chua", "no", "nope", "not", "thoi", "sai", "tu choi", "dont", "do not", "never",
    "nah", "n",
)  # fmt: skip
# Not yes or no, whatever the first word says.
_UNSURE = ("co le", "co the", "khong sao", "chua biet", "khong biet", "khong chac", "chua chac")
# The action a yes/no button names; typed after the yes or the no, it changes nothing.
_ACTION_WORDS = frozenset({"xoa", "erase", "delete", "luu", "save", "a", "nhe", "nha", "ad", "roi"})
# "dừng" with its accent, or a stop that cannot be "đúng": the person wants to stop.
_STOP_FOLDED = ("dung lai", "dung di", "thoi dung", "stop", "dung het", "ket thuc", "huy bo")
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
# Units after "mười"/"mươi": "mười lăm" 15, "hai mốt" 21, "mười tư" 14.
_UNIT_WORDS = {**{k: v for k, v in _NUMBER_WORDS.items() if v < 10 and k.isascii()}, "lam": 5,
               "mot": 1, "tu": 4, "linh": 0, "le": 0}  # fmt: skip
_APPROX = r"(?:tam|khoang|chung|co|gan|hon|duoi|tren|about|around|nearly)"
_DONT_KNOW = ("khong biet", "chua biet", "khong ro", "chang biet", "dont know", "don't know")
# "em không biết ở đâu", "tôi cũng không rõ nữa", "e k bit", "I don't know where": nothing but a
# "don't know" around who says it and what they do not know is a skip, never a place or a name.
_DONT_KNOW_ALONE = (
    *_DONT_KNOW, "khong bit", "chua bit", "khong ro lam", "chiu", "khong nho", "chua ro",
    "do not know", "no idea", "idk", "not sure", "have no idea",
)  # fmt: skip
_DONT_KNOW_AROUND = frozenset(
    {
        "em", "toi", "tui", "minh", "chau", "con", "to", "tao", "mk", "t", "da", "vang", "thi",
        "cung", "that", "su", "thuc", "nua", "a", "ah", "ak", "luon", "het", "ca",
        "roi", "o", "dau", "la", "gi", "ai", "khi", "nao", "bao", "nhieu", "cho", "nhe",
        "nha", "chi", "anh", "oi", "i", "really", "where", "what", "who", "when", "it",
        "sorry", "xin", "loi", "lam", "qua", "duoc", "chinh", "xac",
    }
)  # fmt: skip
# A plain thank-you ("cảm ơn", "cam on ban", "thanks", "dạ cảm ơn ạ", "ok cảm ơn"): polite, not
# an answer (at a yes/no question "ok cảm ơn" is a yes: the yes is read first).
# "camon", "tks" and "thanks" fold to "cam on".
_THANKS = ("cam on", "thank you", "thank", "ty", "thx", "cam ta")
_THANKS_AROUND = frozenset(
    {
        "da", "a", "ah", "nhe", "nha", "nhieu", "rat", "ban", "chi", "anh", "em", "ad", "admin",
        "bot", "oi", "minh", "you", "so", "much", "very", "lot", "alot", "lam", "ca",
        "nhiu", "ne", "ok", "oke", "okie", "vang", "u", "uh", "uk", "um",
    }
)  # fmt: skip
# Being reached, in the person's words: "gọi cho tôi được", "nhắn zalo", "liên hệ lại", "call me".
_CONTACT = re.compile(
    r"\b(?:goi|nhan|nhan tin|lien he|lien lac|call|text|message|sms|zalo|so dien thoai|phone)\b"
)
# ...and wanting a person now ("cho tôi gặp cán bộ", "talk to a real person"): a call for one.
_PERSON_NOW = re.compile(r"\b(?:gap|noi chuyen|nguoi that|talk|speak|human|real person)\b")
# Forbidding it: "đừng gọi", "không an toàn", "dont call". A final "không" asks ("gọi được không").
_FORBIDS = re.compile(
    r"\b(?:dung (?:goi|nhan|lien|call|text|zalo)|khoi|dont|do not|never|not)\b"
    r"|\b(?:khong|chua)\b(?! *$)"
)
_PHONE_DIGITS = 9
_AGE = re.compile(r"(\d{1,3})\s*(?:tuoi|t\b|years?|yrs?|yo\b)")
# "tầm 16" is an age; "khoảng 20 người" is a count.
_APPROX_AGE = re.compile(
    rf"\b{_APPROX} (\d{{1,3}})\b(?! (?:nguoi|dua|be|co gai|chau|nam|thang|ngay|km|trieu|tr|k)\b)"
)
_AGE_LEAD = re.compile(rf"{_APPROX}|moi|duoc|chi|la")


@dataclass(frozen=True)
class Answer:
    """One answer to the question the form asked."""

    text: str
    intent: str = ""
    entities: dict[str, str] = field(default_factory=dict)

    @property
    def folded(self) -> str:
        return fold(self.text).strip(" .!?")

    @property
    def skipped(self) -> bool:
        folded = self.folded.replace(",", " ")
        if not folded or self.dont_know:
            return True
        for phrase in _SKIP_PHRASES:
            # "không biết ở đâu" skips; "không biết, họ vừa đánh bạn em" is an answer.
            if folded == phrase or (
                folded.startswith(phrase + " ") and len(folded[len(phrase) :].split()) <= 2
            ):
                return True
        return False

    @property
    def dont_know(self) -> bool:
        """Only a "don't know" ("em không biết ở đâu", "e k bit", "I don't know where")."""
        rest = f" {' '.join(self.words)} "
        found = False
        for phrase in sorted(_DONT_KNOW_ALONE, key=len, reverse=True):
            if f" {phrase} " in rest:
                rest, found = rest.replace(f" {phrase} ", " "), True
        return found and all(word in _DONT_KNOW_AROUND for word in rest.split())

    @property
    def thanks(self) -> bool:
        """Only a thank-you, never an answer ("cảm ơn", "dạ cảm ơn ạ", "thanks a lot")."""
        rest = f" {' '.join(self.words)} "
        found = False
        for phrase in _THANKS:
            if f" {phrase} " in rest:
                rest, found = rest.replace(f" {phrase} ", " "), True
        return found and all(word in _THANKS_AROUND for word in rest.split())

    @property
    def words(self) -> list[str]:
        return self.folded.replace(",", " ").replace(".", " ").split()

    def yes_no(self) -> bool | None:
        """True for yes, False for no, None when it is neither (or skipped).

        Every written form: "đúng"/"dung"/"đúng rồi", "có"/"co"/"có ạ", "ừ"/"uh"/"uk", "ok",
        "đồng ý", "vâng"/"dạ", "yes"; "không"/"ko"/"k"/"hok", "no", "thôi"; a typed button title
        ("Có, xóa", "Không xóa"). "Dừng" with its accent is a stop, never a yes.
        """
        if self.skipped or self.stops:
            return None
        words = [w for w in self.words if w not in _ACTION_WORDS] or self.words
        if len(words) > 1 and words[0] in ("da", "vang", "thua"):
            words = words[1:]  # "dạ không", "vâng ạ": the polite word is not the answer
        phrase = " ".join(words)
        if not phrase or any(phrase == u or phrase.startswith(u + " ") for u in _UNSURE):
            return None
        for answers, value in ((_NO_PHRASES, False), (_YES_PHRASES, True)):
            for said in answers:
                if phrase == said or phrase.startswith(said + " "):
                    return value
        if self.thanks:
            return None  # "dạ cảm ơn ạ" is polite, not a yes, whatever the classifier thought
        if self.intent == "affirm":
            return True
        if self.intent == "deny":
            return False
        return None

    def phone(self) -> str:
        """A phone number given in the answer (the phone entity, else the digits typed), "" when
        it holds fewer than nine digits."""
        phone = self.entities.get("phone") or ""
        if sum(ch.isdigit() for ch in phone) < _PHONE_DIGITS:
            digits = "".join(ch for ch in self.text if ch.isdigit() or ch == "+")
            phone = digits if sum(ch.isdigit() for ch in digits) >= _PHONE_DIGITS else ""
        return phone

    @property
    def about_contact(self) -> bool:
        """It says how (or whether) to be reached and asks for no person now: "gọi cho tôi được,
        an toàn" and "chỉ nhắn tin thôi" answer a contact question the classifier may take for a
        call for a person; "cho em gặp cán bộ" is one."""
        folded = " ".join(self.words)
        return bool(_CONTACT.search(folded)) and not _PERSON_NOW.search(folded)

    @property
    def arranges_contact(self) -> bool:
        """It arranges how to be reached ("đừng gọi điện cho tôi", "tôi sẽ tự nhắn lại"), at any
        question: the answer to the form's contact question, never a call for a person."""
        return arranges_contact(self.text)

    def allows_contact(self) -> bool | None:
        """The answer to "may staff contact you?": a yes or no, or contact words that allow it
        ("gọi cho tôi được") or forbid it ("đừng gọi, chồng em hay xem máy": no contact at all;
        staff read the words). None when it says neither."""
        if not self.about_contact:
            return self.yes_no()
        # Before the yes: "dung goi" is "đừng gọi", never "đúng".
        if "đừng" in normalize(self.text).split() or _FORBIDS.search(" ".join(self.words)):
            return False
        if writes_back(self.text):
            return False
        return self.yes_no() is not False

    @property
    def stops(self) -> bool:
        """A clear "stop": "dừng" with its accent, "dung lai", "stop", "thôi dừng".

        A bare "dung" is not one: without accents it is as likely "đúng" (right).
        """
        if "dừng" in normalize(self.text).split():
            return True
        folded = " ".join(self.words)
        return any(folded == s or folded.startswith(s + " ") for s in _STOP_FOLDED)

    @property
    def unsure(self) -> bool:
        """ "Em cũng không biết đây là đâu": the person says what they do not know (an answer
        staff can read), not a question to us."""
        folded = f" {' '.join(self.words)} "
        return "?" not in self.text and any(f" {w} " in folded for w in _DONT_KNOW)

    @property
    def feeling(self) -> bool:
        """Only a feeling, no answer ("em sợ lắm", "tôi run quá không nhớ nổi", "e so qa")."""
        feels, rest = read_feeling(self.text)
        return feels and not rest

    @property
    def feels(self) -> bool:
        """A feeling is said, with or without an answer ("em sợ lắm, nó ở Móng Cái")."""
        return read_feeling(self.text)[0]

    def without_feeling(self) -> Answer:
        """The answer without the clauses that tell a feeling (itself when there are none)."""
        feels, rest = read_feeling(self.text)
        if not feels or not rest:
            return self
        return Answer(text=rest, intent=self.intent, entities=self.entities)

    def number(self) -> int | None:
        """A count ("3 người", "hai người", people_count entity); None if there is none."""
        for source in (self.entities.get("people_count", ""), self.folded):
            if match := re.search(r"\d{1,4}", source):
                return int(match.group())
        for word in self.folded.split():
            if word in _NUMBER_WORDS:
                return _NUMBER_WORDS[word]
        return None

    def age(self) -> int | None:
        """An age: "15 tuổi", "17t", "tầm 16", "mười lăm", "16" alone, the age entity."""
        for source in (self.entities.get("age", ""), self.folded):
            if match := _AGE.search(source) or re.fullmatch(r"\s*(\d{1,3})\s*", source):
                return _plausible(int(match.group(1)))
        if match := _APPROX_AGE.search(self.folded):
            return _plausible(int(match.group(1)))
        return _age_in_words(self.words)


def _plausible(age: int) -> int | None:
    return age if 0 < age < 120 else None


def spoken_number(words: list[str]) -> int | None:
    """ "mười lăm" 15, "hai mươi mốt" 21, "hai mốt" 21, "mười" 10, "bảy" 7 (folded words)."""
    units = {k: v for k, v in _NUMBER_WORDS.items() if 0 < v < 10}
    if words and words[0] == "muoi":
        rest = words[1:]
        if not rest:
            return 10
        if len(rest) == 1 and rest[0] in _UNIT_WORDS:
            return 10 + _UNIT_WORDS[rest[0]]
        return None
    if words and words[0] in units and units[words[0]] > 1:
        tens = units[words[0]] * 10
        rest = words[1:]
        if rest[:1] == ["muoi"]:
            rest = rest[1:]
        elif len(words) == 1:
            return units[words[0]]
        if not rest:
            return tens
        if len(rest) == 1 and rest[0] in _UNIT_WORDS:
            return tens + _UNIT_WORDS[rest[0]]
    return None


def _age_in_words(words: list[str]) -> int | None:
    """An age in words, when it is clearly an age: "… mười lăm tuổi", "tầm mười sáu", or the
    whole answer ("mười lăm")."""
    numeric = set(_NUMBER_WORDS) | set(_UNIT_WORDS)
    for start in range(len(words)):
        if (
            re.fullmatch(_APPROX, words[start])
            and words[start + 1 : start + 2]
            and (words[start + 1] in numeric)
        ):
            continue  # "tầm mười sáu": "tầm" is "about", not eight
        for length in (3, 2, 1):
            run = words[start : start + length]
            if len(run) < length or not all(w in numeric for w in run):
                continue
            value = spoken_number(run)
            if value is None:
                continue
            after = words[start + length : start + length + 1]
            before = words[start - 1 : start] if start else []
            alone = start == 0 and start + length == len(words)
            if after in (["tuoi"], ["t"]) or (before and _AGE_LEAD.fullmatch(before[0])) or alone:
                return _plausible(value)
    return None


def age_band(age: int) -> str:
    """The coarse band kept in the plain (non-personal) column."""
    if age < 16:
        return "under_16"
    if age < 18:
        return "16_17"
    if age < 25:
        return "18_24"
    if age < 40:
        return "25_39"
    return "40_plus"
