"""What the person writes about their situation is kept in their case, in their own words.

The staff summary holds one line per form question (an answer given again replaces it); the
person's words go to the case's narrative as well (intake_store/narrative.py): the message that
opened or joined the case, each free-text answer — a reply that did not fit its question included
— and what they add after the form. A question they asked, a feeling said instead of an answer,
a bare yes/no, "bỏ qua" and contact details (which anonymity must be able to take back) are not
kept there.
"""

from __future__ import annotations

import asyncio
import logging
import re

from rasa_sdk import Tracker

from actions import messages, store_access
from actions.forms.answers import Answer
from actions.forms.labels import ALL_LABELS
from actions.intake_filing import LATER_LABEL
from actions.intake_updates import slot_intake_id
from actions.tracker_data import previous_user_event, turn_info
from intake_store.intakes import NotTheConversationsIntake
from intake_store.narrative import add_words, has_narrative
from nlu.normalize import fold, has_diacritics, nfc

logger = logging.getLogger(__name__)

OPENING = "Tin nhắn đầu"  # the message that opened the case
JOINED = "Nhắn thêm"  # a later message that joined the case through a tip, a request, danger
LATER = LATER_LABEL  # written after the form ended (actions/intake_filing.add_to_case)
# Answers that live in the contact fields (anonymity takes them back): never in the narrative.
CONTACT_SLOTS = frozenset(
    {
        "report_anonymous",
        "report_contact",
        "urgent_safe_contact",
        "urgent_contact_time",
        "help_consent",
    }
)
# Yes/no questions: kept only when the reply says more than yes or no ("có, con bé mới 15", "15t").
YES_NO_LABELS = {"urgent_minor": ALL_LABELS["urgent_minor"], "report_confirm": "Khi xác nhận"}
_MORE_THAN_YES_NO = 3
# A typed "Báo tin" or "Xin hỗ trợ" opens a form; it says nothing about the situation.
_BARE_OPENINGS = frozenset(
    fold(messages.pick(title, language))
    for title, _ in messages.NEXT_STEP_BUTTONS
    for language in ("vi", "en")
) | {"bao tin", "toi muon bao tin", "can ho tro", "toi can ho tro", "help", "report"}


# "May staff contact you?" answered with more than a yes or a no ("ok, em muốn học nghề sửa xe",
# "đừng gọi, chồng em hay xem máy"): those words are the person's own (a phone number stays in the
# contact fields only, which anonymity takes back).
CONSENT_WORDS = "Khi được hỏi về liên hệ"
_CONSENT_QUESTIONS = frozenset({"urgent_safe_contact", "help_consent"})


def answer_label(slot: str, answer: Answer) -> str | None:
    """The label a form answer is kept under, None when it is not kept."""
    if answer.skipped:
        return None
    if slot in CONTACT_SLOTS:
        says_more = len(answer.words) > _MORE_THAN_YES_NO and not answer.phone()
        return CONSENT_WORDS if slot in _CONSENT_QUESTIONS and says_more else None
    if slot in YES_NO_LABELS:
        # An age is more than a yes ("15t", "tầm 15"): staff read the age itself, not a band.
        says_more = len(answer.words) > _MORE_THAN_YES_NO or answer.age() is not None
        return YES_NO_LABELS[slot] if says_more else None
    return ALL_LABELS.get(slot) or None


def _text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "").strip()


async def keep_words(
    tracker: Tracker,
    *,
    label: str | None,
    intake_id: int | None = None,
    text: str | None = None,
    opening: bool = False,
    message_id: int | None = None,
) -> bool:
    """Append the latest message's words (or ``text``) to the case's narrative under ``label``
    (None: not kept). False when nothing was kept.

    ``intake_id``: the case the action just filed (else the ``intake_id`` slot). ``opening``: the
    label is ``OPENING`` when the case has no words yet, else ``JOINED``. ``message_id``: the
    stored message the words came from when it is not the latest (checked to be this
    conversation's).
    """
    words = (text if text is not None else _text(tracker)).strip()
    intake_id = intake_id if intake_id is not None else slot_intake_id(tracker)
    if intake_id is None or not words or words.startswith("/") or not (label or opening):
        return False
    info = turn_info(tracker)
    store = store_access.get_store()
    case_id = intake_id

    def work() -> bool:
        with store.session_factory.begin() as session:
            ids = store_access.turn_ids_for(
                session,
                rasa_sender_id=tracker.sender_id,
                conversation_id=info.conversation_id,
                message_id=message_id if message_id is not None else info.message_id,
            )
            if ids is None:  # no stored conversation: no case of its own either
                return False
            chosen = label or ""
            if opening:
                chosen = JOINED if has_narrative(session, intake_id=case_id) else OPENING
            return add_words(
                session,
                cipher=store.cipher,
                intake_id=case_id,
                text=words,
                label=chosen,
                message_id=ids.message_id,
                conversation_id=ids.conversation_id,
            )

    try:
        kept = await asyncio.to_thread(work)
    except NotTheConversationsIntake as refused:
        logger.warning("words not kept: %s", refused)  # the two ids only
        return False
    except LookupError:  # erased or deleted meanwhile
        return False
    logger.info("intake %s: the person's words %s", intake_id, "kept" if kept else "not kept")
    return kept


