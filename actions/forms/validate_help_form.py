"""``validate_help_form``: what support, which group of the law, where now, consent to contact."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from rasa_sdk import Tracker

from actions.forms.answer_kinds import PLACE
from actions.forms.answers import Answer
from actions.forms.labels import HELP_LABELS
from actions.forms.validate_urgent_followup_form import place_details
from actions.forms.validator_base import IntakeFormValidation, Reading, consent_details
from actions.tracker_data import turn_info
from content.entitlements import needs_text

YES, NO = "yes", "no"
VIETNAM = {"viet nam", "vietnam", "vn", "viet"}

# Group keywords on folded text.
BEING_IDENTIFIED_WORDS = ("dang xac dinh", "dang duoc xac dinh", "chua duoc cong nhan",
                          "being identified", "not yet identified", "xac minh")  # fmt: skip
CHILD_WORDS = ("tre em", "duoi 18", "con nho", "em be", "child", "under 18", "be ")
ACCOMPANYING_WORDS = ("di cung", "di theo", "cung nan nhan", "voi nan nhan", "theo me", "theo bo",
                      "accompan", "travelling with", "traveling with", "with a victim",
                      "with the victim", "with my mother", "with my father")  # fmt: skip
FAMILY_WORDS = ("nguoi nha", "nguoi than", "gia dinh", "me cua", "bo cua", "vo cua", "chong cua",
                "con toi", "con cua toi", "con gai toi", "con trai toi", "em gai toi",
                "em trai toi", "chi toi", "anh toi",
                "family", "relative", "parent", "my daughter", "my son", "my sister",
                "my brother", "my wife", "my husband")  # fmt: skip
VICTIM_WORDS = ("nan nhan", "victim", "bi lua", "bi ban", "tro ve", "moi ve", "survivor")
# The person says they are the victim themselves ("tôi là nạn nhân", "em bị bán", "I was
# trafficked"): that decides, whatever else they mention (their family, their age). A pronoun right
# after a family word ("con tôi bị bán") is the relative's victim, not the speaker.
_SELF_VICTIM = re.compile(
    r"(?:^|(?<!con )(?<!vo )(?<!chong )(?<!me )(?<!bo )(?<!gai )(?<!trai )(?<!chi )(?<!anh )\b)"
    r"(?:toi|em|minh|tao|chau|con)\s+(?:(?:la|da|cung|tung|vua|moi|bi)\s+)*"
    r"(?:nan nhan|bi lua|bi ban|ban sang|bi mua ban|bi ep|moi ve|tro ve)"
    r"|\bi(?: am|'m| was| have been)(?: a)? (?:victim|survivor|trafficked|sold)"
)


def _has(folded: str, words: tuple[str, ...]) -> bool:
    return any(word in folded for word in words)


GROUPS = ("victim", "being_identified", "child", "family")

# Support needs on folded text -> the words staff read in the summary.
NEED_WORDS: dict[str, tuple[str, ...]] = {
    "giấy tờ": ("giay to", "ho chieu", "can cuoc", "cccd", "document", "passport", "papers"),
    "y tế": ("y te", "kham", "benh", "thuoc", "medical", "doctor", "health"),
    "tâm lý": ("tam ly", "tu van", "so hai", "mat ngu", "psycholog", "counsel", "trauma"),
    "pháp lý": ("phap ly", "luat su", "kien", "legal", "lawyer"),
    "chỗ ở": ("cho o", "nha o", "tam tru", "shelter", "housing", "place to stay"),
    "đi lại về nhà": ("ve nha", "ve que", "di lai", "ve nuoc", "travel", "go home", "ticket"),
    "học tập": ("hoc", "truong", "school", "study"),
    "việc làm": ("viec lam", "tim viec", "hoc nghe", "job", "work", "training"),
    # Not "tiền" alone: "tiền về quê" is the fare home.
    "vay vốn": (
        "vay",
        "von",
        "loan",
        "money",
        "tro cap",
        "khong co tien",
        "het tien",
        "can tien",
        "xin tien",
        "thieu tien",
    ),
}


# A need named in a request ("giờ chị cần làm lại giấy tờ", "muốn xin hỗ trợ vay vốn làm ăn",
# "I need a doctor"): after a word of wanting, within eight words ("cần hỗ trợ làm lại giấy tờ và
# tìm việc" names both), and in stricter words than the
# answer to the question, where "vay" is only a loan ("vậy" folds like it) and money is no need.
_WANTING = r"\b(?:can|muon|mun|xin|nho|mong|need|needs|want|wants|looking for|help with)\b"
_NEEDS_NAMED: dict[str, str] = {
    "giấy tờ": r"giay to|ho chieu|can cuoc|cccd|cmnd|khai sinh|documents?|passport|papers|id card",
    "y tế": r"y te|kham|chua benh|dieu tri|thuoc|bao hiem y te|bhyt|medical|doctor|hospital|"
    r"health",
    "tâm lý": r"tam ly|tu van tam ly|counsell?ing|psycholog|therapy",
    "pháp lý": r"phap ly|luat su|kien|tro giup phap ly|legal|lawyer",
    "chỗ ở": r"cho o|nha tam lanh|tam tru|noi o|shelter|place to stay|housing",
    "đi lại về nhà": r"ve que|ve nuoc|ve nha|tien xe|ve xe|go home|travel home|ticket home",
    "học tập": r"di hoc|hoc lai|hoc tiep|den truong|schooling|school",
    "việc làm": r"viec lam|tim viec|hoc nghe|day nghe|a job|work|vocational|training",
    "vay vốn": r"vay von|vay tien|von lam an|khoan vay|loan",
}
_NEEDS_NAMED_RE = {
    need: re.compile(_WANTING + r"(?: \S+){0,8} (?:" + words + r")\b")
    for need, words in _NEEDS_NAMED.items()
}


NEEDS_IN_ENGLISH = {
    "giấy tờ": "documents",
    "y tế": "medical care",
    "tâm lý": "counselling",
    "pháp lý": "legal help",
    "chỗ ở": "a place to stay",
    "đi lại về nhà": "travel home",
    "học tập": "schooling",
    "việc làm": "a job",
    "vay vốn": "a loan",
}


_NEEDS_IN_WORDS_RE = {
    need: re.compile(r"\b(?:" + words + r")\b") for need, words in _NEEDS_NAMED.items()
}


def needs_in_words(text: str) -> list[str]:
    """The kinds of support a short reply names, no wanting word needed ("vay vốn và học nghề"),
    in the stricter words of a request ("khóc" is no "học", "vậy" no loan)."""
    folded = " ".join(Answer(text=text).folded.replace(",", " ").split())
    return [need for need, pattern in _NEEDS_IN_WORDS_RE.items() if pattern.search(folded)]


def needs_named(text: str) -> list[str]:
    """The kinds of support a request names as wanted, in the words staff read."""
    folded = " ".join(Answer(text=text).folded.replace(",", " ").split())
    return [need for need, pattern in _NEEDS_NAMED_RE.items() if pattern.search(folded)]


def group_of(answer: Answer) -> str | None:
    """The law's group (Điều 37): a child who is herself a victim is a victim (a–k), not a child
    travelling with one (a–h); a victim who mentions their family is still the victim."""
    folded = f" {answer.folded} "
    if _has(folded, BEING_IDENTIFIED_WORDS):
        return "being_identified"
    if _SELF_VICTIM.search(answer.folded):
        return "victim"
    child = _has(folded, CHILD_WORDS) or ((age := answer.age()) is not None and age < 18)
    family = _has(folded, FAMILY_WORDS)
    if _has(folded, ACCOMPANYING_WORDS) and (child or not family):
        return "child"
    if family:
        return "family"
    if _has(folded, VICTIM_WORDS):
        return "victim"
    return "child" if child else None


def needs_of(answer: Answer) -> list[str]:
    folded = answer.folded
    found = [need for need, words in NEED_WORDS.items() if any(w in folded for w in words)]
    # "học nghề" is vocational training (việc làm), not schooling, unless schooling is named too.
    if "học tập" in found and not any(
        word in folded.replace("hoc nghe", "") for word in NEED_WORDS["học tập"]
    ):
        found.remove("học tập")
    return found


def is_abroad(details: dict[str, Any]) -> bool:
    country = str(details.get("destination_country") or "").strip().lower()
    return bool(country) and country.replace("ệ", "e").replace("ê", "e") not in VIETNAM


class ValidateHelpForm(IntakeFormValidation):
    labels = HELP_LABELS
    routes: ClassVar[Mapping[str, str]] = {PLACE: "help_location"}
    routed_from: ClassVar[Mapping[str, frozenset[str]]] = {
        "help_needs": frozenset({PLACE}),
        "help_group": frozenset({PLACE}),
    }

    def form_name(self) -> str:
        return "help_form"

    def contact_slot(self, tracker: Tracker) -> str | None:
        return "help_consent"

    def answers_yes_or_no(self, slot: str, answer: Answer) -> bool:
        # May staff contact you? A number given is a yes.
        return answer.allows_contact() is not None or bool(answer.phone())

    def told_after(self, slot: str, reading: Reading, language: str) -> str | None:
        """The support named ("y tế, tâm lý", in the opening or as the answer): what the law
        gives for it, at once (triage.md: a help request gets the entitlement information)."""
        if slot != "help_needs":
            return None
        return needs_text([need.strip() for need in reading.value.split(",")], language) or None

    def interpret(self, slot: str, answer: Answer, tracker: Tracker) -> Reading:
        if slot == "help_needs":
            needs = needs_of(answer)
            return Reading(", ".join(needs) if needs else answer.text)
        if slot == "help_group":
            group = group_of(answer)
            if group is None:
                return Reading(answer.text)
            return Reading(group, {"at_risk": "relative" if group == "family" else "self"})
        if slot == "help_location":
            return Reading(answer.text, place_details(answer))
        said = answer.allows_contact()
        if said is None and answer.phone():
            said = True  # "số em 0396333444": a number given to be reached on
        channel = turn_info(tracker).channel or "none"
        return Reading(YES if said else NO, consent_details(bool(said), answer, channel))
