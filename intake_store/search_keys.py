"""Keyed hashes (``SenderHasher``) of a case's phone numbers and names: an operator finds a
person who called or wrote before without the store keeping anything readable to search on.

A phone is hashed as the SMS channel hashes its senders (E.164, channel "sms"), so one lookup
(``case_queue.phone_hashes``) finds a filed case, a chat's contact and an SMS sender alike; a name
by its folded form (no case, no diacritics), so "lo van pao" finds "Lò Văn Páo".
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake_store.crypto import SenderHasher
from intake_store.models import IntakeSearchKey
from nlu.normalize import nfc, strip_diacritics

PHONE, NAME = "phone", "name"


def canonical_phone(phone: str) -> str | None:
    """A Vietnamese number in E.164 (+84...), the form ``case_queue.phone_hashes`` always tries."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 6:
        return None
    if digits.startswith("0"):
        return "+84" + digits[1:]
    return "+" + digits


def folded_name(name: str) -> str | None:
    """A name as people type it either way: no case, no diacritics, single spaces."""
    folded = " ".join(strip_diacritics(nfc(name)).lower().split())
    return folded or None


def phone_key(hasher: SenderHasher, phone: str) -> str | None:
    canonical = canonical_phone(phone)
    return None if canonical is None else hasher.hash(channel="sms", sender_id=canonical)


def name_key(hasher: SenderHasher, name: str) -> str | None:
    folded = folded_name(name)
    return None if folded is None else hasher.hash(channel="name", sender_id=folded)


def add_keys(
    session: Session, *, hasher: SenderHasher, intake_id: int, phones: list[str], names: list[str]
) -> None:
    wanted = {(PHONE, key) for key in (phone_key(hasher, p) for p in phones if p) if key}
    wanted |= {(NAME, key) for key in (name_key(hasher, n) for n in names if n) if key}
    have = set(
        session.execute(
            select(IntakeSearchKey.kind, IntakeSearchKey.key_hash).where(
                IntakeSearchKey.intake_id == intake_id
            )
        ).tuples()
    )
    for kind, key in sorted(wanted - have):
        session.add(IntakeSearchKey(intake_id=intake_id, kind=kind, key_hash=key))


def forget_keys(session: Session, *, intake_ids: list[int]) -> None:
    """Erasure and retention: the hashes would still link the case to a number or a name."""
    if intake_ids:
        session.execute(delete(IntakeSearchKey).where(IntakeSearchKey.intake_id.in_(intake_ids)))
