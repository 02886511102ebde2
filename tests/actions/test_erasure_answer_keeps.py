"""A reply to "are you sure?" that says to keep the data is a no, whatever the classifier heard
(2026-12o e07: "thui khoan, đừng xóa, để lại cho ng ta giúp e" erased the conversation)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.erasure import erasure_answer


def _tracker(text: str, intent: str) -> Tracker:
    latest: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": 1.0}}
    return Tracker("s", {}, latest, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    "text",
    ["thui khoan, đừng xóa, để lại cho ng ta giúp e", "không xóa nữa", "wait, don't delete it"],
)
def test_keep_is_a_no(text: str) -> None:
    assert erasure_answer(_tracker(text, "delete_data")) is False


@pytest.mark.parametrize("text", ["xóa hết đi", "co xoa", "Có, xóa"])
def test_erase_words_are_a_yes(text: str) -> None:
    assert erasure_answer(_tracker(text, "delete_data")) is True
