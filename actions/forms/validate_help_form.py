"""``validate_help_form``: what support, which group of the law, where now, consent to contact."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.forms.answers import Answer
from actions.forms.labels import HELP_LABELS
from actions.forms.validate_urgent_followup_form import place_details
from actions.forms.validator_base import IntakeFormValidation, Reading
from actions.tracker_data import turn_info

YES, NO = "yes", "no"
VIETNAM = {"viet nam", "vietnam", "vn", "viet"}

# Group keywords on folded text, checked in this order ("đang xác định" before "nạn nhân").
GROUP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("being_identified", ("dang xac dinh", "dang duoc xac dinh", "chua duoc cong nhan",
                          "being identified", "not yet identified", "xac minh")),
    ("child", ("tre em", "duoi 18", "con nho", "em be", "child", "under 18", "be ")),
    ("family", ("nguoi nha", "nguoi than", "gia dinh", "me cua", "bo cua", "vo cua",
                "chong cua", "family", "relative", "parent")),
    ("victim", ("nan nhan", "victim", "bi lua", "bi ban", "tro ve", "moi ve", "survivor")),
)  # fmt: skip
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
    "vay vốn": ("vay", "von", "loan", "tien", "money"),
}


def group_of(answer: Answer) -> str | None:
    folded = f" {answer.folded} "
    for group, words in GROUP_WORDS:
        if any(word in folded for word in words):
            return group
    if (age := answer.age()) is not None and age < 18:
        return "child"
    return None


def needs_of(answer: Answer) -> list[str]:
    folded = answer.folded
    return [need for need, words in NEED_WORDS.items() if any(w in folded for w in words)]


def is_abroad(details: dict[str, Any]) -> bool:
    country = str(details.get("destination_country") or "").strip().lower()
    return bool(country) and country.replace("ệ", "e").replace("ê", "e") not in VIETNAM


class ValidateHelpForm(IntakeFormValidation):
    labels = HELP_LABELS
    save_each_answer = True  # what they chose to tell stays even if they stop half-way

    def form_name(self) -> str:
        return "help_form"

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
        said = answer.yes_no()
        channel = turn_info(tracker).channel or "none"
        return Reading(
            YES if said else NO,
            {
                "consent_contact": bool(said),
                "safe_to_contact": bool(said),
                "contact_method": channel if said else "none",
            },
        )
