"""Reading one free-text answer: skipped, yes/no, a number, an age.

Answers arrive accented, unaccented or in teencode; ``nlu.normalize.fold`` brings them to one form
("Không biết", "ko bik" and "k bt" all fold to "khong biet").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu.normalize import fold

SKIPPED = "skip"  # the slot value of a question the person chose not to answer

_SKIP_PHRASES = (
    "bo qua", "skip", "khong biet", "chua biet", "khong ro", "khong nho", "pass",
    "khong muon noi", "khong tra loi", "i don't know", "i dont know", "dont know", "not sure",
    "prefer not to say", "next",
)  # fmt: skip
_YES = {"co", "vang", "da", "u", "uh", "ok", "oke", "okie", "duoc", "dong y", "yes", "yeah", "y",
        "sure", "an toan", "dung", "dung roi", "co a", "da vang", "vang a"}  # fmt: skip
_NO = {"khong", "chua", "no", "nope", "khong co", "khong a", "khong duoc", "khong an toan",
       "chua an toan", "not safe", "khong phai"}  # fmt: skip
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_AGE = re.compile(r"(\d{1,3})\s*(?:tuoi|t\b|years?|yrs?|yo\b)")


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
        if not folded:
            return True
        for phrase in _SKIP_PHRASES:
            # "không biết ở đâu" skips; "không biết, họ vừa đánh bạn em" is an answer.
            if folded == phrase or (
                folded.startswith(phrase + " ") and len(folded[len(phrase) :].split()) <= 2
            ):
                return True
        return False

    def yes_no(self) -> bool | None:
        """True for yes, False for no, None when it is neither (or skipped)."""
        if self.skipped:
            return None
        folded = self.folded
        if folded in _NO or folded.startswith(("khong ", "chua ", "no ", "not ")):
            return False
        if folded in _YES or folded.startswith(("co ", "vang ", "yes ", "duoc ", "ok ")):
            return True
        if self.intent == "affirm":
            return True
        if self.intent == "deny":
            return False
        return None

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
        """An age ("15 tuổi", "17t", age entity)."""
        for source in (self.entities.get("age", ""), self.folded):
            if match := _AGE.search(source) or re.fullmatch(r"\s*(\d{1,3})\s*", source):
                value = int(match.group(1))
                return value if 0 < value < 120 else None
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
