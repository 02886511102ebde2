"""What a case records: its fields (plain columns and encrypted personal ones), checked and set
the same way whether the assistant, a form answer or an operator gives them, and the keyed
hashes that let an operator's search find the person (intake_store/search_keys.py)."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy.orm import Session

from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.models import Intake
from intake_store.safe_window import parse_safe_window
from intake_store.search_keys import add_keys
from intake_store.statistics import (
    STATISTICS_FIELDS,
    Discovery,
    ReturnMode,
    Route,
    check_statistics_value,
)

CATEGORIES = (
    "sexual_exploitation",
    "forced_labour",
    "forced_marriage",
    "organ_removal",
    "surrogacy_baby_selling",
    "forced_criminality",
    "other",
)

# Non-personal fields (plain columns) and personal ones (encrypted) accepted in ``details``.
PLAIN_DETAILS = (
    "category",
    "destination_country",
    "province",
    "at_risk",
    "age_band",
    "is_minor",
    "people_count",
    "consent_contact",
    "contact_method",
    "safe_to_contact",
    "return_mode",
    "discovery",
    "route",
)
PERSONAL_DETAILS = (
    "location_detail",
    "contact_name",
    "contact_phone",
    "safe_contact_time",
    "summary",
)


class IntakeDetails(TypedDict, total=False):
    category: str
    destination_country: str
    province: str
    at_risk: str  # self | relative | other
    age_band: str
    is_minor: bool
    people_count: int
    consent_contact: bool
    contact_method: str  # call | sms | zalo | telegram | none
    safe_to_contact: bool
    return_mode: ReturnMode  # statistics.RETURN_MODES (checked at run time too)
    discovery: Discovery
    route: Route
    location_detail: str
    contact_name: str
    contact_phone: str
    safe_contact_time: str
    summary: str


def check_details(details: IntakeDetails | dict[str, Any]) -> None:
    """Raise ``ValueError`` (with the field named) for unknown fields or values."""
    unknown = set(details) - set(PLAIN_DETAILS) - set(PERSONAL_DETAILS)
    if unknown:
        raise ValueError(f"unknown intake details: {sorted(unknown)}")
    if details.get("category") not in (None, *CATEGORIES):
        raise ValueError(f"unknown category {details.get('category')!r}")
    for name in STATISTICS_FIELDS:
        check_statistics_value(name, details.get(name))


def _same_secret(cipher: FieldCipher, token: str | None, value: str) -> bool:
    if token is None:
        return False
    try:
        return cipher.decrypt(token) == value
    except Exception:  # a retired key: treat as changed and re-encrypt with the current one
        return False


def apply_details(intake: Intake, cipher: FieldCipher, details: IntakeDetails | None) -> list[str]:
    """Set the given fields; returns the names of those whose value actually changed."""
    if not details:
        return []
    check_details(details)
    values: dict[str, Any] = dict(details)
    changed: list[str] = []
    for name in PLAIN_DETAILS:
        value = values.get(name)
        if value is not None and getattr(intake, name) != value:
            setattr(intake, name, value)
            changed.append(name)
    for name in PERSONAL_DETAILS:
        value = values.get(name)
        # Compared in memory only (nothing is shown), so no audit row: this is not a read by anyone.
        if value is not None and not _same_secret(
            cipher, getattr(intake, f"{name}_enc"), str(value)
        ):
            setattr(intake, f"{name}_enc", cipher.encrypt(str(value)))
            changed.append(name)
            if name == "safe_contact_time":
                # The hours in the words, for the reply box; words it cannot read leave the
                # window staff may have set.
                window = parse_safe_window(str(value))
                if window is not None:
                    intake.safe_from, intake.safe_until = window.start, window.end
    return changed


def index_person(
    session: Session,
    hasher: SenderHasher | None,
    intake: Intake,
    details: IntakeDetails | None,
    changed: list[str],
) -> None:
    """A contact phone or name the person gave: its keyed hash, so an operator taking a call
    from them finds this case before filing another (intake_store/search_keys.py)."""
    if hasher is None or not details:
        return
    values: dict[str, Any] = dict(details)
    phones = [str(values["contact_phone"])] if "contact_phone" in changed else []
    names = [str(values["contact_name"])] if "contact_name" in changed else []
    if phones or names:
        add_keys(session, hasher=hasher, intake_id=intake.id, phones=phones, names=names)
