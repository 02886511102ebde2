"""Entity values that actions can use as they are: numbers for ages and counts, one canonical
spelling for places and countries, no duplicate spans.

Pure Python (both venvs). The Rasa component ``nlu.components.entities.EntityNormalizer`` builds the
canonical-name table from the training data's synonyms and lookup tables and applies
``normalize_entities`` to every parse, so the actions, the server's /model/parse and
``chungtay triage`` all see the same entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from nlu.normalize import fold, has_diacritics

# Entities whose value is replaced by a canonical spelling (folded text -> canonical name).
CANONICAL_ENTITIES = ("country", "location", "relation")
NUMERIC_ENTITIES = ("age", "people_count")

_DIGITS = re.compile(r"\d{1,4}")
# Small numbers written as words ("hai người", "ba đứa"), folded.
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def _prefer(current: str | None, candidate: str) -> bool:
    """Whether ``candidate`` is a better display spelling than ``current`` (accents, capitals)."""
    if current is None:
        return True
    score = (has_diacritics(candidate), candidate[:1].isupper())
    return score > (has_diacritics(current), current[:1].isupper())


def build_canonical(
    synonyms: Mapping[str, str], lookups: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, str]]:
    """Per entity type, folded spelling -> canonical name.

    Synonyms win (their canonical value is the one the data names); otherwise the best-written
    element of a lookup table with the same folded form ("con gai" -> "con gái").
    """
    table: dict[str, dict[str, str]] = {}
    for entity in CANONICAL_ENTITIES:
        elements = list(lookups.get(entity, ()))
        mapping: dict[str, str] = {}
        for element in elements:
            key = fold(element)
            if key and _prefer(mapping.get(key), element):
                mapping[key] = element
        if entity in ("country", "location"):
            for variant, canonical in synonyms.items():
                mapping[fold(variant)] = canonical
                mapping[fold(canonical)] = canonical
        table[entity] = mapping
    return table


def _number(value: str) -> int | None:
    if match := _DIGITS.search(value):
        return int(match.group())
    for word in fold(value).split():
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


def normalize_value(entity: str, value: Any, canonical: Mapping[str, Mapping[str, str]]) -> Any:
    """The usable value of one entity ("15 tuổi" -> 15, "campuchia" -> "Campuchia")."""
    if not isinstance(value, str):
        return value
    if entity in NUMERIC_ENTITIES:
        number = _number(value)
        if entity == "age":
            return number if number is not None and 0 < number < 120 else value
        return number if number is not None else value
    if entity in canonical:
        return canonical[entity].get(fold(value), value)
    return value


def normalize_entities(
    entities: list[dict[str, Any]], canonical: Mapping[str, Mapping[str, str]]
) -> list[dict[str, Any]]:
    """Normalised values, one entity per span: a lookup and a regex (or two lookups) that found
    the same or an overlapping span of the same type leave only the longest match."""
    kept: list[dict[str, Any]] = []
    ordered = sorted(
        entities,
        key=lambda e: (-(int(e.get("end", 0)) - int(e.get("start", 0))), int(e.get("start", 0))),
    )
    for entity in ordered:
        start, end = int(entity.get("start", 0)), int(entity.get("end", 0))
        overlaps = any(
            other["entity"] == entity.get("entity")
            and start < int(other.get("end", 0))
            and int(other.get("start", 0)) < end
            for other in kept
        )
        if overlaps:
            continue
        item = dict(entity)
        name = str(item.get("entity") or "")
        value = normalize_value(name, item.get("value"), canonical)
        if value != item.get("value"):
            item["value"] = value
            item["processors"] = [*item.get("processors", []), "EntityNormalizer"]
        kept.append(item)
    return sorted(kept, key=lambda e: (int(e.get("start", 0)), str(e.get("entity"))))
