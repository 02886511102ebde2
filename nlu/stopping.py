"""Could a message be asking to stop? The words a stop is said with.

The classifier alone sometimes reads a form's answer as ``stop`` ("I am alone now, they come back
at 6pm", read as stop at 0.38), and a stop inside a form ends it. A stop is said with a word of
stopping; without one the classifier's next reading stands (nlu.components.urgency). Broad on
purpose ("dung" is also "đúng": action_stop tells those apart): it only has to rule out a stop.
tests/nlu/test_stop_words.py checks every ``stop`` training example has one.
"""

from __future__ import annotations

import re

from nlu.normalize import fold

_STOP_WORDS = re.compile(
    # "nữa" (no more), not "nửa" (half: "gọi lúc nửa đêm", "nửa tháng").
    r"\b(?:thoi|dung|ngung|ket thuc|huy|thoat|khoi|du roi|tam biet|"
    r"nua(?! (?:dem|ngay|thang|nam|tieng|gio|buoi|chung|duong|the ky))|"
    r"stop|quit|cancel|end|enough|exit|bye|leave me)\b"
)


def may_ask_to_stop(text: str) -> bool:
    """The message holds a word people stop with (a button's "/stop" does too)."""
    return text.strip().startswith("/") or bool(_STOP_WORDS.search(fold(text)))
