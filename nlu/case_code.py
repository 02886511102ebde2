"""Case codes ("CT-7K3M9Q2XWB") as people type them: one parser for the NLU, actions and store.

Pure Python (both venvs). Codes are issued with ``LENGTH`` signs; codes issued before that had
``OLD_LENGTH`` and stay valid, so both are recognised.
"""

from __future__ import annotations

import re

# No 0/O, 1/I/L: a code read out over the phone or copied by hand stays unambiguous.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# 31**10 ≈ 8·10**14 codes: guessing one, even at the lookup limits' full rate, is hopeless.
LENGTH = 10
OLD_LENGTH = 6
PREFIX = "CT-"

_CODE = re.compile(
    rf"(?<![0-9A-Za-z])CT[-\s]?([{ALPHABET}]{{{LENGTH}}}|[{ALPHABET}]{{{OLD_LENGTH}}})(?![0-9A-Za-z])",
    re.IGNORECASE,
)


def case_code_in(text: str | None) -> str | None:
    """The case code in a message ("CT-7K3M9Q", "ct 7k3m9q2xwb", inside a sentence), upper-cased
    with its dash; None if there is none."""
    match = _CODE.search(text or "")
    return f"{PREFIX}{match.group(1).upper()}" if match else None
