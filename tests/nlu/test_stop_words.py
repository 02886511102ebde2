"""A stop inside a form ends it, so the urgency net keeps the classifier's ``stop`` only when the
message holds a word people stop with (nlu.stopping). Every stop the data teaches must have one,
or the net would undo what the data teaches; form answers a model once read as stop have none."""

from __future__ import annotations

from nlu.stopping import may_ask_to_stop
from tests.nlu.training_examples import training_examples


def test_every_stop_example_is_said_with_a_stop_word_and_form_answers_are_not() -> None:
    stops = training_examples()["stop"]
    assert len(stops) >= 40
    assert [text for text in stops if not may_ask_to_stop(text)] == []
    for answer in (
        "I am alone now, they come back at 6pm. my name is Maricel",
        "I can drive and repair engines.",
        "tháng trước",
        "ở xã Hữu Kiệm, Nghệ An",
    ):
        assert not may_ask_to_stop(answer), answer
