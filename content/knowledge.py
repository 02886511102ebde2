"""Load and validate the awareness knowledge base (``content/kb/*.yml``).

Entries are data that editors change without touching code, so every rule a social-work centre would
check by hand (a source, a review date, short answers in both languages, no unsourced or legacy
phone numbers, no money amounts) is enforced here, run by ``chungtay content check`` and tests.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parent
KB_DIR = CONTENT_DIR / "kb"
NUMBERS_FILE = CONTENT_DIR / "allowed_numbers.yml"
LANGUAGES = ("vi", "en")

# A person may read this on a cheap phone in a hurry.
MAX_ANSWER_CHARS = 600
# About one screen of a small phone (360 px wide, default font: ~40 characters x 10 lines). A longer
# answer must open with a summary line, so the first screen already says what to do.
PHONE_SCREEN_CHARS = 400
MAX_SUMMARY_CHARS = 160
MAX_TITLE_CHARS = 60
MIN_QUESTIONS = 8
MIN_UNACCENTED_SHARE = 1 / 3
# A review older than this fails the check: laws, numbers and agencies change within a year.
STALE_AFTER_DAYS = 365

# Below this ResponseSelector confidence the assistant offers the closest topics, not a guess.
# Tuned with bench/awareness.py on tests/nlu/awareness_testset.yml (config.yml pipeline with
# ResponseSelector epochs 100, 2026-11-23): 0.4 answers 86% directly at 97.2% precision, 0.5 answers
# 84% at 97.9%, 0.6 answers 80% at 99.2%; below 0.5 the right topic is among the buttons 89% of the
# time, so 0.5 keeps wrong answers near 2% while most people get an answer at once.
LOW_CONFIDENCE_THRESHOLD = 0.5
SUGGESTION_COUNT = 3

# What an answer offers after it (see actions/awareness.py): more topics, an offer of support for
# people who may need it themselves, or the hotline line for tactics and reporting.
NEXT_STEPS = ("related", "offer_support", "hotline")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# Digit runs of 3+ (allowing spaces, dots and dashes inside, as people write phone numbers).
_NUMBER_RE = re.compile(r"(?<![\d/.,])\+?\d[\d .\-]{1,14}\d(?![\d/])")
_DATE_LIKE_RE = re.compile(r"^\d{1,2}[./-]\d{1,2}([./-]\d{2,4})?$")
_MONEY_RE = re.compile(
    r"\d[\d.,]*\s*(đồng|đ\b|vnd|vnđ|usd|\$|triệu|tr\b|nghìn|ngàn|million|dong)", re.IGNORECASE
)
# "Điều 37", "Điều 24 và 25", "Điều 150, 151", "Article 30": each number must be in a source's ref.
_ARTICLE_RE = re.compile(
    r"\b(?:Điều|Article|Articles)\s+(\d+(?:\s*(?:,|và|and|–|-|hoặc|or)\s*\d+)*)", re.IGNORECASE
)
# Abbreviations a person may not know; spell them out in the answer and the compact source line.
RAW_ABBREVIATIONS = ("PCMBN", "CTXH", "LHPN", "UBND", "LĐ-TB&XH", "LĐTBXH", "TT-BTC")
_LEGACY_MARKERS = (
    "số cũ",
    "không còn",
    "đã thay",
    "thay bằng",
    "legacy",
    "no longer",
    "old number",
)


@dataclass(frozen=True)
class Source:
    ref: str
    url: str = ""
    # Amounts the source itself states, word for word as the answer gives them ("120 ngày" is not
    # money; "2.000.000 đồng" would be): the only way an answer may state a money amount.
    states: tuple[str, ...] = ()


@dataclass(frozen=True)
class AskedAbout:
    """A line added to the answer only when the question names one of ``words`` (the legacy
    18001567 is said to be old to whoever asks about it, and not shown to anyone else)."""

    words: tuple[str, ...]
    text: Mapping[str, str]

    def asked_in(self, question: str) -> bool:
        # Numbers are typed with spaces, dots or dashes ("1800 1567"); words in any case.
        squeezed = re.sub(r"[\s.\-]", "", question).lower()
        return any(re.sub(r"[\s.\-]", "", word).lower() in squeezed for word in self.words)


@dataclass(frozen=True)
class Entry:
    id: str
    title: Mapping[str, str]
    answer: Mapping[str, str]
    sources: tuple[Source, ...]
    reviewed: dt.date | None
    related: tuple[str, ...]
    questions: tuple[str, ...]
    next_step: str = "related"
    path: Path | None = None
    # The first line on the phone when the answer is longer than a screen.
    summary: Mapping[str, str] = field(default_factory=dict)
    # A date by which an editor must re-check a fact that changes (phone numbers, agencies).
    review_by: dt.date | None = None
    # Set only for an entry meant for people in one province (its provincial lines may show).
    province: str = ""
    asked_about: tuple[AskedAbout, ...] = ()

    @property
    def intent_response_key(self) -> str:
        return f"faq/{self.id}"

    def source_line(self, language: str) -> str:
        """One compact line for a phone: the main source, how many more, the review date."""
        en = language == "en"
        label, reviewed = ("Source", "reviewed") if en else ("Nguồn", "cập nhật")
        main = self.sources[0].ref if self.sources else ""
        more = len(self.sources) - 1
        extra = (f" (+{more} more)" if en else f" (+{more} nguồn khác)") if more > 0 else ""
        date = f" ({reviewed} {self.reviewed:%d/%m/%Y})" if self.reviewed else ""
        return f"{label}: {main}{extra}{date}"

    def sources_text(self, language: str) -> str:
        """Every source on its own line, with its address when there is one."""
        heading = "Sources:" if language == "en" else "Nguồn:"
        lines = [heading]
        for source in self.sources:
            lines.append(f"- {source.ref}" + (f" ({source.url})" if source.url else ""))
        return "\n".join(lines)

    def text(self, field_name: str, language: str) -> str:
        values = {"title": self.title, "summary": self.summary}.get(field_name, self.answer)
        return values.get(language) or values.get("vi", "")

    def answer_to(self, question: str, language: str) -> str:
        """The answer, with the lines for what this question names (``asked_about``)."""
        lines = [self.text("answer", language)]
        lines += [
            about.text.get(language) or about.text.get("vi", "")
            for about in self.asked_about
            if about.asked_in(question)
        ]
        return " ".join(line for line in lines if line)


@dataclass(frozen=True)
class AllowedNumber:
    number: str
    status: str  # "current", "provincial" or "legacy"
    cite: str  # an entry that shows the number must cite a source containing this text
    note: str = ""
    review_by: dt.date | None = None  # numbers abroad change: re-check by then or the check fails
    province: str = ""  # a provincial line is shown only in an entry for that province


@dataclass
class KnowledgeBase:
    entries: dict[str, Entry]
    numbers: dict[str, AllowedNumber] = field(default_factory=dict)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def by_response_key(self, key: str) -> Entry | None:
        prefix, _, entry_id = key.partition("/")
        return self.entries.get(entry_id) if prefix == "faq" else None


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    severity: str = "error"  # "error" fails the check, "warning" is only reported

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.where}: {self.message}"


def is_unaccented(text: str) -> bool:
    """True when the text has no Vietnamese diacritics (plain ASCII letters only)."""
    return all(ord(char) < 128 for char in unicodedata.normalize("NFC", text))


def _nfc(value: object) -> str:
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


def _lang_map(raw: object) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        return {}
    return {str(k): _nfc(v) for k, v in raw.items() if v}


def _date(value: object) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def _parse_entry(raw: Mapping[str, Any], path: Path | None) -> Entry:
    sources = tuple(
        Source(
            ref=_nfc(item.get("ref")),
            url=_nfc(item.get("url")),
            states=tuple(_nfc(s) for s in item.get("states") or ()),
        )
        if isinstance(item, Mapping)
        else Source(ref=_nfc(item))
        for item in raw.get("sources") or ()
    )
    return Entry(
        id=_nfc(raw.get("id")),
        title=_lang_map(raw.get("title")),
        answer=_lang_map(raw.get("answer")),
        sources=sources,
        reviewed=_date(raw.get("reviewed")),
        review_by=_date(raw.get("review_by")),
        summary=_lang_map(raw.get("summary")),
        province=_nfc(raw.get("province")),
        asked_about=tuple(
            AskedAbout(
                words=tuple(_nfc(w) for w in item.get("words") or ()),
                text=_lang_map({k: v for k, v in item.items() if k != "words"}),
            )
            for item in raw.get("asked_about") or ()
        ),
        related=tuple(_nfc(r) for r in raw.get("related") or ()),
        questions=tuple(_nfc(q) for q in raw.get("questions") or () if _nfc(q)),
        next_step=_nfc(raw.get("next_step")) or "related",
        path=path,
    )


def load_numbers(path: Path = NUMBERS_FILE) -> dict[str, AllowedNumber]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    numbers = {}
    for item in raw.get("numbers", []):
        number = re.sub(r"\D", "", str(item["number"]))
        numbers[number] = AllowedNumber(
            number=number,
            status=item["status"],
            cite=item["cite"],
            note=item.get("note", ""),
            review_by=_date(item.get("review_by")),
            province=_nfc(item.get("province")),
        )
    return numbers


def load_knowledge_base(kb_dir: Path = KB_DIR, numbers_file: Path = NUMBERS_FILE) -> KnowledgeBase:
    """Read every ``*.yml`` entry in ``kb_dir`` (sorted by file name); no validation."""
    entries: dict[str, Entry] = {}
    for path in sorted(kb_dir.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, Mapping):
            raise ValueError(f"{path}: a knowledge-base entry must be a YAML mapping")
        entry = _parse_entry(raw, path)
        if entry.id in entries:
            raise ValueError(f"{path}: duplicate entry id {entry.id!r}")
        entries[entry.id] = entry
    return KnowledgeBase(entries=entries, numbers=load_numbers(numbers_file))


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The repository's knowledge base, loaded once per process (actions call this lazily)."""
    return load_knowledge_base()


