"""Turn NLU entities into intake fields.

Place names and phone numbers go to the encrypted fields (`location_detail`, `contact_phone`); only
coarse, non-identifying values (country, age band, minor flag, relation) go to plain columns that
the queue and the statistics use.
"""

from __future__ import annotations

import re

from actions.forms.answers import age_band
from intake_store.intake_details import IntakeDetails

RELATIVES = {
    "con", "con gái", "con trai", "em", "em gái", "em trai", "chị", "chị gái", "anh", "anh trai",
    "vợ", "chồng", "mẹ", "bố", "cha", "ba", "má", "cháu", "cháu gái", "cháu trai", "cô", "dì",
    "chú", "bác", "cậu", "người nhà", "người thân", "daughter", "son", "sister", "brother",
    "wife", "husband", "mother", "father", "niece", "nephew", "cousin", "relative",
}  # fmt: skip
SELF = {"tôi", "mình", "tớ", "tao", "me", "myself", "i"}


def details_from_entities(entities: dict[str, str]) -> IntakeDetails:
    details: IntakeDetails = {}
    if country := entities.get("country"):
        details["destination_country"] = country[:64]
    if location := entities.get("location"):
        details["location_detail"] = location
    if phone := entities.get("phone"):
        details["contact_phone"] = phone
    if (age := _int(entities.get("age"))) is not None and 0 < age < 120:
        details["is_minor"] = age < 18
        details["age_band"] = age_band(age)
    if (count := _int(entities.get("people_count"))) is not None and 0 < count < 10_000:
        details["people_count"] = count
    if relation := entities.get("relation"):
        lowered = relation.strip().lower()
        details["at_risk"] = (
            "self" if lowered in SELF else "relative" if lowered in RELATIVES else "other"
        )
    return details


def _int(value: str | None) -> int | None:
    match = re.search(r"\d{1,4}", value or "")
    return int(match.group()) if match else None
