"""Which of the ten support regimes (Điều 37, anti-trafficking law 2024) fit which group.

The help path of an intake calls :func:`entitlements_text` so a person hears what fits their group
instead of the whole list. Letters and groups follow the law (content/kb/support_who_gets_which).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from content.knowledge import Entry, KnowledgeBase, default_knowledge_base

# Regime letter -> knowledge-base entry that explains it.
REGIMES: Mapping[str, str] = {
    "a": "support_essential_needs",
    "b": "support_medical",
    "c": "support_interpreter",
    "d": "support_legal_information",
    "đ": "support_free_legal_aid",
    "e": "support_travel_home",
    "g": "support_psychological",
    "h": "support_schooling",
    "i": "support_jobs_training",
    "k": "support_hardship_loans",
}

GROUP_REGIMES: Mapping[str, tuple[str, ...]] = {
    "victim": ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k"),
    "child": ("a", "b", "c", "d", "đ", "e", "g", "h"),  # under 18, travelling with a victim
    "being_identified_abroad": ("a", "b", "c", "d"),
    "being_identified": ("a", "b", "c", "d", "đ", "e", "g"),  # in Vietnam
    "foreign_victim": ("a", "b", "c", "d", "đ", "g"),  # case by case
    "family": (),  # relatives are not a support group; they may ask for protection
}

_HEADINGS = {
    "vi": {
        "victim": "Nạn nhân được hưởng đủ 10 chế độ:",
        "child": "Trẻ dưới 18 tuổi đi cùng nạn nhân được hưởng:",
        "being_identified_abroad": "Người đang được xác định là nạn nhân, khi ở nước ngoài, được:",
        "being_identified": "Người đang được xác định là nạn nhân, khi ở Việt Nam, được:",
        "foreign_victim": "Nạn nhân người nước ngoài được xem xét từng trường hợp:",
        "family": (
            "Người thân của nạn nhân có thể đề nghị được bảo vệ cho mình, và giúp nạn nhân "
            "báo tin, nhận các chế độ hỗ trợ."
        ),
    },
    "en": {
        "victim": "Victims get all 10 regimes:",
        "child": "Children under 18 travelling with a victim get:",
        "being_identified_abroad": "Persons being identified as victims, while abroad, get:",
        "being_identified": "Persons being identified as victims, in Vietnam, get:",
        "foreign_victim": "Foreign victims are considered case by case for:",
        "family": (
            "Relatives of a victim can ask for protection for themselves, and help the victim "
            "report and claim support."
        ),
    },
}


def regimes_for(group: str) -> tuple[str, ...]:
    """The regime letters for a group; KeyError for an unknown group."""
    return GROUP_REGIMES[group]


def entitlements_text(group: str, language: str = "vi", kb: KnowledgeBase | None = None) -> str:
    """A short list of what this group can get, one regime per line, with the legal source."""
    kb = kb or default_knowledge_base()
    language = "en" if language == "en" else "vi"
    lines = [_HEADINGS[language][group]]
    for letter in regimes_for(group):
        lines.append(f"{letter}) {kb.entries[REGIMES[letter]].text('title', language)}")
    lines.append(kb.entries["support_who_gets_which"].source_line(language))
    return "\n".join(lines)


# The help form's kinds of support (the words staff read, actions.forms.validate_help_form) -> the
# entry that says what the law gives for it. Papers and a place to stay are no regime of their own:
# their entries say where to go.
NEED_ENTRIES: Mapping[str, str] = {
    "giấy tờ": "lost_documents",
    "y tế": "support_medical",
    "tâm lý": "support_psychological",
    "pháp lý": "support_free_legal_aid",
    "chỗ ở": "support_essential_needs",
    "đi lại về nhà": "support_travel_home",
    "học tập": "support_schooling",
    "việc làm": "support_jobs_training",
    "vay vốn": "support_hardship_loans",
}
# A phone's screen: what the first few named kinds give (a long list helps nobody read it).
NEEDS_SHOWN = 3


def need_entry(need: str, kb: KnowledgeBase | None = None) -> Entry:
    """The entry that says what the law gives for a kind of support (a key of NEED_ENTRIES)."""
    return (kb or default_knowledge_base()).entries[NEED_ENTRIES[need]]


def needs_text(needs: Sequence[str], language: str = "vi", kb: KnowledgeBase | None = None) -> str:
    """What the law gives for each kind of support a person named, with each answer's source;
    empty when none of them has an entry."""
    kb = kb or default_knowledge_base()
    language = "en" if language == "en" else "vi"
    entries = [need_entry(need, kb) for need in needs if need in NEED_ENTRIES]
    return "\n\n".join(
        f"{entry.text('answer', language)}\n{entry.source_line(language)}"
        for entry in entries[:NEEDS_SHOWN]
    )


# A kind of support named in a question ("có chỗ nào khám bệnh miễn phí cho em không?", "anh ấy
# có được trợ giúp pháp lý không?"), on folded Vietnamese: what the question is about when the
# answer selector is unsure of its topic.
_ASKED_ABOUT: Mapping[str, str] = {
    "y tế": r"kham (?:benh|suc khoe)|chua (?:benh|tri)|dieu tri|bao hiem y te|bhyt|benh vien|"
    r"tram y te|tram xa|vien phi|(?:duoc|di|cho) kham",
    # "hay khóc một mình … có được tư vấn gì không": counselling, unless it is a lawyer's or an
    # agency's advice.
    "tâm lý": r"tam ly|tri lieu|tu van(?! (?:phap|luat|xuat|du hoc|viec|di))|mat ngu|am anh|"
    r"tram cam",
    # "muốn kiện bọn bán nó thì làm sao" (not "ý kiến", an opinion).
    "pháp lý": r"phap ly|luat su|khoi kien|"
    r"(?<!y )kien (?:bon|nguoi|ke|chu|cong ty|ho|no|doi|ra toa)|lam don (?:kien|to cao)",
    "giấy tờ": r"(?:lam|cap) lai (?:giay to|can cuoc|cccd|ho chieu|khai sinh)|giay to tuy than",
    "học tập": r"di hoc|hoc lai|hoc phi",
    "việc làm": r"hoc nghe|tim viec|viec lam",
    "vay vốn": r"vay von|tro cap",
    "đi lại về nhà": r"tien (?:xe|ve xe|di lai)|chi phi di lai",
    "chỗ ở": r"cho o|nha tam lanh|noi o tam|(?:cho|noi) (?:\w+ )?(?:o|ngu) tam|o nho",
}
_ASKED_ABOUT_RE = {need: re.compile(rf"\b(?:{words})\b") for need, words in _ASKED_ABOUT.items()}


def support_asked_about(text: str) -> list[str]:
    """The kinds of support a (Vietnamese) question names, in the help form's words."""
    from nlu.normalize import fold  # plain Python, importable from both venvs

    folded = fold(text)
    return [need for need, pattern in _ASKED_ABOUT_RE.items() if pattern.search(folded)]