def _phone_numbers(text: str) -> Iterable[tuple[str, int]]:
    for match in _NUMBER_RE.finditer(text):
        raw = match.group(0).strip()
        if _DATE_LIKE_RE.match(raw):
            continue
        digits = re.sub(r"\D", "", raw)
        # 11x are Vietnam's emergency short codes; other short numbers are days, articles, years.
        if (len(digits) == 3 and digits.startswith("11")) or len(digits) >= 8:
            yield digits, match.start()


def _articles(text: str) -> set[int]:
    return {
        int(number)
        for match in _ARTICLE_RE.finditer(text)
        for number in re.findall(r"\d+", match.group(1))
    }


def _check_articles(entry: Entry, text: str, where: str, language: str) -> list[Problem]:
    """Every "Điều N" an answer cites must be in one of the entry's source refs."""
    cited = set().union(*(_articles(source.ref) for source in entry.sources))
    return [
        Problem(where, f"{language}: Điều {number} is cited but no source ref contains it")
        for number in sorted(_articles(text) - cited)
    ]


def _check_amounts(entry: Entry, text: str, where: str, language: str) -> list[Problem]:
    """A money amount only when a source of the entry states that very amount."""
    stated = [s.lower() for source in entry.sources for s in source.states]
    return [
        Problem(where, f"{language}: states a money amount ({match.group(0)!r}) no source states")
        for match in _MONEY_RE.finditer(text)
        if not any(match.group(0).lower() in s for s in stated)
    ]


