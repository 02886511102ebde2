"""A returning person: a case code typed in finds their intake instead of starting a new one."""

from __future__ import annotations

import asyncio
import re

from actions import store_access
from intake_store.intakes import REFERENCE_ALPHABET, IntakeRef, find_by_reference

REFERENCE = re.compile(rf"\bCT[-\s]?([{REFERENCE_ALPHABET}]{{6}})\b", re.IGNORECASE)


def reference_in(text: str) -> str | None:
    """The case code in a message ("CT-7K3M9Q", "ct 7k3m9q"), upper-cased; None if none."""
    match = REFERENCE.search(text or "")
    return f"CT-{match.group(1).upper()}" if match else None


async def find_intake(reference_code: str) -> IntakeRef | None:
    store = store_access.get_store()

    def work() -> IntakeRef | None:
        with store.session_factory.begin() as session:
            return find_by_reference(session, reference_code=reference_code)

    return await asyncio.to_thread(work)
