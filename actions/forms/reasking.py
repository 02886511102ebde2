"""Which form question is being asked a second time, and why.

A question is asked once more when the reply did not fit it (no place named, an answer that
belonged to another question, a bare "có" to "do you have a link or a name?"); the second reply
is kept whatever it is. The slot holds the question's slot name, with ``DETAILS_MARK`` after it
when the person said they have the details but not what they are: the question itself ("Bạn có
đường link … không?") would only invite a second "có", so the ask action asks for the details.
"""

from __future__ import annotations

from rasa_sdk import Tracker

REASKED_SLOT = "form_reasked"
DETAILS_MARK = ":details"


def reasked_slot(tracker: Tracker) -> str | None:
    """The slot whose question is being asked again, if any."""
    value = tracker.get_slot(REASKED_SLOT)
    return str(value).removesuffix(DETAILS_MARK) if value else None


def details_asked(tracker: Tracker, slot: str) -> bool:
    """True when ``slot`` is asked again for the details a bare yes did not give."""
    return tracker.get_slot(REASKED_SLOT) == slot + DETAILS_MARK