def _check_abbreviations(text: str, where: str, language: str) -> list[Problem]:
    return [
        Problem(where, f"{language}: spell out {abbr!r} for the person reading")
        for abbr in RAW_ABBREVIATIONS
        if abbr in text
    ]


def _check_numbers(entry: Entry, kb: KnowledgeBase, where: str, today: dt.date) -> list[Problem]:
    problems = []
    cited = " ".join(f"{s.ref} {s.url}" for s in entry.sources).lower()
    said = [*entry.answer.items(), *entry.summary.items()]
    said += [item for about in entry.asked_about for item in about.text.items()]
    for language, text in said:
        for digits, position in _phone_numbers(text):
            allowed = kb.numbers.get(digits)
            if allowed is None:
                problems.append(
                    Problem(where, f"answer.{language}: number {digits} is not in the allow-list")
                )
                continue
            if allowed.cite.lower() not in cited:
                problems.append(
                    Problem(where, f"answer.{language}: {digits} needs the source {allowed.cite!r}")
                )
            if allowed.review_by is not None and allowed.review_by < today:
                problems.append(
                    Problem(
                        where,
                        f"answer.{language}: {digits} was due for re-checking by "
                        f"{allowed.review_by} (allowed_numbers.yml)",
                    )
                )
            if allowed.status == "provincial" and allowed.province != entry.province:
                problems.append(
                    Problem(
                        where,
                        f"answer.{language}: {digits} is a line of "
                        f"{allowed.province or 'one province'} only; show it in an entry for it",
                    )
                )
            if allowed.status == "legacy":
                window = text[max(0, position - 80) : position + 80].lower()
                if not any(marker in window for marker in _LEGACY_MARKERS):
                    problems.append(
                        Problem(where, f"answer.{language}: legacy {digits} shown as current")
                    )
    return problems


