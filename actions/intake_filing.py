"""Filing an intake for the conversation a Rasa turn belongs to, and saving answers to it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any, cast

from rasa_sdk import Tracker
from sqlalchemy import select

from actions import store_access
from actions.intake_details import details_from_entities
from actions.intake_updates import save_details, slot_intake_id
from actions.tracker_data import TurnInfo, turn_info
from chungtay import metrics
from chungtay.settings import get_settings
from intake_store.casework import add_note
from intake_store.conversations import conversation_for_sender
from intake_store.handoff import request_handoff
from intake_store.intake_details import IntakeDetails
from intake_store.intake_views import get_intake, reveal_intake
from intake_store.intakes import (
    IntakeRef,
    NotTheConversationsIntake,
    open_intake,
    update_details,
)
from intake_store.models import Note
from intake_store.narrative import add_words
from intake_store.person_choices import CONTACT_DETAILS, clear_contact, record_confirmation

logger = logging.getLogger(__name__)


async def file_intake(
    tracker: Tracker, info: TurnInfo, *, triage: str, contact_from_entities: bool = True
) -> IntakeRef | None:
    """Open (or attach to) the conversation's intake; None when the turn has no stored conversation.

    ``contact_from_entities=False`` for tips: a phone number in a tip is the suspect's, not the
    reporter's contact.

    Runs in a thread: the store is synchronous SQLAlchemy and the action server is async.
    """
    store = store_access.get_store()
    details = details_from_entities(info.entities)
    if not contact_from_entities:
        details.pop("contact_phone", None)

    def work() -> IntakeRef | None:
        with store.session_factory.begin() as session:
            ids = store_access.turn_ids_for(
                session,
                rasa_sender_id=tracker.sender_id,
                conversation_id=info.conversation_id,
                message_id=info.message_id,
            )
            if ids is None:
                return None
            return open_intake(
                session,
                cipher=store.cipher,
                conversation_id=ids.conversation_id,
                triage=triage,
                urgent_reasons=info.urgent_reasons,
                source_message_id=ids.message_id,
                language=info.language,
                details=details or None,
                # A contact phone or name is indexed (keyed hash) for operators' search.
                hasher=store.hasher,
                window_hours=get_settings().conversation_window_hours,
                # The same window as the gateway's: a burst's cases never page one by one here.
                burst_window=timedelta(minutes=get_settings().urgent_burst_window_minutes),
            )

    intake = await asyncio.to_thread(work)
    if intake is None:
        # Only happens when Rasa is used without the gateway (e.g. `rasa shell`).
        logger.warning("no stored conversation for this turn; intake not filed")
    else:
        logger.info(
            "intake %s (%s, %s) for message %s", intake.id, triage, intake.priority, info.message_id
        )
        if intake.created:
            metrics.INTAKES_OPENED.labels(
                metrics.label(triage, metrics.TRIAGE_LEVELS), "assistant"
            ).inc()
    return intake


async def ask_for_human(tracker: Tracker, info: TurnInfo, intake: IntakeRef) -> None:
    """The console shows the intake as waiting for a human until an operator takes it.

    Asking for a person here, after being told staff will answer here, is the person saying
    staff may answer on this channel; an earlier "not safe" is never overridden.
    """
    store = store_access.get_store()

    def work() -> None:
        with store.session_factory.begin() as session:
            conversation_id = store_access.conversation_id_for(
                session, conversation_id=info.conversation_id, rasa_sender_id=tracker.sender_id
            )
            if conversation_id is None:
                return
            request_handoff(session, conversation_id=conversation_id)
            known = get_intake(session, intake_id=intake.id).details
            if False not in (known.get("consent_contact"), known.get("safe_to_contact")):
                answer: IntakeDetails = {"consent_contact": True, "safe_to_contact": True}
                update_details(session, cipher=store.cipher, intake_id=intake.id, details=answer)

    await asyncio.to_thread(work)
    logger.info("intake %s waits for a human", intake.id)


def merge_summary(stored: str, new: str) -> str:
    """The staff summary with ``new`` lines merged into the ``stored`` ones, one line per label.

    A label answered again takes the new value in place; a label only in ``stored`` stays (its
    answer may be gone from Rasa's slots, e.g. after a Rasa restart mid-form).
    """
    lines: dict[str, str] = {}
    for text in (stored, new):
        for line in text.splitlines():
            label, sep, value = line.partition(": ")
            if sep:
                lines[label] = value
    return "\n".join(f"{label}: {value}" for label, value in lines.items())


async def save_answers(tracker: Tracker, details: Mapping[str, Any]) -> bool:
    """Save form answers to the intake (``intake_id`` slot), the store being the source of truth.

    The summary in ``details`` is built from Rasa's slots, which a Rasa restart can lose; it is
    merged into the summary the intake already has instead of replacing it.
    """
    details = dict(details)
    intake_id = slot_intake_id(tracker)
    if intake_id is not None and details.get("summary"):
        store = store_access.get_store()

        def stored_summary() -> str:
            with store.session_factory.begin() as session:
                try:
                    personal = reveal_intake(
                        session,
                        cipher=store.cipher,
                        intake_id=intake_id,
                        actor="system:assistant",
                        reason="merge the person's new answers into the staff summary",
                    )
                except LookupError:  # erased meanwhile: save_details says so
                    return ""
                return personal.get("summary") or ""

        details["summary"] = merge_summary(
            await asyncio.to_thread(stored_summary), str(details["summary"])
        )
    return await save_details(tracker, details)


async def record_report_confirmation(tracker: Tracker, *, confirmed: bool) -> None:
    """The console's timeline shows whether the person confirmed the summary of their report."""
    intake_id = slot_intake_id(tracker)
    if intake_id is None:
        return
    store = store_access.get_store()

    def work() -> None:
        with store.session_factory.begin() as session:
            record_confirmation(session, intake_id=intake_id, confirmed=confirmed)

    try:
        await asyncio.to_thread(work)
    except LookupError:  # erased meanwhile
        logger.warning("intake %s is gone; confirmation not recorded", intake_id)


async def forget_contact(tracker: Tracker, contact_label: str) -> None:
    """Anonymous after all (a second pass through the report): the contact details saved on the
    first pass and their summary line go."""
    intake_id = slot_intake_id(tracker)
    if intake_id is None:
        return
    store = store_access.get_store()

    def work() -> None:
        with store.session_factory.begin() as session:
            view = get_intake(session, intake_id=intake_id)
            if view.anonymised or not any(view.has_personal.get(n) for n in CONTACT_DETAILS):
                return  # nothing of theirs to forget: no read, no audit row
            summary = (
                reveal_intake(
                    session,
                    cipher=store.cipher,
                    intake_id=intake_id,
                    actor="system:assistant",
                    reason="drop the contact details of a reporter who chose to stay anonymous",
                ).get("summary")
                or ""
            )
            kept = "\n".join(
                line for line in summary.splitlines() if not line.startswith(f"{contact_label}: ")
            )
            clear_contact(session, cipher=store.cipher, intake_id=intake_id, summary=kept)

    try:
        await asyncio.to_thread(work)
    except LookupError:
        logger.warning("intake %s is gone; nothing to forget", intake_id)


async def flag_for_person(tracker: Tracker, info: TurnInfo) -> None:
    """The console shows the case as waiting for a human (e.g. a language the assistant does not
    speak). Unlike ``ask_for_human`` it says nothing about contact: the person did not ask."""
    store = store_access.get_store()

    def work() -> None:
        with store.session_factory.begin() as session:
            conversation_id = store_access.conversation_id_for(
                session, conversation_id=info.conversation_id, rasa_sender_id=tracker.sender_id
            )
            if conversation_id is not None:
                request_handoff(session, conversation_id=conversation_id)

    await asyncio.to_thread(work)


ASSISTANT = "system:assistant"  # the console names it "Trợ lý tự động"
# The languages the assistant has one line in (actions/messages.py OTHER_SCRIPTS), as staff say
# them.
LANGUAGE_NAMES = {
    "zh": "tiếng Trung",
    "th": "tiếng Thái",
    "km": "tiếng Khmer",
    "lo": "tiếng Lào",
    "my": "tiếng Miến Điện (Myanmar)",
}
# What staff read on the case: which language, who is needed, and what the person was told.
INTERPRETER_NOTE = (
    "Người này viết bằng {language}. Cần cán bộ biết {language} hoặc người phiên dịch. "
    "Trợ lý đã gửi một câu bằng {language} kèm số 113, 111, rồi hỏi tiếp bằng tiếng Anh."
)


async def flag_for_interpreter(tracker: Tracker, info: TurnInfo, intake_id: int | None) -> None:
    """A case in a language the assistant has only one line in: the console shows it waiting for
    a human, and a note in Vietnamese on the case says who is needed (once per case). No page:
    only danger now pages staff, and it already has."""
    await flag_for_person(tracker, info)
    language = LANGUAGE_NAMES.get(info.language)
    if intake_id is None or language is None:
        return
    text = INTERPRETER_NOTE.format(language=language)
    store = store_access.get_store()

    def work() -> None:
        with store.session_factory.begin() as session:
            if get_intake(session, intake_id=intake_id).anonymised:
                return  # erased: nothing more is written to it
            # Only the assistant's own notes are read back (no personal data, so no audit).
            written = session.scalars(
                select(Note.text_enc).where(Note.intake_id == intake_id, Note.author == ASSISTANT)
            ).all()
            if text in (store.cipher.decrypt_optional(token) for token in written):
                return
            add_note(session, cipher=store.cipher, intake_id=intake_id, author=ASSISTANT, text=text)

    try:
        await asyncio.to_thread(work)
    except LookupError:  # erased or deleted meanwhile
        logger.warning("intake %s is gone; no note for staff", intake_id)


LATER_LABEL = "Bổ sung sau"  # the narrative's label of what is written after the form


PLACE_SEPARATOR = " · "
DANGER_PLACE_REASON = "add the place of danger now to the case"


def merged_place(
    stored: str | None, place: Mapping[str, Any], *, kept: Collection[str] = ()
) -> dict[str, Any]:
    """The place fields to save: the new words after the stored ones (no place said is lost);
    the province or country columns but those in ``kept`` (already set and staying)."""
    words = str(place.get("location_detail") or "")
    earlier = stored or ""
    detail = earlier if words in earlier else PLACE_SEPARATOR.join(filter(None, (earlier, words)))
    merged: dict[str, Any] = {"location_detail": detail} if detail != earlier else {}
    merged.update({k: v for k, v in place.items() if k != "location_detail" and k not in kept})
    return merged


async def add_place(tracker: Tracker, intake_id: int, place: Mapping[str, Any]) -> bool:
    """A place named in a turn of danger now joins the case: its words after the ones saved
    (a tip's "where" stays), its province or country in the plain columns (staff go there)."""
    store = store_access.get_store()
    info = turn_info(tracker)

    def work() -> bool:
        with store.session_factory.begin() as session:
            conversation_id = store_access.conversation_id_for(
                session, conversation_id=info.conversation_id, rasa_sender_id=tracker.sender_id
            )
            if conversation_id is None or get_intake(session, intake_id=intake_id).anonymised:
                return False
            stored = reveal_intake(
                session,
                cipher=store.cipher,
                intake_id=intake_id,
                actor="system:assistant",
                reason=DANGER_PLACE_REASON,
            ).get("location_detail")
            details = merged_place(stored, place)
            update_details(
                session,
                cipher=store.cipher,
                intake_id=intake_id,
                details=cast(IntakeDetails, details),
                conversation_id=conversation_id,
            )
            return bool(details)

    try:
        return await asyncio.to_thread(work)
    except (LookupError, NotTheConversationsIntake):  # erased meanwhile, or not theirs
        logger.warning("intake %s: the place was not saved", intake_id)
        return False


async def add_to_case(
    tracker: Tracker, text: str, *, place: Mapping[str, Any] | None = None
) -> str | None:
    """Add a message written after the form ended to the conversation's case: to the person's
    own words ("Bổ sung sau"), and a place it names to the case's place when it has none (or is
    urgent; a province or country only when the case has none); staff get the usual update.

    Returns the case's reference code, None when the conversation has no open case.
    """
    store = store_access.get_store()
    intake_id = slot_intake_id(tracker)
    info = turn_info(tracker)

    def work() -> str | None:
        with store.session_factory.begin() as session:
            ids = store_access.turn_ids_for(
                session,
                rasa_sender_id=tracker.sender_id,
                conversation_id=info.conversation_id,
                message_id=info.message_id,
            )
            message_id = ids.message_id if ids else None
            found = intake_id
            if found is None:
                conversation = conversation_for_sender(session, rasa_sender_id=tracker.sender_id)
                found = conversation.open_intake_id if conversation else None
            if found is None:
                return None
            try:
                case = get_intake(session, intake_id=found)
            except LookupError:  # deleted meanwhile
                return None
            if case.anonymised:
                return None  # erased: their words are not kept again
            # The words go to the person's own words only (intake_store/narrative.py): a
            # summary line as well showed them twice on the case page.
            details: dict[str, Any] = {}
            # A later place fills a case that has none; in an urgent case it also joins the one
            # saved (where the person is now matters to those who go). A province or country
            # the case had stays. Otherwise the words are among theirs only: one copy.
            located = bool(case.has_personal.get("location_detail"))
            if place and (case.triage == "urgent" or not located):
                stored = None
                if located:
                    stored = reveal_intake(
                        session,
                        cipher=store.cipher,
                        intake_id=found,
                        actor="system:assistant",
                        reason="add the person's later message to their case",
                    ).get("location_detail")
                details = merged_place(stored, place, kept=case.details)
            add_words(
                session,
                cipher=store.cipher,
                intake_id=found,
                text=text,
                label=LATER_LABEL,
                message_id=message_id,
                conversation_id=ids.conversation_id if ids else None,
                tell_staff=True,
            )
            if details:
                update_details(
                    session,
                    cipher=store.cipher,
                    intake_id=found,
                    details=cast(IntakeDetails, details),
                )
            return get_intake(session, intake_id=found).reference_code

    reference = await asyncio.to_thread(work)
    logger.info("later message %s", "added to the case" if reference else "without a case")
    return reference