# A tip or request asked as a question is answered first and the form only offered
# (actions/awareness.py); the person who then chooses to report it reports what they described.
ASKED_FIRST = "Đã kể khi hỏi"
_TIP_INTENTS = frozenset({"report_tip", "request_support"})


def _told_before(tracker: Tracker) -> tuple[str, int | None] | None:
    """The previous message when it was a tip or request asked as a question: (text, message id)."""
    previous = previous_user_event(tracker)
    if previous is None:
        return None
    parse = previous.get("parse_data") or {}
    intent = str((parse.get("intent") or {}).get("name") or "")
    # A tip about an offer the NLU made a question (faq) keeps the classifier's reading.
    original = str((parse.get("chungtay") or {}).get("original_intent") or "")
    text = str(previous.get("text") or "").strip()
    if not {intent, original} & _TIP_INTENTS or not text or text.startswith("/"):
        return None
    metadata = previous.get("metadata") or {}
    message_id = metadata.get("message_id") if isinstance(metadata, dict) else None
    return text, message_id if isinstance(message_id, int) else None


async def keep_opening(tracker: Tracker, intake_id: int, *, accepted_offer: bool = False) -> bool:
    """The message that opened the case, or joined it as a new tip, request or danger.

    A bare "Báo tin" (typed or the button), or a place or a yes accepting the case offered after
    an answer (actions/offers.py: the place is kept as its answer), keeps instead the tip or
    request the person had just described in a question, if they had.
    """
    text = _text(tracker)
    if accepted_offer or text.startswith("/") or fold(text).strip(" .!?") in _BARE_OPENINGS:
        told = _told_before(tracker)
        if told is None:
            return False
        words, message_id = told
        return await keep_words(
            tracker, label=ASKED_FIRST, intake_id=intake_id, text=words, message_id=message_id
        )
    return await keep_words(tracker, label=None, intake_id=intake_id, text=text, opening=True)


# After a form, news often comes with a thank-you or an "I just remembered" ("cảm ơn ạ, à em nhớ
# ra người dẫn em đi tên Hà", "thanks, the company is in Bac Ninh"); the classifier may read it as
# a new tip or request. On folded text.
_THANKS = re.compile(
    r"^(?:\S+ ){0,3}(?:cam on|camon|cm on|cmon|thank|thanks|thank you|thx|tks|many thanks)\b"
)
_TELLS_MORE = re.compile(
    r"\b(?:nho ra|moi nho|chot nho|suc nho|quen (?:chua |mat |khong )?(?:noi|ke|bao)|quen mat|"
    r"noi them|ke them|bao them|bo sung|them (?:mot|1) (?:chuyen|dieu|thong tin|y|vu)|"
    r"con (?:mot|1) (?:chuyen|dieu|thong tin|y) nua|a ma|a quen|a them|"
    r"i (?:just )?remember(?:ed)?|i forgot|forgot to (?:say|mention|tell)|one more thing|"
    r"by the way|btw|also|to add|oh and|them nua la|con nua la|con nua nhe)\b"
)


# "à, bà Lựu hay đi xe Vision màu đỏ": an afterthought opened by "à"/"ồ"/"ờ" (a bare "a" only
# with its comma: "a" alone is also "anh"). On the NFC text, lower-cased.
_AFTERTHOUGHT = re.compile(r"^(?:à|ồ|ờ|ah|oh|a,|với lại|thêm nữa)(?:[\s,.!…]|$)")
# Someone named the way people name them ("bà Lựu", "thằng Tú", "chị Hoa"): a statement with a
# name in it tells of the case, not a topic typed as a search. On the NFC text, case kept.
_KIN = frozenset(
    ["bà", "ông", "anh", "chị", "cô", "chú", "bác", "dì", "mụ", "gã", "thằng", "em", "con"]
)
_NAMED = re.compile(rf"\b(?:{'|'.join(sorted(_KIN))})\s+(\w+)", re.IGNORECASE)


def plain(text: str) -> str:
    """Folded, without commas and full stops, one space between words."""
    return " ".join(fold(text).replace(",", " ").replace(".", " ").split())


def thanks_first(text: str) -> bool:
    """The message opens with a thank-you ("ok cám ơn chị", "thanks, ...")."""
    return bool(_THANKS.search(plain(text)))


# "a em quen, em co 1 be trai…" (ah, I forgot: …). Folded, "quên" (forgot) is also "quen"
# (acquainted): with its accents it must be written "quên".
_FORGOT_OPENING = re.compile(r"^(?:a|o|ah|oh|a ma) (?:em|toi|minh|tui|chi|anh|con|chau) quen\b")


def tells_more_after_a_form(text: str) -> bool:
    """A thank-you or an "I just remembered" that opens the message: what follows is for the
    case the person already has, not a new tip or request."""
    words = plain(text)
    forgot = bool(_FORGOT_OPENING.search(words)) and (
        not has_diacritics(text) or "quên" in nfc(text).lower()
    )
    return (
        thanks_first(text)
        or forgot
        or bool(_TELLS_MORE.search(words))
        or bool(_AFTERTHOUGHT.search(nfc(text).strip().lower()))
    )


def names_someone(text: str) -> bool:
    """The message names a person ("bà Lựu", "thằng Tú"): a detail for a case."""
    text = nfc(text)
    if text.isupper():  # "TÔI MUỐN BIẾT": capitals everywhere name no one
        return False
    return any(name[0].isupper() and name.lower() not in _KIN for name in _NAMED.findall(text))
