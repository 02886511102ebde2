"""Words of erasing, as people write them: whether a message really asks to erase.

The classifier alone sometimes hears ``delete_data`` in words that ask no such thing ("tôi nghe
mẹ một đứa kể", the answer to "how do you know?"). Both the NLU (which then keeps the classifier's
next reading, so a form takes the answer) and the erasure action read the words here.
"""

from __future__ import annotations

import re

from nlu.normalize import fold, has_diacritics, nfc

# With accents only the accented verbs count: "Lựu", a name, folds to "luu" like "đừng lưu", and a
# detail told after a form ("à, bà Lựu hay đi xe Vision") was once read as an erasure request.
_ERASE_ACCENTED = re.compile(
    r"\b(?:xóa|xoá|xoa|gỡ|hủy|huỷ|quên|lưu|delete|erase|remove|wipe|clear|forget)\b"
)
_ERASE_UNACCENTED = re.compile(r"\b(?:xoa|go|huy|quen|luu|delete|erase|remove|wipe|clear|forget)\b")


def asks_to_erase(text: str) -> bool:
    """The message says to erase, delete or forget (a button's "/delete_data" does too)."""
    text = nfc(text).strip()
    if text.startswith("/"):
        return True
    if has_diacritics(text):
        return bool(_ERASE_ACCENTED.search(text.lower()))
    return bool(_ERASE_UNACCENTED.search(fold(text)))