def check_entry(entry: Entry, kb: KnowledgeBase, *, today: dt.date | None = None) -> list[Problem]:
    """Every problem with one entry (errors and warnings)."""
    today = today or dt.date.today()
    where = entry.path.name if entry.path else entry.id
    problems: list[Problem] = []
    if not _ID_RE.match(entry.id):
        problems.append(Problem(where, f"id {entry.id!r} is not snake_case"))
    elif entry.path and entry.path.stem != entry.id:
        problems.append(Problem(where, f"file name must be {entry.id}.yml"))
    for language in LANGUAGES:
        title = entry.title.get(language, "")
        answer = entry.answer.get(language, "")
        if not title:
            problems.append(Problem(where, f"title.{language} is missing"))
        elif len(title) > MAX_TITLE_CHARS:
            problems.append(Problem(where, f"title.{language} longer than {MAX_TITLE_CHARS}"))
        if not answer:
            problems.append(Problem(where, f"answer.{language} is missing"))
        elif len(answer) > MAX_ANSWER_CHARS:
            problems.append(
                Problem(where, f"answer.{language} has {len(answer)} > {MAX_ANSWER_CHARS} chars")
            )
        summary = entry.summary.get(language, "")
        if len(answer) > PHONE_SCREEN_CHARS and not summary:
            problems.append(
                Problem(
                    where,
                    f"answer.{language} has {len(answer)} > {PHONE_SCREEN_CHARS} chars "
                    "(one phone screen): add a summary line",
                )
            )
        if len(summary) > MAX_SUMMARY_CHARS:
            problems.append(Problem(where, f"summary.{language} longer than {MAX_SUMMARY_CHARS}"))
        lines = [about.text.get(language, "") for about in entry.asked_about]
        for text in (title, summary, answer, *lines):
            problems.extend(_check_amounts(entry, text, f"{where}", language))
            problems.extend(_check_articles(entry, text, where, language))
            problems.extend(_check_abbreviations(text, where, language))
    if not entry.sources or not all(source.ref for source in entry.sources):
        problems.append(Problem(where, "every entry needs at least one source (ref)"))
    if entry.reviewed is None:
        problems.append(Problem(where, "reviewed date is missing or not YYYY-MM-DD"))
    elif entry.reviewed > today:
        problems.append(Problem(where, f"reviewed date {entry.reviewed} is in the future"))
    elif (today - entry.reviewed).days > STALE_AFTER_DAYS:
        problems.append(
            Problem(where, f"last reviewed {entry.reviewed}, more than 12 months ago: re-check it")
        )
    if entry.review_by is not None and entry.review_by < today:
        problems.append(Problem(where, f"review_by {entry.review_by} has passed: re-check it"))
    if entry.sources and any(abbr in entry.sources[0].ref for abbr in RAW_ABBREVIATIONS):
        problems.append(
            Problem(where, "the first source (shown on the phone) uses an abbreviation")
        )
    if entry.next_step not in NEXT_STEPS:
        problems.append(Problem(where, f"next_step must be one of {', '.join(NEXT_STEPS)}"))
    if not entry.related:
        problems.append(Problem(where, "list at least one related topic"))
    for related in entry.related:
        if related == entry.id or related not in kb.entries:
            problems.append(Problem(where, f"related topic {related!r} does not exist"))
    if len(entry.questions) < MIN_QUESTIONS:
        problems.append(Problem(where, f"needs at least {MIN_QUESTIONS} training questions"))
    for question in entry.questions:
        if any(char in question for char in "[]{}#"):  # Rasa annotation syntax / YAML comments
            problems.append(Problem(where, f"question {question!r} contains [ ] {{ }} or #"))
    unaccented = sum(is_unaccented(q) for q in entry.questions)
    if entry.questions and unaccented < MIN_UNACCENTED_SHARE * len(entry.questions):
        problems.append(Problem(where, "at least a third of the questions must be unaccented"))
    problems.extend(_check_numbers(entry, kb, where, today))
    return problems


def normalize_question(text: str) -> str:
    """Key for duplicate detection: NFC, lower case, single spaces, no end punctuation."""
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(text.replace("?", " ").replace("!", " ").split()).strip(" .")


def check_knowledge_base(kb: KnowledgeBase, *, today: dt.date | None = None) -> list[Problem]:
    """All problems in the knowledge base; the check fails when any has severity "error"."""
    problems: list[Problem] = []
    if not kb.entries:
        problems.append(Problem("kb", "no entries found"))
    seen: dict[str, str] = {}
    for entry in kb.entries.values():
        problems.extend(check_entry(entry, kb, today=today))
        for question in entry.questions:
            key = normalize_question(question)
            other = seen.setdefault(key, entry.id)
            if other != entry.id or entry.questions.count(question) > 1:
                problems.append(Problem(entry.id, f"question {question!r} duplicates {other}"))
    return problems


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]
