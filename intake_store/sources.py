"""Where messages come from: a web chat conversation's client address, and blocked sources.

Only keyed hashes are kept (``SenderHasher``: the sender's as in ``conversations.sender_hash``,
the address's under the "address" channel), never an id or an address. Staff block the sender
or the address of a case from the console; a blocked source's messages are still stored and
answered with 111/113 by the gateway, but open no case, page no one and never reach Rasa.
Blocking and unblocking are audited with who and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.models import BlockedSource, Conversation, Intake, utcnow
from intake_store.not_found import NotFound

BlockKind = Literal["sender", "address"]
BLOCK_KINDS: tuple[BlockKind, ...] = ("sender", "address")


@dataclass(frozen=True)
class BlockView:
    id: int
    kind: str
    reference_code: str | None  # the case it was blocked from
    intake_id: int | None
    reason: str
    blocked_by: str
    blocked_at: datetime


def record_conversation_source(session: Session, *, conversation_id: int, source_hash: str) -> None:
    """The client address (its keyed hash) that opened a web chat conversation."""
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.source_hash.is_(None))
        .values(source_hash=source_hash)
        .execution_options(synchronize_session=False)
    )


def conversation_exists(session: Session, *, channel: str, sender_hash: str) -> bool:
    found = session.scalars(
        select(Conversation.id)
        .where(Conversation.channel == channel, Conversation.sender_hash == sender_hash)
        .limit(1)
    ).first()
    return found is not None


def is_blocked(session: Session, *, sender_hash: str, source_hash: str | None) -> bool:
    match = [and_(BlockedSource.kind == "sender", BlockedSource.key_hash == sender_hash)]
    if source_hash:
        match.append(and_(BlockedSource.kind == "address", BlockedSource.key_hash == source_hash))
    found = session.scalars(
        select(BlockedSource.id).where(BlockedSource.unblocked_at.is_(None), or_(*match)).limit(1)
    ).first()
    return found is not None


def case_blockable(session: Session, *, intake_id: int) -> dict[str, int | None]:
    """For each kind: None when the case has such a source to block, else the active block's id
    (kinds the case has no source for are left out; a Zalo or SMS case has no address)."""
    hashes = _case_hashes(session, intake_id=intake_id)
    state: dict[str, int | None] = {}
    for kind, key in hashes.items():
        state[kind] = session.scalars(
            select(BlockedSource.id).where(
                BlockedSource.kind == kind,
                BlockedSource.key_hash == key,
                BlockedSource.unblocked_at.is_(None),
            )
        ).first()
    return state


def block_case_source(
    session: Session,
    *,
    intake_id: int,
    kind: BlockKind,
    actor: str,
    reason: str,
    now: datetime | None = None,
) -> int:
    """Block the sender or the address of a case; returns the block's id (an existing active
    one if already blocked). ``NotFound`` when the case has no such source."""
    if kind not in BLOCK_KINDS:
        raise ValueError(f"unknown block kind {kind!r}")
    reason = reason.strip()
    if not actor or not reason:
        raise ValueError("a block needs who and why")
    key = _case_hashes(session, intake_id=intake_id).get(kind)
    if key is None:
        raise NotFound(f"intake {intake_id} has no {kind} to block")
    existing = session.scalars(
        select(BlockedSource).where(
            BlockedSource.kind == kind,
            BlockedSource.key_hash == key,
            BlockedSource.unblocked_at.is_(None),
        )
    ).first()
    if existing is not None:
        return existing.id
    now = now or utcnow()
    block = BlockedSource(
        kind=kind,
        key_hash=key,
        intake_id=intake_id,
        reason=reason[:500],
        blocked_by=actor[:64],
        blocked_at=now,
    )
    session.add(block)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="block_source",
        subject_type="intake",
        subject_id=intake_id,
        reason=reason,
        detail={"block_id": block.id, "kind": kind},
        at=now,
    )
    return block.id


def unblock(
    session: Session, *, block_id: int, actor: str, reason: str, now: datetime | None = None
) -> bool:
    """Lift a block (audited); False when it is not active."""
    reason = reason.strip()
    if not actor or not reason:
        raise ValueError("an unblock needs who and why")
    block = session.get(BlockedSource, block_id)
    if block is None or block.unblocked_at is not None:
        return False
    now = now or utcnow()
    block.unblocked_at, block.unblocked_by = now, actor[:64]
    record_audit(
        session,
        actor=actor,
        action="unblock_source",
        subject_type="intake",
        subject_id=block.intake_id,
        reason=reason,
        detail={"block_id": block.id, "kind": block.kind},
        at=now,
    )
    return True


def list_blocks(session: Session, *, limit: int = 100) -> list[BlockView]:
    """Active blocks, newest first."""
    rows = session.execute(
        select(BlockedSource, Intake.reference_code)
        .outerjoin(Intake, Intake.id == BlockedSource.intake_id)
        .where(BlockedSource.unblocked_at.is_(None))
        .order_by(BlockedSource.id.desc())
        .limit(limit)
    ).all()
    return [
        BlockView(
            id=block.id,
            kind=block.kind,
            reference_code=code,
            intake_id=block.intake_id,
            reason=block.reason,
            blocked_by=block.blocked_by,
            blocked_at=block.blocked_at,
        )
        for block, code in rows
    ]


def _case_hashes(session: Session, *, intake_id: int) -> dict[str, str]:
    row = session.execute(
        select(Conversation.sender_hash, Conversation.source_hash)
        .join(Intake, Intake.conversation_id == Conversation.id)
        .where(Intake.id == intake_id)
    ).first()
    if row is None:  # no conversation (e.g. a case an operator filed): nothing to block
        return {}
    hashes: dict[str, str] = {}
    if row[0]:
        hashes["sender"] = row[0]
    if row[1]:
        hashes["address"] = row[1]
    return hashes
