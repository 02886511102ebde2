"""The person's own words in their case: what they wrote about the situation, in order.

The staff summary keeps one line per form question, and an answer given again replaces its line;
the opening message, a reply that did not fit its question and what the person adds later have no
line there. Whatever the person wrote as part of their tip or help request is appended here, one
entry per message, under what it answered (a question's label, "Tin nhắn đầu", "Bổ sung sau"), so
no detail (a name, a company, a village, an amount) is lost. Questions they asked and small talk
are never added (the assistant decides, actions/case_words.py).

Encrypted at rest; read only inside ``reveal_intake``'s audited read; deleted when the case's
personal data is erased (``privacy._anonymise_intakes``).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake_store.crypto import FieldCipher
from intake_store.intakes import NotTheConversationsIntake
from intake_store.models import Conversation, Intake, NarrativeEntry, utcnow
from intake_store.not_found import NotFound
from intake_store.staff_notices import queue_update

FIELD = "narrative"  # its name among the personal fields a reveal returns
MAX_CHARS = 4000  # the gateway's longest message, with room to spare
LABEL_CHARS = 64


def add_words(
    session: Session,
    *,
    cipher: FieldCipher,
    intake_id: int,
    text: str,
    label: str,
    message_id: int | None = None,
    conversation_id: int | None = None,
    now: datetime | None = None,
    tell_staff: bool = False,
) -> bool:
    """Append the person's words to the case; False when nothing was added (empty, the case
    erased, or this message's words already there).

    ``tell_staff``: the words are news of their own (written after the form, no answer of it
    changed): staff who know of the case get the usual update notice, "lời người dân kể thêm".

    ``conversation_id``: the writer speaks for this conversation, so the case must be its own or
    the one staff linked it to (``NotTheConversationsIntake``), as for form answers.
    """
    words = " ".join(text.split())[:MAX_CHARS]
    if not words:
        return False
    intake = session.get(Intake, intake_id)
    if intake is None:
        raise NotFound(f"intake {intake_id} does not exist")
    if conversation_id is not None and intake.conversation_id != conversation_id:
        linked = session.scalar(
            select(Conversation.linked_intake_id).where(Conversation.id == conversation_id)
        )
        if linked != intake.id:
            raise NotTheConversationsIntake(
                f"intake {intake_id} is not conversation {conversation_id}'s"
            )
    if intake.anonymised_at is not None:
        return False  # erased: their words are not kept again
    if message_id is not None:
        already = select(NarrativeEntry.id).where(
            NarrativeEntry.intake_id == intake_id, NarrativeEntry.message_id == message_id
        )
        if session.scalars(already.limit(1)).first() is not None:
            return False
    session.add(
        NarrativeEntry(
            intake_id=intake_id,
            message_id=message_id,
            label=" ".join(label.split())[:LABEL_CHARS] or "-",
            text_enc=cipher.encrypt(words),
            created_at=now or utcnow(),
        )
    )
    if tell_staff:
        intake.updated_at = now or utcnow()
        queue_update(session, intake, [FIELD], intake.updated_at)
    session.flush()
    return True


def narrative_lines(session: Session, *, cipher: FieldCipher, intake_id: int) -> list[str]:
    """ "label: words", oldest first. Decrypts without an audit row of its own: only for a
    caller that is itself an audited read (``reveal_intake``)."""
    rows = session.execute(
        select(NarrativeEntry.label, NarrativeEntry.text_enc)
        .where(NarrativeEntry.intake_id == intake_id)
        .order_by(NarrativeEntry.id)
    ).all()
    return [f"{label}: {cipher.decrypt(token)}" for label, token in rows]


_NUMBERED = re.compile(r"^(.+?) \d+: (.*)$")


def summary_without_repeats(summary: str, lines: list[str]) -> str:
    """The summary without the numbered lines an older assistant wrote for what the person added
    after the form ("<label> 2: words") when their own words keep them ("<label>: words"): each
    shows once on the case page, nothing is dropped that is not kept there."""
    told = set(lines)
    kept = []
    for line in summary.splitlines():
        numbered = _NUMBERED.match(line)
        if numbered and f"{numbered.group(1)}: {' '.join(numbered.group(2).split())}" in told:
            continue
        kept.append(line)
    return "\n".join(kept)


def has_narrative(session: Session, *, intake_id: int) -> bool:
    found = select(NarrativeEntry.id).where(NarrativeEntry.intake_id == intake_id)
    return session.scalars(found.limit(1)).first() is not None


def forget_narrative(session: Session, *, intake_ids: list[int]) -> int:
    """Delete the words kept in these cases (erasure, retention); returns how many entries."""
    if not intake_ids:
        return 0
    result = session.execute(
        delete(NarrativeEntry)
        .where(NarrativeEntry.intake_id.in_(intake_ids))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
