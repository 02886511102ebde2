"""Does a message ask to erase the person's data? Seen by the gateway while an operator holds it.

Normally Rasa's ``delete_data`` intent answers "xóa dữ liệu" and confirms before erasing. While an
operator holds the conversation Rasa does not see the message, so the operator must be told; this
is that flag. It reads the words as the NLU and the erasure action do (``nlu.erasure``) and only
raises a flag for a human, who decides and erases from the console.
"""

from __future__ import annotations


def asks_for_erasure(text: str) -> bool:
    """True when the message reads as "erase my data" (the ``delete_data`` intent's examples)."""
    from nlu.erasure import asks_to_erase  # imported late: nlu is a sibling package

    return not text.strip().startswith("/") and asks_to_erase(text)
